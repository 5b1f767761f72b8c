// Formatting shared by the admin console's server and client components.

const MIME_LABELS: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'text/html': 'HTML',
  'text/markdown': 'Markdown',
  'text/plain': 'Text',
  'text/csv': 'CSV',
};

/** A short type label for a stored MIME type. */
export function formatMime(mime: string | null | undefined): string {
  if (!mime) return '—';
  return MIME_LABELS[mime] ?? mime;
}

/** Bytes as B/KB/MB with one decimal. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A timestamp as "2026-11-28 14:03" in UTC, identical on server and client (no hydration mismatch). */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const iso = typeof value === 'string' ? value : value.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A timestamp as two short lines for narrow table columns, in UTC like formatDateTime: ["Nov 30", "19:31"],
 * the year added to the day when it isn't this year (["Nov 30 2025", "19:31"]).
 */
export function formatShortDateTime(value: string | Date | null | undefined): string[] {
  if (!value) return ['—'];
  const date = typeof value === 'string' ? new Date(value) : value;
  const year = date.getUTCFullYear() === new Date().getUTCFullYear() ? '' : ` ${date.getUTCFullYear()}`;
  const day = `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}${year}`;
  return [day, date.toISOString().slice(11, 16)];
}

/** Milliseconds as "850 ms" or "2.4 s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A ratio as a whole percentage. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '—';
  return `${Math.round(ratio * 100)}%`;
}

/** Whether a version status means ingestion is still running. */
export function isIngesting(status: string | null | undefined): boolean {
  return status === 'queued' || status === 'processing';
}
