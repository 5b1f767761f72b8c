'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useId, useState } from 'react';
import { Badge } from '../ui/badge.tsx';
import { Button } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Input, Label } from '../ui/input.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../ui/table.tsx';
import { useToast } from '../ui/toast.tsx';
import { describeError, sendAdminJson } from './admin-fetch.ts';
import { formatDateTime } from './format.ts';
import { type RoleOption, RolePicker } from './role-picker.tsx';

export type PersonRow = {
  id: string;
  email: string;
  name: string | null;
  isAdmin: boolean;
  disabledAt: string | null;
  authOrigin: string;
  lastSignInAt: string | null;
  roles: RoleOption[];
};

function CreateUserDialog({
  open,
  onClose,
  roles,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  roles: RoleOption[];
  onCreated: (email: string) => void;
}) {
  const ids = { email: useId(), name: useId(), password: useId(), admin: useId() };
  const [roleIds, setRoleIds] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const name = String(form.get('name') ?? '').trim();
    const password = String(form.get('password') ?? '');
    setBusy(true);
    setProblem(null);
    try {
      await sendAdminJson('/api/admin/users', 'POST', {
        email,
        ...(name ? { name } : {}),
        ...(password ? { password } : {}),
        isAdmin: form.get('isAdmin') === 'on',
        roleIds,
      });
      setRoleIds([]);
      onCreated(email);
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Create user"
      description="Leave the password empty for single sign-on users."
    >
      <form onSubmit={submit} className="flex flex-col gap-3">
        <div className="flex flex-col gap-1">
          <Label htmlFor={ids.email}>Email</Label>
          <Input id={ids.email} name="email" type="email" required autoComplete="off" />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor={ids.name}>Name</Label>
          <Input id={ids.name} name="name" autoComplete="off" />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor={ids.password}>Initial password</Label>
          <Input
            id={ids.password}
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={10}
          />
        </div>
        <label htmlFor={ids.admin} className="flex items-center gap-2 text-sm">
          <input id={ids.admin} name="isAdmin" type="checkbox" className="h-4 w-4 accent-primary" />
          Administrator (manages the console; grants no document access)
        </label>
        <RolePicker roles={roles} selected={roleIds} onChange={setRoleIds} legend="Roles" />
        {problem ? (
          <p role="alert" className="text-sm text-destructive">
            {problem}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="outline" onClick={onClose} disabled={isBusy}>
            Cancel
          </Button>
          <Button type="submit" disabled={isBusy}>
            {isBusy ? 'Creating…' : 'Create user'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Users: create, enable/disable, reset password, set roles, and add a role to several users at once. */
export function PeopleManager({
  users,
  roles,
  selfId,
}: {
  users: PersonRow[];
  roles: RoleOption[];
  selfId: string;
}) {
  const router = useRouter();
  const { toast } = useToast();
  const [isCreateOpen, setCreateOpen] = useState(false);
  const [rolesFor, setRolesFor] = useState<PersonRow | null>(null);
  const [roleSelection, setRoleSelection] = useState<string[]>([]);
  const [passwordFor, setPasswordFor] = useState<PersonRow | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [bulkRoleId, setBulkRoleId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const ids = { password: useId(), bulk: useId() };

  async function run(action: () => Promise<unknown>, success: string) {
    setProblem(null);
    try {
      await action();
      toast(success, 'success');
      router.refresh();
      return true;
    } catch (error) {
      const message = describeError(error);
      setProblem(message);
      toast(message, 'error');
      return false;
    }
  }

  const selectable = users.filter((user) => user.id !== selfId);
  const isAllSelected = selectable.length > 0 && selected.length === selectable.length;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <Label htmlFor={ids.bulk}>Add role to selected users</Label>
          <div className="flex gap-2">
            <select
              id={ids.bulk}
              className="h-10 rounded-md border border-input bg-background px-3 text-sm"
              value={bulkRoleId}
              onChange={(event) => setBulkRoleId(event.target.value)}
            >
              <option value="">Choose a role</option>
              {roles.map((role) => (
                <option key={role.id} value={role.id}>
                  {role.name}
                </option>
              ))}
            </select>
            <Button
              variant="outline"
              disabled={!bulkRoleId || selected.length === 0}
              onClick={async () => {
                const ok = await run(
                  () =>
                    sendAdminJson('/api/admin/users/bulk-roles', 'POST', {
                      roleId: bulkRoleId,
                      userIds: selected,
                    }),
                  `Role added to ${selected.length} user(s)`,
                );
                if (ok) setSelected([]);
              }}
            >
              Assign role
            </Button>
          </div>
        </div>
        <Button className="ml-auto" onClick={() => setCreateOpen(true)}>
          Create user
        </Button>
      </div>
      {problem ? (
        <p role="alert" className="text-sm text-destructive">
          {problem}
        </p>
      ) : null}
      <div className="rounded-lg border border-border bg-card">
        <Table aria-label="Users">
          <TableHeader>
            <TableRow>
              <TableHead>
                <input
                  type="checkbox"
                  aria-label="Select all users"
                  className="h-4 w-4 accent-primary"
                  checked={isAllSelected}
                  onChange={(event) =>
                    setSelected(event.target.checked ? selectable.map((user) => user.id) : [])
                  }
                />
              </TableHead>
              <TableHead>User</TableHead>
              <TableHead>Roles</TableHead>
              <TableHead>Sign-in</TableHead>
              <TableHead>Last sign-in</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {users.map((user) => {
              const isSelf = user.id === selfId;
              return (
                <TableRow key={user.id} data-testid="user-row">
                  <TableCell>
                    <input
                      type="checkbox"
                      aria-label={`Select ${user.email}`}
                      className="h-4 w-4 accent-primary"
                      disabled={isSelf}
                      checked={selected.includes(user.id)}
                      onChange={(event) =>
                        setSelected((current) =>
                          event.target.checked
                            ? [...current, user.id]
                            : current.filter((id) => id !== user.id),
                        )
                      }
                    />
                  </TableCell>
                  <TableCell>
                    <span className="block font-medium break-all">{user.email}</span>
                    {user.name ? <span className="text-xs text-muted-foreground">{user.name}</span> : null}
                    {user.isAdmin ? (
                      <Badge variant="outline" className="ml-1">
                        Admin
                      </Badge>
                    ) : null}
                  </TableCell>
                  <TableCell>
                    {user.roles.length === 0 ? (
                      <span className="text-xs text-muted-foreground">No roles</span>
                    ) : (
                      <ul className="flex flex-wrap gap-1" aria-label={`Roles of ${user.email}`}>
                        {user.roles.map((role) => (
                          <li key={role.id}>
                            <Badge>{role.name}</Badge>
                          </li>
                        ))}
                      </ul>
                    )}
                  </TableCell>
                  <TableCell className="text-xs">
                    {user.authOrigin === 'oidc' ? 'SSO' : user.authOrigin}
                  </TableCell>
                  <TableCell className="text-xs whitespace-nowrap">
                    {user.lastSignInAt ? formatDateTime(user.lastSignInAt) : 'Never'}
                  </TableCell>
                  <TableCell>
                    {user.disabledAt ? (
                      <Badge variant="destructive">Disabled</Badge>
                    ) : (
                      <Badge variant="success">Active</Badge>
                    )}
                  </TableCell>
                  <TableCell>
                    {isSelf ? (
                      <span className="text-xs text-muted-foreground">You</span>
                    ) : (
                      <div className="flex flex-wrap justify-end gap-1">
                        <Button
                          variant="outline"
                          size="sm"
                          onClick={() => {
                            setRoleSelection(user.roles.map((role) => role.id));
                            setRolesFor(user);
                          }}
                        >
                          Edit roles
                        </Button>
                        <Button variant="outline" size="sm" onClick={() => setPasswordFor(user)}>
                          Reset password
                        </Button>
                        <Button
                          variant={user.disabledAt ? 'outline' : 'ghost'}
                          size="sm"
                          className={user.disabledAt ? undefined : 'text-destructive'}
                          onClick={() =>
                            run(
                              () =>
                                sendAdminJson(`/api/admin/users/${user.id}`, 'PATCH', {
                                  disabled: !user.disabledAt,
                                }),
                              user.disabledAt ? `Enabled ${user.email}` : `Disabled ${user.email}`,
                            )
                          }
                        >
                          {user.disabledAt ? 'Enable' : 'Disable'}
                        </Button>
                      </div>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>

      <CreateUserDialog
        open={isCreateOpen}
        onClose={() => setCreateOpen(false)}
        roles={roles}
        onCreated={(email) => {
          setCreateOpen(false);
          toast(`Created ${email}`, 'success');
          router.refresh();
        }}
      />
      <Dialog
        open={rolesFor !== null}
        onClose={() => setRolesFor(null)}
        title="Edit roles"
        description={
          rolesFor ? `The roles of ${rolesFor.email}. Effective on their next request.` : undefined
        }
      >
        <RolePicker roles={roles} selected={roleSelection} onChange={setRoleSelection} legend="Roles" />
        <div className="mt-4 flex justify-end gap-2">
          <Button variant="outline" onClick={() => setRolesFor(null)}>
            Cancel
          </Button>
          <Button
            onClick={async () => {
              if (!rolesFor) return;
              const ok = await run(
                () => sendAdminJson(`/api/admin/users/${rolesFor.id}`, 'PATCH', { roleIds: roleSelection }),
                `Roles saved for ${rolesFor.email}`,
              );
              if (ok) setRolesFor(null);
            }}
          >
            Save roles
          </Button>
        </div>
      </Dialog>
      <Dialog
        open={passwordFor !== null}
        onClose={() => setPasswordFor(null)}
        title="Reset password"
        description={
          passwordFor ? `A new password for ${passwordFor.email}; their sessions end at once.` : undefined
        }
      >
        <form
          className="flex flex-col gap-3"
          onSubmit={async (event) => {
            event.preventDefault();
            if (!passwordFor) return;
            const password = String(new FormData(event.currentTarget).get('password') ?? '');
            const ok = await run(
              () => sendAdminJson(`/api/admin/users/${passwordFor.id}`, 'PATCH', { password }),
              `Password reset for ${passwordFor.email}`,
            );
            if (ok) setPasswordFor(null);
          }}
        >
          <div className="flex flex-col gap-1">
            <Label htmlFor={ids.password}>New password</Label>
            <Input
              id={ids.password}
              name="password"
              type="password"
              required
              autoComplete="new-password"
              minLength={10}
            />
          </div>
          <div className="flex justify-end gap-2">
            <Button variant="outline" onClick={() => setPasswordFor(null)}>
              Cancel
            </Button>
            <Button type="submit">Set password</Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
