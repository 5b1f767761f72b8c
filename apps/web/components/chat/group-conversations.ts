/** A sidebar section: conversations last active in one period, newest first. */
export type ConversationGroup<T> = { label: string; items: T[] };

const DAY_MS = 86_400_000;

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** "Today", "Yesterday", "Previous 7 days", "Previous 30 days", then month and year ("March 2026"). */
export function dateGroupLabel(at: Date, now: Date): string {
  const days = Math.round((startOfDay(now) - startOfDay(at)) / DAY_MS);
  if (days <= 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days <= 7) return 'Previous 7 days';
  if (days <= 30) return 'Previous 30 days';
  return at.toLocaleDateString(undefined, { month: 'long', year: 'numeric' });
}

/** Groups items (already newest first) by when they were last active, in the viewer's time zone. */
export function groupByDate<T extends { updatedAt: string }>(items: T[], now: Date): ConversationGroup<T>[] {
  const groups: ConversationGroup<T>[] = [];
  for (const item of items) {
    const label = dateGroupLabel(new Date(item.updatedAt), now);
    const last = groups.at(-1);
    if (last?.label === label) last.items.push(item);
    else groups.push({ label, items: [item] });
  }
  return groups;
}

/** When a conversation was last active: the time for today and yesterday, else the day ("3 Mar"). */
export function formatActivity(at: Date, now: Date): string {
  const days = Math.round((startOfDay(now) - startOfDay(at)) / DAY_MS);
  if (days <= 1) return at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return at.toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
    ...(at.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
}
