// The batching helper the push targets share: one send per step, each response handed to the
// record it was sent for, rows that need nothing left alone, and a row never settled caught.

import { describe, expect, it } from 'vitest';
import { open, outcomes, pending, step, type BatchSender, type Pending } from '../../src/connectors/batch';
import type { HttpResponse } from '../../src/core/ports';
import type { PushRow } from '../../src/core/push/types';

interface Req {
  method: 'GET' | 'PUT' | 'POST';
  path: string;
}

/** A sender that answers from a table by path (200 with the path as body unless told), recording every batch. */
function sender(statuses: Record<string, number> = {}): BatchSender<Req> & { batches: Req[][] } {
  const batches: Req[][] = [];
  return {
    batches,
    send(requests) {
      batches.push(requests);
      return requests.map((r): HttpResponse => ({ status: statuses[`${r.method} ${r.path}`] ?? 200, headers: {}, body: `${r.method} ${r.path}` }));
    },
  };
}

const rows = (...ids: string[]): PushRow[] => ids.map((id, i) => ({ row: i + 2, payload: { Name: `name ${id}` }, knownId: id }));

describe('pending', () => {
  it('gives every row a record with its own state, in row order', () => {
    const records = pending(rows('a', 'b'), (row) => ({ key: row.knownId.toUpperCase() }));
    expect(records.map((p) => [p.row.row, p.key, p.outcome])).toEqual([
      [2, 'A', undefined],
      [3, 'B', undefined],
    ]);
  });

  it('keeps the row even when the state names a field "row"', () => {
    const [p] = pending(rows('a'), () => ({ row: 'not the row' }) as unknown as object);
    expect(p!.row.knownId).toBe('a');
  });
});

describe('step', () => {
  it('sends one batch in row order and hands each record its own response and request', () => {
    const client = sender();
    const records = pending(rows('a', 'b', 'c'), () => ({ body: '', method: '' }));
    step(
      client,
      records,
      (p) => ({ method: 'GET', path: `item/${p.row.knownId}` }),
      (p, res, req) => {
        p.body = res.body;
        p.method = req.method;
      },
    );
    expect(client.batches).toEqual([[{ method: 'GET', path: 'item/a' }, { method: 'GET', path: 'item/b' }, { method: 'GET', path: 'item/c' }]]);
    expect(records.map((p) => p.body)).toEqual(['GET item/a', 'GET item/b', 'GET item/c']);
    expect(records.map((p) => p.method)).toEqual(['GET', 'GET', 'GET']);
  });

  it('leaves out rows that need no request, and pairs the rest correctly around them', () => {
    const client = sender();
    const records = pending(rows('a', '', 'c', '', 'e'), () => ({ body: 'untouched' }));
    step(
      client,
      records,
      (p) => (p.row.knownId ? { method: 'GET', path: `item/${p.row.knownId}` } : null),
      (p, res) => (p.body = res.body),
    );
    expect(client.batches).toHaveLength(1);
    expect(client.batches[0]!.map((r) => r.path)).toEqual(['item/a', 'item/c', 'item/e']);
    expect(records.map((p) => p.body)).toEqual(['GET item/a', 'untouched', 'GET item/c', 'untouched', 'GET item/e']);
  });

  it('sends nothing at all when no record needs a request', () => {
    const client = sender();
    const records = pending(rows('a', 'b'), () => ({}));
    let called = 0;
    step(
      client,
      records,
      () => null,
      () => called++,
    );
    expect(client.batches).toEqual([]);
    expect(called).toBe(0);
  });

  it('passes settled records by: they are neither asked for a request nor answered', () => {
    const client = sender();
    const records = pending(rows('a', 'b'), () => ({}));
    records[0]!.outcome = { outcome: 'Skipped', changes: [], message: 'done already' };
    const asked: string[] = [];
    step(
      client,
      records,
      (p) => {
        asked.push(p.row.knownId);
        return { method: 'GET', path: `item/${p.row.knownId}` };
      },
      (p) => (p.outcome = { outcome: 'Unchanged', changes: [], message: '' }),
    );
    expect(asked).toEqual(['b']);
    expect(client.batches[0]!.map((r) => r.path)).toEqual(['item/b']);
    expect(open(records)).toEqual([]);
  });

  it('refuses a sender that answers a different number of requests than it was given', () => {
    const short: BatchSender<Req> = { send: () => [{ status: 200, headers: {}, body: '' }] };
    const records = pending(rows('a', 'b'), () => ({}));
    expect(() =>
      step(
        short,
        records,
        (p) => ({ method: 'GET', path: p.row.knownId }),
        () => undefined,
      ),
    ).toThrow('Sent 2 requests but got 1 responses back');
  });
});

describe('outcomes', () => {
  it('returns the outcomes in row order, whatever order they were settled in', () => {
    const records = pending(rows('a', 'b', 'c'), () => ({}));
    records[2]!.outcome = { outcome: 'Created', id: 'c', changes: [], message: '' };
    records[0]!.outcome = { outcome: 'Updated', id: 'a', changes: [], message: '' };
    records[1]!.outcome = { outcome: 'Skipped', changes: [], message: 'why' };
    expect(outcomes(records).map((o) => o.outcome)).toEqual(['Updated', 'Skipped', 'Created']);
  });

  it('fails loudly, naming the sheet row, when a record was never settled', () => {
    const records = pending(rows('a', 'b'), () => ({}));
    records[0]!.outcome = { outcome: 'Updated', changes: [], message: '' };
    expect(() => outcomes(records)).toThrow('Row 3 was never given an outcome');
  });
});

describe('chained steps', () => {
  /** A GET → PUT target in miniature: 404 falls back to a search, then a POST; a failed write keeps its own message. */
  function upsert(client: BatchSender<Req>, batch: PushRow[]) {
    type State = { found?: string; fallback?: boolean; write?: Req };
    const records = pending<State>(batch, () => ({}));
    const fallback: Pending<State>[] = [];
    step(
      client,
      records,
      (p) => ({ method: 'GET', path: `thing/${p.row.knownId}` }),
      (p, res) => {
        if (res.status === 200) p.found = res.body;
        else if (res.status === 404) fallback.push(p);
        else p.outcome = { outcome: 'Failed', changes: [], message: `read ${res.status}` };
      },
    );
    step(
      client,
      fallback,
      (p) => ({ method: 'GET', path: `search?name=${p.row.knownId}` }),
      (p, res) => {
        if (res.status !== 200) p.outcome = { outcome: 'Skipped', changes: [], message: 'not found anywhere' };
      },
    );
    for (const p of open(records)) p.write = p.found ? { method: 'PUT', path: `thing/${p.row.knownId}` } : { method: 'POST', path: 'thing' };
    step(
      client,
      records,
      (p) => p.write ?? null,
      (p, res, req) => {
        p.outcome = res.status === 200 ? { outcome: req.method === 'PUT' ? 'Updated' : 'Created', id: p.row.knownId, changes: [], message: '' } : { outcome: 'Failed', changes: [], message: `write ${res.status}` };
      },
    );
    return outcomes(records);
  }

  it('sends one batch per step, each row carried through its own path', () => {
    const client = sender({ 'GET thing/b': 404, 'GET thing/c': 404, 'GET search?name=c': 404, 'GET thing/d': 500, 'PUT thing/e': 400 });
    const out = upsert(client, rows('a', 'b', 'c', 'd', 'e'));
    expect(client.batches.map((b) => b.map((r) => `${r.method} ${r.path}`))).toEqual([
      ['GET thing/a', 'GET thing/b', 'GET thing/c', 'GET thing/d', 'GET thing/e'],
      ['GET search?name=b', 'GET search?name=c'],
      ['PUT thing/a', 'POST thing', 'PUT thing/e'],
    ]);
    expect(out.map((o) => [o.outcome, o.message])).toEqual([
      ['Updated', ''],
      ['Created', ''],
      ['Skipped', 'not found anywhere'],
      ['Failed', 'read 500'],
      ['Failed', 'write 400'],
    ]);
  });

  it('skips a step that has nothing to send', () => {
    const client = sender();
    upsert(client, rows('a', 'b'));
    expect(client.batches.map((b) => b.map((r) => r.method))).toEqual([
      ['GET', 'GET'],
      ['PUT', 'PUT'],
    ]);
  });
});
