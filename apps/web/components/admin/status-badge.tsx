import { Badge, type BadgeVariant } from '../ui/badge.tsx';

const VARIANT: Record<string, BadgeVariant> = {
  ready: 'success',
  queued: 'outline',
  processing: 'warning',
  failed: 'destructive',
  cancelled: 'outline',
  retired: 'secondary',
};

const LABEL: Record<string, string> = {
  ready: 'Ready',
  queued: 'Queued',
  processing: 'Processing',
  failed: 'Failed',
  cancelled: 'Cancelled',
  retired: 'Retired',
};

/** A document version's status as a coloured label. */
export function StatusBadge({ status }: { status: string | null }) {
  if (!status) return <Badge variant="outline">No version</Badge>;
  return <Badge variant={VARIANT[status] ?? 'outline'}>{LABEL[status] ?? status}</Badge>;
}
