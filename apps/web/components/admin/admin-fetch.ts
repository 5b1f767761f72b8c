// Browser-side calls to /api/admin: JSON in, JSON out, and the server's error message on failure.

/** Sends a JSON request to an admin route; throws an Error carrying the server's message. */
export async function sendAdminJson<T = unknown>(url: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const payload = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!response.ok) throw new Error(payload.error?.message ?? `Request failed (${response.status}).`);
  return payload as T;
}

/** The message of anything thrown, for a toast or an inline alert. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}
