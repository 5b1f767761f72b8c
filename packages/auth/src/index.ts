export {
  type AccessScope,
  type Actor,
  CLI_ACTOR,
  getActorId,
  getActorVia,
  isSystemActor,
  isUuid,
  resolveScopeForUser,
  type SystemActor,
} from './access-scope.ts';
export {
  type ApiKeySummary,
  type CreateApiKeyInput,
  type CreatedApiKey,
  createApiKey,
  findApiKeys,
  hashApiKey,
  resolveApiKey,
  revokeApiKey,
  ZCreateApiKeyInput,
} from './api-keys.ts';
export {
  AppError,
  ERROR_STATUS,
  type ErrorCode,
  type ErrorKind,
  isAppError,
  toErrorResponse,
} from './app-error.ts';
export {
  type AuditAction,
  type AuditEventRow,
  type AuditFilter,
  type AuditInput,
  escapeCsvField,
  exportAudit,
  findAuditEvents,
  recordAudit,
  ZAuditFilter,
} from './audit.ts';
export {
  type AuthEnv,
  describeOidcEnv,
  type OidcEnv,
  parseAuthEnv,
  parseRoleMap,
  type RoleMap,
  readAuthEnv,
} from './env.ts';
export { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';
export { assertSameOrigin, canAdminister, requireAdmin } from './permissions.ts';
export { clearRateLimit, hitRateLimit, type RateLimitResult } from './rate-limit.ts';
export { type ScopedTx, type ScopeOptions, withManage, withScope } from './with-scope.ts';
