/** Error kinds and the HTTP status each answers with. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  offline: 503,
} as const;

export type ErrorKind = keyof typeof ERROR_STATUS;
/** `"kind:surface"`, e.g. `"forbidden:document"` or `"rate_limited:sign_in"`. */
export type ErrorCode = `${ErrorKind}:${string}`;

const DEFAULT_MESSAGES: Record<ErrorKind, string> = {
  bad_request: 'The request is not valid.',
  unauthorized: 'Sign in to continue.',
  forbidden: 'You do not have permission to do that.',
  not_found: 'Not found.',
  conflict: 'That conflicts with existing data.',
  payload_too_large: 'The upload is too large.',
  unsupported_media_type: 'That file type is not supported.',
  rate_limited: 'Too many attempts. Try again later.',
  offline: 'The service is temporarily unavailable.',
};

/**
 * The one error type route handlers turn into responses. The message is shown to the caller, so it
 * must never carry internals (SQL, stack, other users' data).
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly status: number;
  /** Seconds until a rate-limited caller may retry (sent as Retry-After). */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message?: string, options: { cause?: unknown; retryAfter?: number } = {}) {
    const kind = code.slice(0, code.indexOf(':')) as ErrorKind;
    super(message ?? DEFAULT_MESSAGES[kind] ?? 'Request failed.', { cause: options.cause });
    this.code = code;
    this.kind = kind;
    this.status = ERROR_STATUS[kind] ?? 500;
    this.retryAfter = options.retryAfter;
  }

  /** A JSON `Response`: `{error: {code, message}}` with the kind's status. */
  toResponse(headers: Record<string, string> = {}): Response {
    const responseHeaders = new Headers(headers);
    if (this.retryAfter !== undefined) responseHeaders.set('retry-after', String(Math.ceil(this.retryAfter)));
    return Response.json(
      { error: { code: this.code, message: this.message } },
      { status: this.status, headers: responseHeaders },
    );
  }
}

/** Whether `value` is an AppError (also across module copies, e.g. Next.js server bundles). */
export function isAppError(value: unknown): value is AppError {
  return (
    value instanceof AppError ||
    (value instanceof Error && value.name === 'AppError' && typeof (value as AppError).code === 'string')
  );
}

/**
 * Turns anything thrown in a route handler into a response: AppErrors as themselves, everything else
 * logged with the request id (so an operator can find it) and answered with a generic 500 that leaks
 * nothing.
 */
export function toErrorResponse(
  error: unknown,
  requestId: string,
  log: (line: string) => void = console.error,
) {
  if (isAppError(error)) return error.toResponse({ 'x-request-id': requestId });
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log(`[${requestId}] unhandled error: ${detail}`);
  return Response.json(
    { error: { code: 'internal:server', message: `Something went wrong (request ${requestId}).` } },
    { status: 500, headers: { 'x-request-id': requestId } },
  );
}
