import Link from 'next/link';

/** 403 for signed-in users without the admin permission. */
export default function AdminForbidden() {
  return (
    <div className="mx-auto max-w-xl py-10">
      <h1 className="text-xl font-semibold">Administrators only</h1>
      <p className="mt-2 text-sm text-muted-foreground">
        The admin console is only available to administrators. Ask an administrator if you need access.
      </p>
      <Link href="/chat" className="mt-4 inline-block text-sm text-primary underline">
        Go to chat
      </Link>
    </div>
  );
}
