import { describe, expect, it } from 'vitest';
import { readablePassage } from './readable-passage.ts';

describe('readablePassage', () => {
  it('shows a Markdown table as cells, without rules or emphasis', () => {
    expect(
      readablePassage(
        'Revenue by segment | Segment | Q3 2026 (EUR m) | |---|---| | Component Overhaul | 21.4 | | **Group total** | **48.6** |',
      ),
    ).toBe('Revenue by segment · Segment · Q3 2026 (EUR m) · Component Overhaul · 21.4 · Group total · 48.6');
  });

  it('leaves prose alone', () => {
    expect(readablePassage('Hotel costs are reimbursed up to 150 euros per night.')).toBe(
      'Hotel costs are reimbursed up to 150 euros per night.',
    );
  });
});
