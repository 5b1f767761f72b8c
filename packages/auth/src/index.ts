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
export { isUniqueViolation, parseAdminInput, ZEmail, ZRoleName } from './admin/admin-input.ts';
export {
  type SetDocumentGrantsInput,
  setDocumentGrants,
  ZSetDocumentGrantsInput,
} from './admin/document-grants.ts';
export {
  type CreateRoleInput,
  createRole,
  deleteRole,
  describeRoleDeletionImpact,
  findRoles,
  type RoleDeletionImpact,
  type RoleSummary,
  renameRole,
  resolveRoleNames,
  ZCreateRoleInput,
} from './admin/role-admin.ts';
export {
  bulkAssignRole,
  type CreateUserInput,
  createUser,
  findUsers,
  getUserIdByEmail,
  resetPassword,
  setUserAdmin,
  setUserDisabled,
  setUserRoles,
  type UserSummary,
  ZCreateUserInput,
} from './admin/user-admin.ts';
export {
  type ApiKeySummary,
  type CreateApiKeyInput,
  type CreatedApiKey,
  createApiKey,
  DEFAULT_KEY_DAYS,
  findApiKeys,
  hashApiKey,
  resolveApiKey,
  revokeApiKey,
  revokeUserApiKeys,
  ZCreateApiKeyInput,
} from './api-keys.ts';
export {
  type AuditAction,
  type AuditEventRow,
  type AuditedChunk,
  type AuditFilter,
  type AuditInput,
  chatAnswerRecord,
  escapeCsvField,
  exportAudit,
  findAuditEvents,
  purgeExpiredAuditTexts,
  type ReadRef,
  recordAudit,
  recordChatQuestion,
  recordRead,
  ZAuditFilter,
} from './audit.ts';
export {
  type AuthConfigOptions,
  createAuthConfig,
  InvalidCredentials,
  SignInRateLimited,
} from './auth-config.ts';
export {
  CLIENT_ADDRESS_HEADER,
  getClientAddress,
  normalizeAddress,
  parseTrustedProxies,
  resolveClientAddress,
  type TrustedProxies,
} from './client-address.ts';
export {
  type AuthEnv,
  describeOidcEnv,
  loadOrCreateAuthSecret,
  type OidcEnv,
  parseAuthEnv,
  parseRoleMap,
  type RoleMap,
  readAuthEnv,
} from './env.ts';
export { mapGroupsToRoles, type OidcSignIn, provisionOidcUser } from './oidc.ts';
export { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';
export { assertSameOrigin, canAdminister, requireAdmin } from './permissions.ts';
export { clearRateLimit, hitRateLimit, type RateLimitResult } from './rate-limit.ts';
export {
  endSession,
  endUserSessions,
  getSessionUserId,
  SESSION_MAX_AGE_SECONDS,
  startSession,
} from './sessions.ts';
export {
  authorizeCredentials,
  type Credentials,
  DEFAULT_SIGN_IN_LIMITS,
  type SignedInUser,
  type SignInLimits,
  ZCredentials,
} from './sign-in.ts';
export { type ScopedTx, type ScopeOptions, withManage, withScope } from './with-scope.ts';
