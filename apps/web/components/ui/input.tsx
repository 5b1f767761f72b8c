import type { ComponentProps } from 'react';
import { cn } from './cn.ts';

const FIELD =
  'w-full rounded-md border border-input bg-background px-3 py-2 text-sm placeholder:text-muted-foreground disabled:opacity-50';

/** A text input. Pair it with <Label htmlFor> or an aria-label so it has an accessible name. */
export function Input({ className, ...props }: ComponentProps<'input'>) {
  return <input className={cn(FIELD, 'h-10', className)} {...props} />;
}

/** A multi-line text field. */
export function Textarea({ className, ...props }: ComponentProps<'textarea'>) {
  return <textarea className={cn(FIELD, 'min-h-10 resize-y', className)} {...props} />;
}

/** A form label. */
export function Label({ className, ...props }: ComponentProps<'label'>) {
  // biome-ignore lint/a11y/noLabelWithoutControl: callers pass htmlFor or nest the control.
  return <label className={cn('text-sm font-medium', className)} {...props} />;
}
