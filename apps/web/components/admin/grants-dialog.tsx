'use client';

import { useEffect, useState } from 'react';
import { Button } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { describeError, sendAdminJson } from './admin-fetch.ts';
import { type RoleOption, RolePicker } from './role-picker.tsx';

/** Edits which roles may read a document ("Save grants"); an empty set makes it readable by nobody. */
export function GrantsDialog({
  document,
  roles,
  onClose,
  onSaved,
}: {
  document: { id: string; title: string; roles: RoleOption[] } | null;
  roles: RoleOption[];
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const [selected, setSelected] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [isSaving, setSaving] = useState(false);
  useEffect(() => {
    setSelected(document?.roles.map((role) => role.id) ?? []);
    setProblem(null);
  }, [document]);
  async function save() {
    if (!document) return;
    setSaving(true);
    setProblem(null);
    try {
      await sendAdminJson(`/api/admin/documents/${document.id}/grants`, 'PUT', { roleIds: selected });
      onSaved(`Grants saved for "${document.title}"`);
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Dialog
      open={document !== null}
      onClose={onClose}
      title="Edit grants"
      description={
        document ? `Who may read "${document.title}". Changes apply to the next question.` : undefined
      }
    >
      <RolePicker roles={roles} selected={selected} onChange={setSelected} legend="Roles that may read it" />
      {selected.length === 0 ? (
        <p className="mt-2 text-sm text-warning">With no roles, nobody can read this document.</p>
      ) : null}
      {problem ? (
        <p role="alert" className="mt-2 text-sm text-destructive">
          {problem}
        </p>
      ) : null}
      <div className="mt-4 flex justify-end gap-2">
        <Button variant="outline" onClick={onClose} disabled={isSaving}>
          Cancel
        </Button>
        <Button onClick={save} disabled={isSaving}>
          {isSaving ? 'Saving…' : 'Save grants'}
        </Button>
      </div>
    </Dialog>
  );
}
