// @clearance/errors: the one error type of every package, below all of them (it imports nothing).
export {
  AppError,
  ERROR_STATUS,
  type ErrorCode,
  type ErrorKind,
  isAppError,
  toErrorResponse,
} from './app-error.ts';
