// Shared UI primitives for the chat app and the admin console.
export { Badge, type BadgeVariant } from './badge.tsx';
export { Button, type ButtonProps, buttonClasses } from './button.tsx';
export { Card } from './card.tsx';
export { cn } from './cn.ts';
export { Dialog, type DialogProps } from './dialog.tsx';
export {
  MonitorIcon,
  MoonIcon,
  PencilIcon,
  SunIcon,
  ThumbDownIcon,
  ThumbUpIcon,
  TrashIcon,
} from './icons.tsx';
export { Input, Label, Textarea } from './input.tsx';
export { Progress } from './progress.tsx';
export { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from './table.tsx';
export { type ThemeChoice, ThemeToggle } from './theme-toggle.tsx';
export { ToastProvider, type ToastVariant, useToast } from './toast.tsx';
