// A local OpenID Connect provider for the SSO specs (second Playwright webServer, port 3101).
// Any login name works (devInteractions); the account's email is the login name and its groups claim
// comes from the name: `sso-finance-<id>@...` is in idp-finance, which OIDC_ROLE_MAP maps to finance.
import Provider, { type Configuration } from 'oidc-provider';
import {
  BASE_URL,
  OIDC_CLIENT_ID,
  OIDC_CLIENT_SECRET,
  OIDC_ISSUER,
  OIDC_PORT,
  OIDC_ROLE_MAP,
} from '../fixtures/environment.ts';

/** The IdP groups of a login name: every mapped group whose role name appears in the login. */
export function groupsOf(login: string): string[] {
  return Object.entries(OIDC_ROLE_MAP)
    .filter(([, role]) => login.toLowerCase().includes(`-${role}-`))
    .map(([group]) => group);
}

const configuration: Configuration = {
  clients: [
    {
      client_id: OIDC_CLIENT_ID,
      client_secret: OIDC_CLIENT_SECRET,
      redirect_uris: [`${BASE_URL}/api/auth/callback/oidc`],
      post_logout_redirect_uris: [BASE_URL],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  async findAccount(_context, id) {
    return {
      accountId: id,
      async claims() {
        const name = id.split('@')[0] ?? id;
        return { sub: id, email: id, email_verified: true, name, groups: groupsOf(id) };
      },
    };
  },
  // groups rides on the profile scope: Auth.js asks for `openid email profile` by default.
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
  // Put email, name and groups in the id_token itself, which is what Auth.js reads.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  // In-memory keys and cookies are fine for a throwaway test provider.
  cookies: { keys: ['clearance-e2e-oidc-cookie-key'] },
};

const provider = new Provider(OIDC_ISSUER, configuration);
provider.listen(OIDC_PORT, () => {
  console.log(`[oidc] test provider on ${OIDC_ISSUER} (client ${OIDC_CLIENT_ID})`);
});
