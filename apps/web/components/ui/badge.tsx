import type { HTMLAttributes } from 'react';
import { cn } from './cn.ts';

export type BadgeVariant = 'default' | 'secondary' | 'success' | 'warning' | 'destructive' | 'outline';

const VARIANTS: Record<BadgeVariant, string> = {
  default: 'bg-primary text-primary-foreground',
  secondary: 'bg-secondary text-secondary-foreground',
  success: 'border border-success text-success',
  warning: 'border border-warning text-warning',
  destructive: 'border border-destructive text-destructive',
  outline: 'border border-border text-foreground',
};

/** A small status label, e.g. a role name or a document status. */
export function Badge({
  variant = 'secondary',
  className,
  ...props
}: HTMLAttributes<HTMLSpanElement> & { variant?: BadgeVariant }) {
  return (
    <span
      className={cn(
        'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium',
        VARIANTS[variant],
        className,
      )}
      {...props}
    />
  );
}
