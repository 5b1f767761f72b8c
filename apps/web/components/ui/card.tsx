import type { HTMLAttributes } from 'react';
import { cn } from './cn.ts';

/** A bordered surface. */
export function Card({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return (
    <div className={cn('rounded-lg border border-border bg-card p-4 shadow-sm', className)} {...props} />
  );
}
