// A scheduled job's next due time in the sidebar's words, on the spreadsheet's clock.

import { describe, expect, it } from 'vitest';
import { nextDueText } from '../../sidebar/format';

describe('nextDueText', () => {
  // Monday 2026-11-23, 10:00 in New York.
  const now = new Date('2026-11-23T15:00:00Z');
  const zone = 'America/New_York';

  it('says today, tomorrow, a weekday within the week, or the date, with the time in the spreadsheet zone', () => {
    expect(nextDueText('2026-11-23T21:00:00Z', zone, now)).toBe('Next run due today at 4:00 PM');
    expect(nextDueText('2026-11-24T07:00:00Z', zone, now)).toBe('Next run due tomorrow at 2:00 AM');
    expect(nextDueText('2026-11-27T22:30:00Z', zone, now)).toBe('Next run due Friday at 5:30 PM');
    expect(nextDueText('2026-12-07T12:00:00Z', zone, now)).toBe('Next run due Dec 7 at 7:00 AM');
    // In Melbourne it is already Tuesday 2:00 AM, so the same instant is later today there.
    expect(nextDueText('2026-11-23T21:00:00Z', 'Australia/Melbourne', now)).toBe('Next run due today at 8:00 AM');
    expect(nextDueText('2026-11-24T14:00:00Z', 'Australia/Melbourne', now)).toBe('Next run due tomorrow at 1:00 AM');
  });

  it('a due time already passed means the next hourly sync runs it', () => {
    expect(nextDueText('2026-11-23T07:00:00Z', zone, now)).toBe('Due: runs at the next hourly sync');
  });

  it('says nothing for a job that does not run by itself', () => {
    expect(nextDueText(undefined, zone, now)).toBe('');
    expect(nextDueText('', zone, now)).toBe('');
  });
});
