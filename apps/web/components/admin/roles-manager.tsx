'use client';

import type { RoleDeletionImpact } from '@clearance/auth';
import { useRouter } from 'next/navigation';
import { type FormEvent, useId, useState } from 'react';
import { Button } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Input, Label } from '../ui/input.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../ui/table.tsx';
import { useToast } from '../ui/toast.tsx';
import { describeError, sendAdminJson } from './admin-fetch.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';

export type RoleRow = {
  id: string;
  name: string;
  description: string | null;
  userCount: number;
  documentCount: number;
};

/** Roles: create, rename, and delete after seeing who and what loses access. */
export function RolesManager({ roles }: { roles: RoleRow[] }) {
  const router = useRouter();
  const { toast } = useToast();
  const ids = { name: useId(), description: useId(), rename: useId() };
  const [problem, setProblem] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<RoleRow | null>(null);
  const [impact, setImpact] = useState<RoleDeletionImpact | null>(null);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const name = String(form.get('name') ?? '').trim();
    const description = String(form.get('description') ?? '').trim();
    setProblem(null);
    try {
      await sendAdminJson('/api/admin/roles', 'POST', { name, ...(description ? { description } : {}) });
      formElement.reset();
      toast(`Created role ${name}`, 'success');
      router.refresh();
    } catch (error) {
      setProblem(describeError(error));
    }
  }

  async function askDelete(role: RoleRow) {
    try {
      setImpact(await sendAdminJson<RoleDeletionImpact>(`/api/admin/roles/${role.id}`, 'GET'));
    } catch (error) {
      toast(describeError(error), 'error');
    }
  }

  const orphaned = impact?.documents.filter((doc) => doc.orphaned) ?? [];
  return (
    <div className="flex flex-col gap-6">
      <form
        onSubmit={create}
        className="flex flex-wrap items-end gap-3 rounded-lg border border-border bg-card p-4"
        aria-label="New role"
      >
        <div className="flex flex-col gap-1">
          <Label htmlFor={ids.name}>Role name</Label>
          <Input id={ids.name} name="name" required maxLength={64} placeholder="e.g. finance" />
        </div>
        <div className="flex min-w-56 flex-1 flex-col gap-1">
          <Label htmlFor={ids.description}>Description</Label>
          <Input id={ids.description} name="description" maxLength={500} placeholder="Who holds it" />
        </div>
        <Button type="submit">Create role</Button>
        {problem ? (
          <p role="alert" className="w-full text-sm text-destructive">
            {problem}
          </p>
        ) : null}
      </form>
      <div className="rounded-lg border border-border bg-card">
        <Table aria-label="Roles">
          <TableHeader>
            <TableRow>
              <TableHead>Role</TableHead>
              <TableHead className="text-right">Users</TableHead>
              <TableHead className="text-right">Documents</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {roles.length === 0 ? (
              <TableRow>
                <TableCell colSpan={4} className="py-8 text-center text-muted-foreground">
                  No roles yet.
                </TableCell>
              </TableRow>
            ) : null}
            {roles.map((role) => (
              <TableRow key={role.id} data-testid="role-row">
                <TableCell>
                  <span className="block font-medium break-all">{role.name}</span>
                  {role.description ? (
                    <span className="text-xs text-muted-foreground">{role.description}</span>
                  ) : null}
                </TableCell>
                <TableCell className="text-right tabular-nums">{role.userCount}</TableCell>
                <TableCell className="text-right tabular-nums">{role.documentCount}</TableCell>
                <TableCell>
                  <div className="flex justify-end gap-1">
                    <Button variant="outline" size="sm" onClick={() => setRenaming(role)}>
                      Rename
                    </Button>
                    <Button
                      variant="ghost"
                      size="sm"
                      className="text-destructive"
                      onClick={() => askDelete(role)}
                    >
                      Delete
                    </Button>
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>

      <Dialog
        open={renaming !== null}
        onClose={() => setRenaming(null)}
        title="Rename role"
        description="Members and grants keep the role: access does not change."
      >
        <form
          className="flex flex-col gap-3"
          onSubmit={async (event) => {
            event.preventDefault();
            if (!renaming) return;
            const name = String(new FormData(event.currentTarget).get('name') ?? '').trim();
            try {
              await sendAdminJson(`/api/admin/roles/${renaming.id}`, 'PATCH', { name });
              toast(`Renamed to ${name}`, 'success');
              setRenaming(null);
              router.refresh();
            } catch (error) {
              toast(describeError(error), 'error');
            }
          }}
        >
          <div className="flex flex-col gap-1">
            <Label htmlFor={ids.rename}>New name</Label>
            <Input id={ids.rename} name="name" required maxLength={64} defaultValue={renaming?.name} />
          </div>
          <div className="flex justify-end gap-2">
            <Button variant="outline" onClick={() => setRenaming(null)}>
              Cancel
            </Button>
            <Button type="submit">Save name</Button>
          </div>
        </form>
      </Dialog>

      <ConfirmDialog
        open={impact !== null}
        title={impact ? `Delete role "${impact.role.name}"` : 'Delete role'}
        description={
          impact && (impact.users.length > 0 || impact.documents.length > 0)
            ? 'This role is in use. Deleting it takes access away from these people and documents.'
            : 'Nobody holds this role and no document is granted to it.'
        }
        onClose={() => setImpact(null)}
        onConfirm={async () => {
          if (!impact) return;
          try {
            await sendAdminJson(`/api/admin/roles/${impact.role.id}`, 'DELETE', { confirm: true });
            toast(`Deleted role ${impact.role.name}`, 'success');
            setImpact(null);
            router.refresh();
          } catch (error) {
            toast(describeError(error), 'error');
          }
        }}
      >
        {impact && impact.users.length > 0 ? (
          <section aria-label="Users who lose access" className="mb-3">
            <h3 className="text-sm font-semibold">Users who lose access ({impact.users.length})</h3>
            <ul className="mt-1 max-h-40 overflow-y-auto text-sm">
              {impact.users.map((user) => (
                <li key={user.id} className="flex justify-between gap-2 py-0.5">
                  <span className="break-all">{user.email}</span>
                  <span className="shrink-0 text-xs text-muted-foreground">
                    loses {user.documentsLost} document{user.documentsLost === 1 ? '' : 's'}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {impact && impact.documents.length > 0 ? (
          <section aria-label="Documents affected">
            <h3 className="text-sm font-semibold">
              Documents granted to this role ({impact.documents.length})
            </h3>
            <ul className="mt-1 max-h-40 overflow-y-auto text-sm">
              {impact.documents.map((doc) => (
                <li key={doc.id} className="flex justify-between gap-2 py-0.5">
                  <span className="break-words">{doc.title}</span>
                  {doc.orphaned ? (
                    <span className="shrink-0 text-xs text-destructive">readable by nobody after</span>
                  ) : null}
                </li>
              ))}
            </ul>
            {orphaned.length > 0 ? (
              <p className="mt-2 text-xs text-destructive">
                {orphaned.length} document{orphaned.length === 1 ? '' : 's'} will be readable by nobody.
              </p>
            ) : null}
          </section>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
