import { cn } from './cn.ts';

/**
 * A determinate progress bar (0..100). Uses the native <progress> element: accessible by default and
 * styled without inline style attributes, which the CSP does not allow.
 */
export function Progress({ value, label, className }: { value: number; label: string; className?: string }) {
  const clamped = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <progress
      aria-label={label}
      max={100}
      value={clamped}
      className={cn(
        'h-2 w-full overflow-hidden rounded-full appearance-none [&::-webkit-progress-bar]:bg-muted',
        '[&::-webkit-progress-value]:bg-primary [&::-moz-progress-bar]:bg-primary',
        className,
      )}
    >
      {clamped}%
    </progress>
  );
}
