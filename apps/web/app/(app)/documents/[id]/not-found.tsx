import Link from 'next/link';

/** The same answer for a missing document and one the user may not read. */
export default function DocumentNotFound() {
  return (
    <main className="mx-auto max-w-xl p-6">
      <h1 className="text-xl font-semibold">Document not found</h1>
      <p className="mt-2 text-sm text-muted-foreground">
        It does not exist, or it is not shared with your roles.
      </p>
      <Link href="/chat" className="mt-4 inline-block text-sm text-primary underline">
        Back to chat
      </Link>
    </main>
  );
}
