import { describe, expect, it } from 'vitest';
import { dateGroupLabel, groupByDate } from './group-conversations.ts';

const now = new Date(2026, 10, 30, 9, 0);
const at = (daysAgo: number, hour = 8) => new Date(2026, 10, 30 - daysAgo, hour, 0);

describe('conversation date groups', () => {
  it('labels days as people say them', () => {
    expect(dateGroupLabel(at(0, 0), now)).toBe('Today');
    expect(dateGroupLabel(at(1, 23), now)).toBe('Yesterday');
    expect(dateGroupLabel(at(2), now)).toBe('Previous 7 days');
    expect(dateGroupLabel(at(7), now)).toBe('Previous 7 days');
    expect(dateGroupLabel(at(8), now)).toBe('Previous 30 days');
    expect(dateGroupLabel(new Date(2026, 2, 3), now)).toMatch(/2026/);
  });

  it('keeps the order and puts consecutive items of one period together', () => {
    const items = [at(0), at(0), at(1), at(3), at(20)].map((d, i) => ({ id: i, updatedAt: d.toISOString() }));
    expect(groupByDate(items, now).map((g) => [g.label, g.items.map((item) => item.id)])).toEqual([
      ['Today', [0, 1]],
      ['Yesterday', [2]],
      ['Previous 7 days', [3]],
      ['Previous 30 days', [4]],
    ]);
  });
});
