// oidc-provider ships no types and @types/oidc-provider lags behind v9: just what provider.ts uses.
declare module 'oidc-provider' {
  export type Account = { accountId: string; claims(): Promise<Record<string, unknown>> };
  export type Configuration = {
    clients: Record<string, unknown>[];
    findAccount(context: unknown, id: string): Promise<Account | undefined>;
    claims?: Record<string, string[]>;
    conformIdTokenClaims?: boolean;
    features?: Record<string, unknown>;
    pkce?: Record<string, unknown>;
    cookies?: Record<string, unknown>;
  };
  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    listen(port: number, callback?: () => void): unknown;
  }
}
