// How the engine reports a job that threw: a SyncError's message is the coordinator's sentence and
// needs no stack trace; anything else is a bug, and its stack goes to the log.

import { describe, expect, it } from 'vitest';
import { HEADERS } from '../../src/core/config/types';
import { runSync, type ConnectorFactory } from '../../src/core/engine';
import { SyncError, FAULT_SENTENCE } from '../../src/core/errors';
import type { Cell } from '../../src/core/ports';
import { CONNECTIONS, jobRow } from '../helpers/imis-run';
import { FakeClock, memoryLog, MemoryStore, MemoryWorkbook, ScriptedHttp, json, secrets } from '../helpers/fakes';

function runWith(thrown: unknown) {
  const workbook = new MemoryWorkbook({
    Connections: CONNECTIONS,
    Jobs: [[...HEADERS.jobs], jobRow({ name: 'Signups', action: 'Push', source: 'Sign-ups', target: 'Contact' }) as Cell[]],
    Mappings: [[...HEADERS.mappings], ['Signups', 'E-mail', 'Email', false, '']],
    'Sign-ups': [['E-mail'], ['a@example.org'], ['b@example.org']],
  });
  const connectors: ConnectorFactory = () => ({
    push: () => ({
      prepare: () => {
        throw thrown;
      },
      check: () => null,
      matchKey: (r) => String(r.payload.Email),
      push: () => [],
    }),
  });
  const log = memoryLog();
  const out = runSync(
    { workbook, store: new MemoryStore(), http: new ScriptedHttp(() => json(200, {})), clock: new FakeClock(), log, secrets: secrets({ iMIS: 'pw' }), connectors, timeZone: 'UTC' },
    { trigger: 'CLI', jobs: [], preview: false, budgetMs: 60_000 },
  );
  return { result: out.results[0]!, log: log.lines, workbook };
}

describe('a job that throws', () => {
  it('a SyncError: its code on the result, no stack trace in the log, the rows counted as not sent', () => {
    const { result, log } = runWith(new SyncError('access', 'iMIS does not allow this user to read contacts.'));
    expect(result).toMatchObject({ status: 'Failed', code: 'access', read: 2, skipped: 2 });
    expect(result.message).toMatch(/^iMIS does not allow this user to read contacts\. 2 rows: .*2 rows not sent/);
    expect(log.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('any other exception (a RangeError, say) is a bug: no code, a plain sentence for the coordinator, and its stack goes to the log', () => {
    const { result, log } = runWith(new RangeError('Invalid array length'));
    expect(result.status).toBe('Failed');
    expect(result.code).toBeUndefined();
    expect(result.message).toContain(FAULT_SENTENCE);
    expect(result.message).not.toContain('Invalid array length');
    expect(log.some((l) => l.startsWith('Signups: RangeError: Invalid array length') && /\n\s+at /.test(l))).toBe(true);
  });
});
