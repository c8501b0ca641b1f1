// A job that ends part way (DESIGN §10.2), through the whole engine against the simulators: what was
// done before the failure keeps its IDs, statuses and Sync Log rows and is counted; rows never sent
// keep their cells and count as Skipped; refused credentials and an unreachable system end the job
// at once (at most one batch in flight), with a coded result.

import { describe, expect, it } from 'vitest';
import { HEADERS } from '../../src/core/config/types';
import type { Grid, HttpRequest, HttpResponse } from '../../src/core/ports';
import { CONNECTIONS, imisRun, jobRow } from '../helpers/imis-run';
import type { MemoryWorkbook } from '../helpers/fakes';

function mappings(job: string, rows: [string, string][]): Grid {
  return [[...HEADERS.mappings], ...rows.map(([column, field]) => [job, column, field, false, ''])];
}

const col = (wb: MemoryWorkbook, tab: string, header: string) => {
  const t = wb.text(tab);
  const i = t[0]!.indexOf(header);
  return i < 0 ? t.slice(1).map(() => '') : t.slice(1).map((r) => r[i] ?? '');
};

/** n new people for a contact push: E-mail, First, Last. */
const newPeople = (n: number): Grid => [['E-mail', 'First', 'Last'], ...Array.from({ length: n }, (_, i) => [`new.${i + 1}@example.org`, 'New', `Person${i + 1}`])];

function contactPush(n: number, tabs: Record<string, Grid> = {}) {
  return imisRun([jobRow({ name: 'Signups', action: 'Push', source: 'Sign-ups', target: 'Contact' })], {
    'Sign-ups': newPeople(n),
    Mappings: mappings('Signups', [
      ['E-mail', 'Email'],
      ['First', 'FirstName'],
      ['Last', 'LastName'],
    ]),
    ...tabs,
  });
}

function peoplePush(n: number, eaMode: 0 | 1) {
  return imisRun(
    [jobRow({ name: 'Signers', action: 'Push', connection: 'EveryAction', source: 'Signers', target: 'People', match: 'Auto', mode: 'Liberal' })],
    {
      Signers: newPeople(n),
      Mappings: mappings('Signers', [
        ['E-mail', 'Email'],
        ['First', 'FirstName'],
        ['Last', 'LastName'],
      ]),
    },
    0,
    { mode: eaMode },
  );
}

/** Runs `after` once, right after the first fetchAll batch for which `when` holds has been answered. */
function onceAfter(http: { fetchAll(r: HttpRequest[]): HttpResponse[] }, when: (batch: HttpRequest[]) => boolean, after: () => void): void {
  const inner = http.fetchAll.bind(http);
  let done = false;
  http.fetchAll = (batch) => {
    const out = inner(batch);
    if (!done && when(batch)) {
      done = true;
      after();
    }
    return out;
  };
}

const logRows = (wb: MemoryWorkbook, job: string) => wb.text('Sync Log').filter((r) => r[2] === job);

describe('a push that fails part way keeps what it did', () => {
  it('a token outage after the first batch: the 10 created keep IDs, statuses and log rows; the other 15 are not sent and left as they were', () => {
    const t = contactPush(25);
    onceAfter(
      t.http,
      (batch) => batch.some((r) => r.method === 'POST' && /\/imis\/api\/Party$/.test(r.url)),
      () => {
        t.ems.expireAllTokens();
        t.ems.faults.queue({ status: 503, times: 5, pathPrefix: '/token' }); // every attempt of one sign-in
      },
    );
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'Failed', code: 'server', read: 25, created: 10, updated: 0, unchanged: 0, failed: 0, skipped: 15 });
    expect(out.message).toMatch(/signing in/);
    expect(out.message).toContain('15 rows not sent');
    const ids = col(t.workbook, 'Sign-ups', 'Signups ID');
    expect(ids.slice(0, 10).every((id) => /^\d+$/.test(id))).toBe(true);
    expect(ids.slice(10)).toEqual(Array(15).fill(''));
    expect(col(t.workbook, 'Sign-ups', 'Signups Status')).toEqual([...Array(10).fill('Created'), ...Array(15).fill('')]);
    expect(logRows(t.workbook, 'Signups').map((r) => r[5])).toEqual(Array(10).fill('Created'));
    // The next run sends only the 15 (the 10 are unchanged) and creates no duplicate.
    const again = t.run().results[0]!;
    expect(again).toMatchObject({ status: 'OK', read: 25, created: 15, unchanged: 10 });
    expect(t.ems.parties().filter((p) => JSON.stringify(p.Emails).includes('new.1@example.org'))).toHaveLength(1);
  });
});

describe('refused credentials and an unreachable system end the job at once', () => {
  it('EveryAction: a VoterFile key on a MyCampaign connection is tried on one batch only, and the message says what to check', () => {
    const t = peoplePush(25, 0);
    const out = t.run().results[0]!;
    expect(t.ea.requests.length).toBeLessThanOrEqual(10);
    expect(out).toMatchObject({ status: 'Failed', code: 'auth', read: 25, created: 0, failed: 0, skipped: 25 });
    expect(out.message).toContain('API key');
    expect(out.message).toContain('MyCampaign or VoterFile');
    expect(out.message).toContain('Mode is MyCampaign');
    expect(out.message).toContain('25 rows not sent');
    expect(out.message).not.toMatch(/of 25 rows failed/);
    expect(col(t.workbook, 'Signers', 'Signers Status')).toEqual(Array(25).fill(''));
    expect(logRows(t.workbook, 'Signers')).toEqual([]);
  });

  it('iMIS: a user name iMIS refuses (invalid_grant) costs one request and ends the job as auth', () => {
    const connections: Grid = CONNECTIONS.map((r) => (r[0] === 'iMIS' ? r.map((c, i) => (i === 3 ? 'nobody.here' : c)) : r));
    const t = contactPush(12, { Connections: connections });
    const out = t.run().results[0]!;
    expect(t.ems.requests.map((r) => r.path)).toEqual(['/token']);
    expect(out).toMatchObject({ status: 'Failed', code: 'auth', read: 12, skipped: 12, created: 0, failed: 0 });
    expect(out.message).toContain('nobody.here');
  });

  it('iMIS: every contact request refused with 401, even with a fresh token: one batch, then the job ends', () => {
    const t = contactPush(25);
    t.ems.faults.queue({ status: 401, times: 1000, pathPrefix: '/api/Party' });
    const out = t.run().results[0]!;
    const party = t.ems.requests.filter((r) => r.path.startsWith('/api/Party'));
    expect(party.length).toBeLessThanOrEqual(20); // one batch of 10, sent again once with a new token
    expect(out).toMatchObject({ status: 'Failed', code: 'auth', read: 25, skipped: 25, failed: 0 });
    expect(col(t.workbook, 'Sign-ups', 'Signups Status')).toEqual(Array(25).fill(''));
  });

  it('no answer at all (status 0) after the first batch: the job ends as network, keeping the first batch', () => {
    const t = peoplePush(25, 1);
    let cut = false;
    onceAfter(
      t.http,
      (batch) => batch.some((r) => /findOrCreate/.test(r.url)),
      () => (cut = true),
    );
    const inner = t.http.fetchAll.bind(t.http);
    let unanswered = 0;
    t.http.fetchAll = (batch) => {
      if (!cut) return inner(batch);
      unanswered += batch.length;
      return batch.map(() => ({ status: 0, headers: {}, body: 'could not reach 127.0.0.1: connection refused' }));
    };
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'Failed', code: 'network', read: 25, created: 10, skipped: 15, failed: 0 });
    // one batch of 10, each tried at most 5 times
    expect(unanswered).toBeLessThanOrEqual(50);
    expect(col(t.workbook, 'Signers', 'Signers Status')).toEqual([...Array(10).fill('Created'), ...Array(15).fill('')]);
  });

  it('a row whose values are refused (400) fails alone with code data; the job goes on', () => {
    const t = contactPush(12);
    t.ems.rejectNext('/api/Party', 'Email is not valid.', 1);
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'Failed', read: 12, created: 11, failed: 1, skipped: 0 });
    expect(out.code).toBeUndefined();
  });
});
