import Link from 'next/link';

/** 404 for pages (also for anything the caller may not see: no existence leak). */
export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-xl p-6">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-muted-foreground">
        This page does not exist or is not available to you.
      </p>
      <Link href="/chat" className="mt-4 inline-block text-sm text-primary underline">
        Go to chat
      </Link>
    </main>
  );
}
