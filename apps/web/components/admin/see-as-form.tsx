'use client';

import Link from 'next/link';
import { type FormEvent, useId, useState } from 'react';
import type { SeeAsResult } from '../../app/admin/_server/admin-see-as.ts';
import { AnswerMarkdown } from '../chat/answer-markdown.tsx';
import { describeLocation } from '../chat/message-view.tsx';
import { Badge } from '../ui/badge.tsx';
import { Button } from '../ui/button.tsx';
import { Input, Label } from '../ui/input.tsx';
import { SafeMarkdown } from '../ui/safe-markdown.tsx';
import { describeError, sendAdminJson } from './admin-fetch.ts';
import { type RoleOption, RolePicker } from './role-picker.tsx';

/** Pick roles or a user, ask a question, and see what that scope retrieves and what it cannot see. */
export function SeeAsForm({ roles, users }: { roles: RoleOption[]; users: { id: string; email: string }[] }) {
  const ids = { mode: useId(), user: useId(), question: useId() };
  const [mode, setMode] = useState<'roles' | 'user'>('roles');
  const [roleIds, setRoleIds] = useState<string[]>([]);
  const [userId, setUserId] = useState('');
  const [result, setResult] = useState<SeeAsResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const question = String(new FormData(event.currentTarget).get('question') ?? '');
    setBusy(true);
    setProblem(null);
    try {
      if (mode === 'user' && !userId) throw new Error('Choose a user.');
      setResult(
        await sendAdminJson<SeeAsResult>('/api/admin/see-as', 'POST', {
          question,
          ...(mode === 'roles' ? { roleIds } : { userId }),
        }),
      );
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="grid gap-6 xl:grid-cols-[22rem_1fr]">
      <form
        onSubmit={submit}
        className="flex flex-col gap-4 rounded-lg border border-border bg-card p-4"
        aria-label="Preview scope"
      >
        <fieldset className="flex gap-4">
          <legend className="mb-1 text-sm font-medium">Preview as</legend>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name={ids.mode}
              checked={mode === 'roles'}
              onChange={() => setMode('roles')}
              className="accent-primary"
            />
            Roles
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name={ids.mode}
              checked={mode === 'user'}
              onChange={() => setMode('user')}
              className="accent-primary"
            />
            A user
          </label>
        </fieldset>
        {mode === 'roles' ? (
          <RolePicker roles={roles} selected={roleIds} onChange={setRoleIds} legend="Roles to preview" />
        ) : (
          <div className="flex flex-col gap-1">
            <Label htmlFor={ids.user}>User</Label>
            <select
              id={ids.user}
              className="h-10 rounded-md border border-input bg-background px-3 text-sm"
              value={userId}
              onChange={(event) => setUserId(event.target.value)}
            >
              <option value="">Choose a user</option>
              {users.map((user) => (
                <option key={user.id} value={user.id}>
                  {user.email}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="flex flex-col gap-1">
          <Label htmlFor={ids.question}>Question</Label>
          <Input
            id={ids.question}
            name="question"
            required
            maxLength={2000}
            placeholder="e.g. What was Q3 revenue?"
          />
        </div>
        {problem ? (
          <p role="alert" className="text-sm text-destructive">
            {problem}
          </p>
        ) : null}
        <Button type="submit" disabled={isBusy}>
          {isBusy ? 'Answering…' : 'Preview'}
        </Button>
        <p className="text-xs text-muted-foreground">Previews are recorded in the audit trail.</p>
      </form>

      <div className="flex min-w-0 flex-col gap-6" aria-live="polite">
        {result ? (
          <>
            <section aria-labelledby="answer-heading" data-testid="see-as-answer">
              <h2 id="answer-heading" className="text-base font-semibold">
                The answer they would get
              </h2>
              <div className="mt-2 rounded-md border border-border bg-card p-3">
                {result.answer.isWithheld ? (
                  <p className="text-sm text-muted-foreground" data-testid="see-as-answer-hidden">
                    Answer hidden: it quotes documents none of your own roles may read. It would cite the
                    sources below.
                  </p>
                ) : null}
                <AnswerMarkdown
                  content={result.answer.content}
                  markers={new Set(result.answer.citations.map((citation) => citation.marker))}
                  previews={
                    new Map(
                      result.answer.citations.map((citation) => [
                        citation.marker,
                        { title: citation.title, detail: describeLocation(citation), quote: citation.quote },
                      ]),
                    )
                  }
                  idPrefix="see-as"
                  onCite={(marker) =>
                    document.getElementById(`see-as-source-${marker}`)?.scrollIntoView({ block: 'center' })
                  }
                />
                {result.answer.citations.length ? (
                  <ol className="mt-2 flex flex-col gap-1 border-t border-border pt-2 text-xs">
                    {result.answer.citations.map((citation) => (
                      <li key={citation.marker} id={`see-as-source-${citation.marker}`}>
                        <span className="font-semibold text-primary">[{citation.marker}]</span>{' '}
                        {citation.title}
                        {describeLocation(citation) ? ` · ${describeLocation(citation)}` : ''}
                      </li>
                    ))}
                  </ol>
                ) : null}
              </div>
            </section>
            <section aria-labelledby="retrieved-heading">
              <h2 id="retrieved-heading" className="text-base font-semibold">
                Retrieved passages ({result.passages.length})
              </h2>
              <p className="text-sm text-muted-foreground">
                As {result.subject.kind === 'user' ? result.subject.label : `roles: ${result.subject.label}`}
                {result.subject.disabled ? ' (disabled: reads nothing)' : ''} · {result.readableCount}{' '}
                readable document
                {result.readableCount === 1 ? '' : 's'}
              </p>
              {result.passages.length === 0 ? (
                <p className="mt-3 rounded-md border border-border p-3 text-sm">
                  Nothing this scope may read matches the question: the assistant would say it found nothing.
                </p>
              ) : (
                <ol className="mt-3 flex flex-col gap-3" aria-label="Retrieved passages">
                  {result.passages.map((passage) => (
                    <li
                      key={passage.chunkId}
                      className="rounded-md border border-border bg-card p-3"
                      data-testid="see-as-passage"
                    >
                      <p className="text-xs text-muted-foreground">
                        #{passage.rank} ·{' '}
                        <Link
                          href={`/admin/documents/${passage.documentId}`}
                          className="font-medium text-primary hover:underline"
                        >
                          {passage.title}
                        </Link>
                        {passage.page != null ? ` · page ${passage.page}` : ''}
                        {passage.headingPath.length ? ` · ${passage.headingPath.join(' › ')}` : ''}
                      </p>
                      {passage.text !== null ? (
                        <div className="mt-1">
                          <SafeMarkdown className="text-sm">{passage.text}</SafeMarkdown>
                        </div>
                      ) : (
                        <p className="mt-1 text-sm text-muted-foreground" data-testid="see-as-text-hidden">
                          Text hidden: none of your own roles may read this document.
                        </p>
                      )}
                    </li>
                  ))}
                </ol>
              )}
            </section>
            <section aria-labelledby="hidden-heading">
              <h2 id="hidden-heading" className="text-base font-semibold">
                Documents this scope can't see ({result.hidden.length})
              </h2>
              {result.hidden.length === 0 ? (
                <p className="text-sm text-muted-foreground">
                  This scope can read every searchable document.
                </p>
              ) : (
                <ul
                  className="mt-2 divide-y divide-border rounded-md border border-border bg-card text-sm"
                  aria-label="Hidden documents"
                >
                  {result.hidden.map((doc) => (
                    <li key={doc.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
                      <span className="break-words">{doc.title}</span>
                      <span className="flex flex-wrap gap-1">
                        {doc.roles.length === 0 ? <Badge variant="warning">Nobody</Badge> : null}
                        {doc.roles.map((role) => (
                          <Badge key={role} variant="outline">
                            {role}
                          </Badge>
                        ))}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </>
        ) : (
          <p className="text-sm text-muted-foreground">
            Choose roles or a user and ask a question to see exactly which passages that scope would retrieve.
          </p>
        )}
      </div>
    </div>
  );
}
