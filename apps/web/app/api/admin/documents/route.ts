// GET /api/admin/documents - every document with grants and live ingestion state (the table polls it)
// POST /api/admin/documents - upload one document (multipart form or raw body) granted to roles

import { getDb } from '@clearance/db';
import { AppError } from '@clearance/errors';
import {
  checkContentLength,
  createDocumentUpload,
  getIngestEnv,
  readStreamWithLimit,
} from '@clearance/retrieval';
import { z } from 'zod';
import { enforceUploadRateLimit } from '../../../../server/upload-rate-limit.ts';
import { handleAdminRoute, parseSearchParams } from '../../../admin/_server/admin-access.ts';
import { findAdminDocuments, ZDocumentFilter } from '../../../admin/_server/admin-documents.ts';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return handleAdminRoute(request, async ({ scope }) => {
    const filter = parseSearchParams(request.url, ZDocumentFilter);
    const documents = await findAdminDocuments(getDb(), scope, filter);
    return Response.json({ documents }, { headers: { 'cache-control': 'no-store' } });
  });
}

const ZUploadFields = z.strictObject({
  roleIds: z.array(z.uuid()).min(1, 'grant the document to at least one role').max(200),
  title: z.string().trim().max(300).optional(),
  filename: z.string().max(4096).optional(),
});

// Multipart framing (boundaries, part headers) on top of the file itself.
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

function parseFields(input: unknown) {
  const parsed = ZUploadFields.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('bad_request:upload', `${issue.path.join('.') || 'upload'}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Reads the upload without ever buffering more than the limit: Content-Length is checked first (413
 * before a byte is read), then the stream is counted as it arrives.
 */
async function readUpload(request: Request, maxBytes: number) {
  const contentType = request.headers.get('content-type') ?? '';
  const isMultipart = contentType.toLowerCase().startsWith('multipart/form-data');
  const limit = isMultipart ? maxBytes + MULTIPART_OVERHEAD_BYTES : maxBytes;
  checkContentLength(request.headers.get('content-length'), limit);
  if (!request.body) throw new AppError('bad_request:upload', 'The upload is empty.');
  const body = await readStreamWithLimit(request.body, limit);
  if (!isMultipart) {
    // Raw body: the file is the body; name, title and roles come from the query string.
    const params = new URL(request.url).searchParams;
    const fields = parseFields({
      roleIds: params
        .getAll('roleId')
        .flatMap((value) => value.split(','))
        .filter(Boolean),
      ...(params.get('title') ? { title: params.get('title') } : {}),
      ...(params.get('filename') ? { filename: params.get('filename') } : {}),
    });
    return { bytes: body, ...fields };
  }
  let form: FormData;
  try {
    // Node's Response accepts any Uint8Array; the DOM typings want an ArrayBuffer-backed one.
    form = await new Response(body as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': contentType },
    }).formData();
  } catch {
    throw new AppError('bad_request:upload', 'The multipart body could not be read.');
  }
  const files = form.getAll('file').filter((value): value is File => typeof value !== 'string');
  if (files.length !== 1)
    throw new AppError('bad_request:upload', 'Send exactly one file, in the "file" field.');
  const known = new Set(['file', 'roleId', 'title']);
  const unknown = [...form.keys()].find((key) => !known.has(key));
  if (unknown) throw new AppError('bad_request:upload', `Unknown field "${unknown}".`);
  const title = form.get('title');
  const fields = parseFields({
    roleIds: form.getAll('roleId').map(String),
    ...(typeof title === 'string' && title.trim() ? { title } : {}),
  });
  const file = files[0]!;
  return { bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name, ...fields };
}

export function POST(request: Request) {
  return handleAdminRoute(request, async ({ scope }) => {
    const db = getDb();
    // Before the body is read: a throttled upload is refused without buffering, parsing or storing it.
    await enforceUploadRateLimit(db, scope.userId);
    const { uploadMaxBytes } = getIngestEnv();
    const upload = await readUpload(request, uploadMaxBytes);
    const result = await createDocumentUpload(
      db,
      {
        actorId: scope.userId,
        bytes: upload.bytes,
        roleIds: upload.roleIds,
        ...(upload.filename ? { filename: upload.filename } : {}),
        ...(upload.title ? { title: upload.title } : {}),
      },
      { maxBytes: uploadMaxBytes },
    );
    return Response.json(result, { status: result.deduplicated ? 200 : 201 });
  });
}
