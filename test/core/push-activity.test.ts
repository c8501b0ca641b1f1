// The push runner with the Activity target: rows that add activities for the same person are
// separate records (an attendance list names people again and again), while two rows holding the
// same SEQN would write the same activity, so both need review and neither is sent.

import { describe, expect, it } from 'vitest';
import { HEADERS } from '../../src/core/config/types';
import { imisRun, jobRow } from '../helpers/imis-run';

const member = '10001';

function attendance(ids: string[]) {
  const probe = imisRun([]).ems;
  const address = (probe.party(member)!.Emails as { $values: { Address: string }[] }).$values[0]!.Address;
  return imisRun([jobRow({ name: 'Att', action: 'Push', source: 'Att', target: 'Activity', match: 'Email' })], {
    Att: [['Email', 'Event', 'Att ID'], ...ids.map((id, i) => [address, `Session ${i + 1}`, id])],
    Mappings: [
      [...HEADERS.mappings],
      ['Att', 'Email', 'Email', true, 'email'],
      ['Att', 'Event', 'DESCRIPTION', false, ''],
    ],
    Constants: [
      [...HEADERS.constants],
      ['Att', 'ACTIVITY_TYPE', 'EVENT'],
    ],
  });
}

describe('push runner: Activity rows', () => {
  it('several new rows for one contact are each added', () => {
    const t = attendance(['', '', '']);
    expect(t.run().results[0]).toMatchObject({ status: 'OK', created: 3, skipped: 0 });
    expect(t.ems.activities().filter((a) => Number(a.SEQN) > 5).map((a) => a.DESCRIPTION)).toEqual(['Session 1', 'Session 2', 'Session 3']);
  });

  it('two rows with the same SEQN both need review; nothing is written to that activity', () => {
    const t = attendance(['1', '1', '']);
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ created: 1, updated: 0, skipped: 2 });
    const log = t.workbook.text('Sync Log').slice(1);
    expect(log.filter((r) => r[5] === 'Needs review').map((r) => r[3])).toEqual(['2', '3']);
    // The way out names what the ID column holds for an activity, not a contact's iMIS ID.
    expect(log.find((r) => r[5] === 'Needs review')!.join(' ')).toContain('fix one, or enter the right activity number (SEQN) in');
    expect(t.ems.activity(1)!.DESCRIPTION).toBe('Spring Conference 2024');
  });
});
