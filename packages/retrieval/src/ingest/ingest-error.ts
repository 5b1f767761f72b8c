/**
 * Error codes shaped "kind:surface", matching the AppError convention in STYLE.md.
 * TODO(auth): packages/auth will export the shared `AppError`; until it lands this minimal class carries
 * the same `code` and `status`, so route handlers can map it to a response by duck typing.
 */
export type IngestErrorCode =
  | 'payload_too_large:upload'
  | 'unsupported_media_type:upload'
  | 'bad_request:upload'
  | 'not_found:document'
  | 'conflict:document';

const STATUS: Record<IngestErrorCode, number> = {
  'payload_too_large:upload': 413,
  'unsupported_media_type:upload': 415,
  'bad_request:upload': 400,
  'not_found:document': 404,
  'conflict:document': 409,
};

/** A user-facing ingestion error: `message` is safe to show, `status` is the HTTP status to answer with. */
export class IngestError extends Error {
  override name = 'IngestError';
  readonly code: IngestErrorCode;
  /** The part before the colon, as AppError has it. */
  readonly kind: string;
  readonly status: number;

  constructor(code: IngestErrorCode, message: string) {
    super(message);
    this.code = code;
    this.kind = code.slice(0, code.indexOf(':'));
    this.status = STATUS[code];
  }
}

/** True for an IngestError (or any error carrying the same code/status shape). */
export function isIngestError(error: unknown): error is IngestError {
  return error instanceof IngestError;
}
