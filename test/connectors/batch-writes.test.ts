// sendWrites, the write step the iMIS targets share: one batch of the planned writes, 200 or 201
// settling a row with its planned outcome (or what `accepted` makes of the answer), anything else
// with `refused`, and rows with nothing planned left alone.

import { describe, expect, it } from 'vitest';
import { pending, sendWrites, type BatchSender, type PlannedWrite } from '../../src/connectors/batch';
import type { HttpResponse } from '../../src/core/ports';
import type { PushRow, RowOutcome } from '../../src/core/push/types';

interface Req {
  method: 'PUT' | 'POST';
  path: string;
}

function sender(statuses: Record<string, number>): BatchSender<Req> & { batches: Req[][] } {
  const batches: Req[][] = [];
  return {
    batches,
    send(requests) {
      batches.push(requests);
      return requests.map((r): HttpResponse => ({ status: statuses[r.path] ?? 200, headers: {}, body: `answer to ${r.path}` }));
    },
  };
}

const rows = (n: number): PushRow[] => Array.from({ length: n }, (_, i) => ({ row: i + 2, payload: {}, knownId: '' }));
const write = (path: string, outcome: RowOutcome['outcome'] = 'Updated'): PlannedWrite<Req> => ({ request: { method: 'PUT', path }, planned: { outcome, changes: [], message: `planned ${path}` } });
const refused = (_p: unknown, res: HttpResponse): RowOutcome => ({ outcome: 'Failed', changes: [], message: `refused with ${res.status}` });

describe('sendWrites', () => {
  it('sends every planned write in one batch; 200 and 201 get the planned outcome, others the refusal', () => {
    const client = sender({ b: 201, c: 400 });
    const records = pending<{ write?: PlannedWrite<Req> }>(rows(4), (row) => (row.row === 5 ? {} : { write: write('abc'[row.row - 2]!) }));
    records[3]!.outcome = { outcome: 'Skipped', changes: [], message: 'settled before' };
    sendWrites(client, records, refused);
    expect(client.batches).toEqual([[{ method: 'PUT', path: 'a' }, { method: 'PUT', path: 'b' }, { method: 'PUT', path: 'c' }]]);
    expect(records.map((p) => p.outcome?.message)).toEqual(['planned a', 'planned b', 'refused with 400', 'settled before']);
  });

  it('accepted may settle a row from the answer, or leave it open for a later step', () => {
    const client = sender({});
    const records = pending<{ write?: PlannedWrite<Req> }>(rows(2), (row) => ({ write: write(String(row.row), 'Created') }));
    sendWrites(client, records, refused, (p, res) => (p.row.row === 2 ? { ...p.write!.planned, id: res.body } : null));
    expect(records[0]!.outcome).toMatchObject({ outcome: 'Created', id: 'answer to 2' });
    expect(records[1]!.outcome).toBeUndefined();
  });

  it('sends nothing when nothing is planned', () => {
    const client = sender({});
    sendWrites(client, pending<{ write?: PlannedWrite<Req> }>(rows(2), () => ({})), refused);
    expect(client.batches).toEqual([]);
  });
});
