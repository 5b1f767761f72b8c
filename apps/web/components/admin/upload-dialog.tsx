'use client';

import { type DragEvent, useId, useRef, useState } from 'react';
import { Button } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Progress } from '../ui/progress.tsx';
import { useToast } from '../ui/toast.tsx';
import { formatBytes } from './format.ts';
import { type RoleOption, RolePicker } from './role-picker.tsx';

type FileState = {
  key: string;
  file: File;
  progress: number;
  status: 'waiting' | 'uploading' | 'done' | 'error';
  message?: string;
  documentId?: string;
};

type UploadResponse = { documentId?: string; deduplicated?: boolean; error?: { message?: string } };

/**
 * Uploads one file with XMLHttpRequest, whose upload events give real per-file progress (fetch has none).
 * The server answers 413/415 with a message naming the limit or the accepted types.
 */
function uploadFile(
  file: File,
  roleIds: string[],
  onProgress: (percent: number) => void,
): Promise<UploadResponse & { ok: boolean }> {
  return new Promise((resolve) => {
    const form = new FormData();
    form.append('file', file);
    for (const roleId of roleIds) form.append('roleId', roleId);
    const request = new XMLHttpRequest();
    request.open('POST', '/api/admin/documents');
    request.responseType = 'json';
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress((event.loaded / event.total) * 100);
    });
    request.addEventListener('load', () => {
      const body = (request.response ?? {}) as UploadResponse;
      resolve({ ...body, ok: request.status >= 200 && request.status < 300 });
    });
    request.addEventListener('error', () =>
      resolve({ ok: false, error: { message: 'The connection failed during the upload.' } }),
    );
    request.send(form);
  });
}

/**
 * "Upload documents": pick or drop several files, choose the roles that may read them, and watch each
 * upload's progress; ingestion progress then shows in the documents table.
 */
export function UploadDialog({
  open,
  onClose,
  roles,
  onUploaded,
}: {
  open: boolean;
  onClose: () => void;
  roles: RoleOption[];
  onUploaded: () => void;
}) {
  const [files, setFiles] = useState<FileState[]>([]);
  const [roleIds, setRoleIds] = useState<string[]>([]);
  const [isDragging, setDragging] = useState(false);
  const [isUploading, setUploading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const { toast } = useToast();

  function addFiles(list: FileList | null) {
    if (!list) return;
    const added = [...list].map((file) => ({
      key: `${file.name}-${file.size}-${file.lastModified}-${Math.random()}`,
      file,
      progress: 0,
      status: 'waiting' as const,
    }));
    setFiles((current) => [...current.filter((entry) => entry.status !== 'done'), ...added]);
  }

  function onDrop(event: DragEvent<HTMLElement>) {
    event.preventDefault();
    setDragging(false);
    addFiles(event.dataTransfer.files);
  }

  function update(key: string, patch: Partial<FileState>) {
    setFiles((current) => current.map((entry) => (entry.key === key ? { ...entry, ...patch } : entry)));
  }

  async function startUpload() {
    setProblem(null);
    if (roleIds.length === 0) {
      setProblem('Choose at least one role: a document granted to no role is readable by nobody.');
      return;
    }
    const pending = files.filter((entry) => entry.status === 'waiting' || entry.status === 'error');
    if (pending.length === 0) {
      setProblem('Add at least one file.');
      return;
    }
    setUploading(true);
    let succeeded = 0;
    // One at a time: the server parses each upload in memory, and two cores are shared with ingestion.
    for (const entry of pending) {
      update(entry.key, { status: 'uploading', progress: 0, message: undefined });
      const result = await uploadFile(entry.file, roleIds, (percent) =>
        update(entry.key, { progress: percent }),
      );
      if (result.ok) {
        succeeded += 1;
        update(entry.key, {
          status: 'done',
          progress: 100,
          documentId: result.documentId,
          message: result.deduplicated ? 'Already uploaded: grants merged' : 'Uploaded, ingesting',
        });
        onUploaded();
      } else {
        update(entry.key, { status: 'error', message: result.error?.message ?? 'Upload failed.' });
      }
    }
    setUploading(false);
    if (succeeded > 0) toast(`${succeeded} file${succeeded === 1 ? '' : 's'} uploaded`, 'success');
  }

  function close() {
    if (isUploading) return;
    setFiles([]);
    setProblem(null);
    onClose();
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Upload documents"
      description="PDF, Word (DOCX), HTML, Markdown, plain text or CSV. Each file becomes a document readable by the roles you choose."
      className="w-[min(40rem,calc(100vw-2rem))]"
    >
      <div className="flex flex-col gap-4">
        <section
          aria-label="Drop files here"
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          className={`flex flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed p-6 text-center ${
            isDragging ? 'border-primary bg-accent' : 'border-input'
          }`}
        >
          <p className="text-sm">Drag and drop files here, or</p>
          <label htmlFor={inputId} className="sr-only">
            Files to upload
          </label>
          <input
            id={inputId}
            ref={inputRef}
            type="file"
            multiple
            className="sr-only"
            accept=".pdf,.docx,.html,.htm,.md,.markdown,.txt,.csv,application/pdf,text/*"
            onChange={(event) => {
              addFiles(event.target.files);
              event.target.value = '';
            }}
          />
          <Button variant="outline" size="sm" onClick={() => inputRef.current?.click()}>
            Choose files
          </Button>
        </section>

        {files.length > 0 ? (
          <ul aria-label="Files to upload" className="flex flex-col gap-2">
            {files.map((entry) => (
              <li key={entry.key} className="rounded-md border border-border p-2">
                <div className="flex items-center justify-between gap-2 text-sm">
                  <span className="truncate font-medium">{entry.file.name}</span>
                  <span className="shrink-0 text-xs text-muted-foreground">
                    {formatBytes(entry.file.size)}
                  </span>
                </div>
                <Progress value={entry.progress} label={`Upload of ${entry.file.name}`} className="mt-2" />
                {entry.message ? (
                  <p
                    className={`mt-1 text-xs ${entry.status === 'error' ? 'text-destructive' : 'text-muted-foreground'}`}
                    role={entry.status === 'error' ? 'alert' : undefined}
                  >
                    {entry.message}
                  </p>
                ) : null}
                {entry.status === 'waiting' ? (
                  <Button
                    variant="ghost"
                    size="sm"
                    className="mt-1"
                    aria-label={`Remove ${entry.file.name}`}
                    onClick={() => setFiles((current) => current.filter((item) => item.key !== entry.key))}
                  >
                    Remove
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}

        <RolePicker
          roles={roles}
          selected={roleIds}
          onChange={setRoleIds}
          legend="Who may read these documents"
          description="Only users holding one of these roles will find the documents."
        />
        {problem ? (
          <p role="alert" className="text-sm text-destructive">
            {problem}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="outline" onClick={close} disabled={isUploading}>
            Close
          </Button>
          <Button onClick={startUpload} disabled={isUploading}>
            {isUploading ? 'Uploading…' : 'Start upload'}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
