import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '../components/sign-in/sign-in-form.tsx';
import { Card } from '../components/ui/card.tsx';
import { readWebEnv } from '../server/env.ts';
import { getRequestScope } from '../server/request-scope.ts';

export const metadata: Metadata = { title: 'Sign in' };

/** `/`: the sign-in page for anonymous visitors; signed-in users go straight to the chat. */
export default async function HomePage() {
  const scope = await getRequestScope().catch(() => null);
  if (scope) redirect('/chat');
  return (
    <main id="main" className="flex min-h-dvh items-center justify-center p-4">
      <Card className="w-full max-w-sm p-6">
        <h1 className="text-2xl font-semibold">Clearance</h1>
        <p className="mt-1 mb-6 text-sm text-muted-foreground">
          Sign in to ask questions about the documents you are cleared to read.
        </p>
        <SignInForm isSsoEnabled={readWebEnv().isSsoEnabled} />
      </Card>
    </main>
  );
}
