const MAX_FILENAME_LENGTH = 200;

/**
 * The uploader's filename reduced to a display string: directory parts dropped (path traversal like
 * "../../etc/passwd" becomes "passwd"), control and invisible characters removed, length capped. It is
 * metadata only and never becomes a path; the UI still escapes it when rendering (React does).
 */
export function sanitizeFilename(name: string | undefined | null): string | undefined {
  if (!name) return undefined;
  const base = name.split(/[/\\]/).filter(Boolean).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    // C0/C1 controls, zero-width and bidi controls: they can disguise an extension ("txt.exe" shown as "exe.txt").
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/^\.+/, '')
    .trim();
  if (!cleaned) return undefined;
  return [...cleaned].slice(0, MAX_FILENAME_LENGTH).join('');
}

/** A readable default title from a filename: extension dropped, separators as spaces. */
export function titleFromFilename(filename: string | undefined): string {
  const stem = filename
    ?.replace(/\.[a-z0-9]{1,8}$/i, '')
    .replace(/[_]+/g, ' ')
    .trim();
  return stem || 'Untitled document';
}
