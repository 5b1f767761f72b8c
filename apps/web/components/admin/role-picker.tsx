'use client';

import { useId } from 'react';

export type RoleOption = { id: string; name: string };

/** Checkboxes for choosing roles, in a fieldset whose legend names the choice. */
export function RolePicker({
  roles,
  selected,
  onChange,
  legend = 'Roles',
  description,
}: {
  roles: RoleOption[];
  selected: string[];
  onChange: (roleIds: string[]) => void;
  legend?: string;
  description?: string;
}) {
  const id = useId();
  const toggle = (roleId: string, checked: boolean) =>
    onChange(checked ? [...selected, roleId] : selected.filter((value) => value !== roleId));
  return (
    <fieldset
      className="rounded-md border border-border p-3"
      aria-describedby={description ? `${id}-d` : undefined}
    >
      <legend className="px-1 text-sm font-medium">{legend}</legend>
      {description ? (
        <p id={`${id}-d`} className="mb-2 text-xs text-muted-foreground">
          {description}
        </p>
      ) : null}
      {roles.length === 0 ? (
        <p className="text-sm text-muted-foreground">No roles yet: create one first.</p>
      ) : null}
      <div className="grid max-h-48 grid-cols-1 gap-1 overflow-y-auto sm:grid-cols-2">
        {roles.map((role) => (
          <label key={role.id} className="flex items-center gap-2 rounded px-1 py-1 text-sm hover:bg-muted">
            <input
              type="checkbox"
              className="h-4 w-4 accent-primary"
              checked={selected.includes(role.id)}
              onChange={(event) => toggle(role.id, event.target.checked)}
            />
            <span className="break-all">{role.name}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
