'use client';

import { type FormEvent, useState } from 'react';
import { Button } from '../ui/button.tsx';
import { Input, Label } from '../ui/input.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../ui/table.tsx';

export type ApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
};

const EXPIRY_CHOICES = [7, 30, 90, 365];

function formatDate(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

function stateOf(key: ApiKeyRow): 'active' | 'revoked' | 'expired' {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= Date.now()) return 'expired';
  return 'active';
}

async function requestJson<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `Request failed (${response.status}).`);
  }
  return (response.status === 204 ? null : await response.json()) as T;
}

/** Create a key (its secret shown once), see each key's expiry and last use, revoke. */
export function ApiKeysManager({ initialKeys }: { initialKeys: ApiKeyRow[] }) {
  const [keys, setKeys] = useState(initialKeys);
  const [name, setName] = useState('');
  const [days, setDays] = useState(90);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function refresh() {
    const data = await requestJson<{ keys: ApiKeyRow[] }>('/api/account/api-keys', { method: 'GET' });
    setKeys(data.keys);
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await requestJson<{ key: string }>('/api/account/api-keys', {
        method: 'POST',
        body: JSON.stringify({ name, expiresInDays: days }),
      });
      setSecret(created.key);
      setName('');
      await refresh();
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(key: ApiKeyRow) {
    setError(null);
    try {
      await requestJson(`/api/account/api-keys/${key.id}`, { method: 'DELETE' });
      await refresh();
    } catch (caught) {
      setError((caught as Error).message);
    }
  }

  return (
    <div className="mt-6 flex flex-col gap-6">
      <form
        onSubmit={create}
        aria-label="Create an API key"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-border bg-card p-4"
      >
        <div className="flex min-w-48 flex-1 flex-col gap-1">
          <Label htmlFor="api-key-name">Name</Label>
          <Input
            id="api-key-name"
            value={name}
            maxLength={100}
            required
            placeholder="e.g. reporting script"
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="api-key-expiry">Expires after</Label>
          <select
            id="api-key-expiry"
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
            className="h-10 rounded-md border border-input bg-background px-3 text-sm"
          >
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {choice} days
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" disabled={busy || !name.trim()}>
          Create key
        </Button>
      </form>
      {secret ? (
        <section
          aria-label="New API key"
          className="rounded-lg border-2 border-primary bg-accent p-4"
          data-testid="new-api-key"
        >
          <p className="text-sm font-medium">Copy this key now: it is shown only once.</p>
          <code className="mt-2 block break-all text-sm" data-testid="new-api-key-secret">
            {secret}
          </code>
        </section>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
      <Table aria-label="Your API keys">
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Key</TableHead>
            <TableHead>Created</TableHead>
            <TableHead>Last used</TableHead>
            <TableHead>Expires</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {keys.length === 0 ? (
            <TableRow>
              <TableCell colSpan={7} className="text-center text-muted-foreground">
                No API keys yet.
              </TableCell>
            </TableRow>
          ) : null}
          {keys.map((key) => {
            const state = stateOf(key);
            return (
              <TableRow key={key.id} data-testid="api-key-row" data-state={state}>
                <TableCell className="break-words">{key.name}</TableCell>
                <TableCell>
                  <code>{key.prefix}…</code>
                </TableCell>
                <TableCell>{formatDate(key.createdAt)}</TableCell>
                <TableCell>{key.lastUsedAt ? formatDate(key.lastUsedAt) : 'Never'}</TableCell>
                <TableCell>{key.expiresAt ? formatDate(key.expiresAt) : 'Never'}</TableCell>
                <TableCell>
                  {state === 'active' ? 'Active' : state === 'revoked' ? 'Revoked' : 'Expired'}
                </TableCell>
                <TableCell>
                  {state === 'active' ? (
                    <Button
                      variant="outline"
                      size="sm"
                      aria-label={`Revoke ${key.name}`}
                      onClick={() => void revoke(key)}
                    >
                      Revoke
                    </Button>
                  ) : null}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
