'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { Button } from '../ui/button.tsx';
import { Input, Label } from '../ui/input.tsx';
import { useToast } from '../ui/toast.tsx';
import { describeError, sendAdminJson } from './admin-fetch.ts';

/** The document's title, editable: found in the file (metadata, first heading) or its name, until an admin changes it. */
export function DocumentTitleForm({ documentId, title }: { documentId: string; title: string }) {
  const [value, setValue] = useState(title);
  const [isSaving, setSaving] = useState(false);
  const { toast } = useToast();
  const router = useRouter();
  const id = useId();
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={async (event) => {
        event.preventDefault();
        setSaving(true);
        try {
          await sendAdminJson(`/api/admin/documents/${documentId}`, 'PATCH', { title: value.trim() });
          toast('Title saved.', 'success');
          router.refresh();
        } catch (error) {
          toast(describeError(error), 'error');
        } finally {
          setSaving(false);
        }
      }}
    >
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <Label htmlFor={id}>Title</Label>
        <Input id={id} value={value} maxLength={300} onChange={(event) => setValue(event.target.value)} />
      </div>
      <Button type="submit" variant="outline" disabled={isSaving || !value.trim() || value.trim() === title}>
        Save title
      </Button>
    </form>
  );
}
