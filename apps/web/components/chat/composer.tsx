'use client';

import { type FormEvent, type KeyboardEvent, useRef, useState } from 'react';
import { Button } from '../ui/button.tsx';
import { Textarea } from '../ui/input.tsx';

type Props = {
  isStreaming: boolean;
  onSend: (message: string) => void;
  onStop: () => void;
};

/** The message box: Enter sends, Shift+Enter adds a line; Stop replaces Send while an answer streams. */
export function Composer({ isStreaming, onSend, onStop }: Props) {
  const [value, setValue] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  function submit(event?: FormEvent) {
    event?.preventDefault();
    const message = value.trim();
    if (!message || isStreaming) return;
    onSend(message);
    setValue('');
  }
  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }
  return (
    <form onSubmit={submit} className="flex items-end gap-2" aria-label="Ask a question">
      <label htmlFor="composer" className="sr-only">
        Message
      </label>
      <Textarea
        id="composer"
        ref={ref}
        rows={2}
        value={value}
        maxLength={4000}
        placeholder="Ask about your documents… (Enter to send, Shift+Enter for a new line)"
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={onKeyDown}
        className="max-h-48 flex-1"
        aria-describedby="composer-hint"
      />
      <span id="composer-hint" className="sr-only">
        Enter sends the message, Shift+Enter starts a new line.
      </span>
      {isStreaming ? (
        <Button variant="destructive" onClick={onStop}>
          Stop
        </Button>
      ) : (
        <Button type="submit" disabled={!value.trim()}>
          Send
        </Button>
      )}
    </form>
  );
}
