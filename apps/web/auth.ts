import { createAuthConfig } from '@clearance/auth';
import NextAuth from 'next-auth';

// The one Auth.js instance of the app. Sessions only say who signed in; what they may read is resolved
// from the database on every request (server/request-scope.ts).
export const { handlers, auth, signIn, signOut } = NextAuth(createAuthConfig());
