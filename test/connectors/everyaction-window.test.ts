// The changed-people windows against the EveryAction simulator: each window after the first
// reaches 5 minutes back before the previous one ended (DESIGN §10.2), so a change stamped around
// a run's start but committed after its export was taken is still picked up, while merging by
// VANID keeps one row per person.

import { describe, expect, it } from 'vitest';
import { imisRun, jobRow } from '../helpers/imis-run';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WATERMARK = 'everyaction:EveryAction:Changes:watermark';

function pull(parameters = '') {
  return imisRun([jobRow({ name: 'Changes', connection: 'EveryAction', source: 'Changed people', target: 'People', match: 'VANID', mode: 'Merge', parameters })]);
}

type Run = ReturnType<typeof pull>;

/**
 * A staff edit stamped at `at` but only visible now, as when EveryAction commits it after an export
 * already ran: the simulator stamps edits with its clock, so the clock goes back and forth again.
 */
function lateEdit(t: Run, at: number, vanId: number, changes: object): void {
  const now = t.clock.now().getTime();
  t.clock.advance(at - now);
  t.ea.touch(vanId, changes);
  t.clock.advance(now - at);
}

const vanIds = (t: Run) => t.workbook.text('People').slice(1).map((r) => r[0]);
const occupationOf = (t: Run, vanId: number) => {
  const tab = t.workbook.text('People');
  return tab.find((r) => r[0] === String(vanId))?.[tab[0]!.indexOf('Occupation')];
};

describe('EveryAction changed-people windows overlap by 5 minutes', () => {
  it('a change stamped in the second the run started, committed after its export, appears in the next run', () => {
    const t = pull();
    t.clock.advance(600);
    const runStart = t.clock.now().getTime();
    expect(t.run().results[0]!.status).toBe('OK');
    expect(t.store.get(WATERMARK)).toBe('2026-11-23T15:00:00Z');

    lateEdit(t, runStart - 300, 100000007, { occupation: 'Stamped with the run' });
    t.clock.advance(HOUR);
    const next = t.run().results[0]!;
    expect(next.status).toBe('OK');
    expect(occupationOf(t, 100000007)).toBe('Stamped with the run');
  });

  it('a change committed late, stamped just before the previous window ended, appears in the next run', () => {
    const t = pull();
    const runStart = t.clock.now().getTime();
    expect(t.run().results[0]!.status).toBe('OK');

    lateEdit(t, runStart - 2_000, 100000008, { occupation: 'Committed late' });
    lateEdit(t, runStart - 5 * MINUTE + 1_000, 100000009, { occupation: 'Almost 5 minutes late' });
    t.clock.advance(HOUR);
    const next = t.run().results[0]!;
    expect(next.message).toContain('changes from 2026-11-23T14:55:00Z to ');
    expect(occupationOf(t, 100000008)).toBe('Committed late');
    expect(occupationOf(t, 100000009)).toBe('Almost 5 minutes late');
  });

  it('a person exported in both windows keeps one row in the tab', () => {
    const t = pull();
    lateEdit(t, t.clock.now().getTime() - MINUTE, 100000006, { occupation: 'Seen twice' });
    expect(t.run().results[0]!.status).toBe('OK');
    const before = vanIds(t);
    expect(before.filter((id) => id === '100000006')).toHaveLength(1);

    t.clock.advance(HOUR);
    const next = t.run().results[0]!;
    expect(next).toMatchObject({ status: 'OK', created: 0 });
    expect(next.read).toBeGreaterThanOrEqual(1);
    const after = vanIds(t);
    expect(after).toEqual(before);
    expect(new Set(after).size).toBe(after.length);
    expect(occupationOf(t, 100000006)).toBe('Seen twice');
  });

  it('the overlap never reaches before the first window’s start', () => {
    const t = pull('2026-11-23T14:58:00Z');
    expect(t.run().results[0]!.message).toContain('changes from 2026-11-23T14:58:00Z to 2026-11-23T15:00:00Z');
    t.clock.advance(HOUR);
    expect(t.run().results[0]!.message).toContain('changes from 2026-11-23T14:58:00Z to ');
    // once the windows are longer than the overlap, the usual 5 minutes apply again
    const mark = Date.parse(t.store.get(WATERMARK)!);
    t.clock.advance(HOUR);
    expect(t.run().results[0]!.message).toContain(`changes from ${new Date(mark - 5 * MINUTE).toISOString().replace('.000Z', 'Z')} to `);
  });
});
