import { createAuthConfig } from '@clearance/auth';
import NextAuth, { type NextAuthConfig } from 'next-auth';

let config: NextAuthConfig | undefined;

// The one Auth.js instance of the app. Configured lazily (on the first request, not at import) so
// `next build` needs no AUTH_SECRET. Sessions only say who signed in; what they may read is resolved
// from the database on every request (server/request-scope.ts).
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  config ??= createAuthConfig();
  return config;
});
