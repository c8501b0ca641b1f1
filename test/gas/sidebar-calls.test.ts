// What the sidebar's server functions do with arguments the page would never send (an old copy of
// the page, an altered one, a console): each is refused before any work, in one plain sentence the
// page can show as it is (sidebar/errors.ts), never a TypeError and never a Sheets limit message;
// nothing is written, stored, sent or switched on. The shape follows the answer: an ActionResult
// says ok: false; a function answering data (state, run steps, the schedule, field names) answers
// a Refusal with code "data". No server function throws.

import { describe, expect, it } from 'vitest';
import { TAB } from '../../src/core/config/types';
import { plainError } from '../../sidebar/errors';
import { COORDINATOR, contactMappings, peopleTab, seedConfig, setSecrets, type GasWorld } from './fakes';
import { MEMBERS, SIGNUPS, useWorlds } from './scenario';

const newWorld = useWorlds();

function sidebarWorld(): GasWorld {
  const w = newWorld();
  seedConfig(w, { jobs: [MEMBERS, SIGNUPS], mappings: contactMappings('Sign-ups') });
  w.addSheet('Sign-ups', peopleTab(3));
  setSecrets(w);
  return w;
}

const RELOAD = 'close the sidebar, open it again from Extensions → Sheets Sync → Open sidebar, and try again.';
const LONG = 'x'.repeat(60_000);

interface Case {
  fn: string;
  args: unknown[];
  says: string;
}

const garbled = (start: string, what: string) => `${start}: ${what} did not come through from the sidebar; ${RELOAD}`;
const extra = (start: string) => `${start}: the sidebar sent more than Sheets Sync expected; ${RELOAD}`;

const SAVE = 'Nothing was saved';
const TEST = 'Nothing was tested';
const RUN = 'Nothing was run';
const CARRY = 'The run was not carried on';
const HOURLY = 'The hourly sync was not changed';
const FIELDS = 'No field names were looked up';

const CASES: Case[] = [
  { fn: 'sidebarState', args: ['extra'], says: extra('The sidebar could not be filled in') },

  { fn: 'setSecret', args: [], says: garbled(SAVE, 'the connection name') },
  { fn: 'setSecret', args: ['iMIS'], says: garbled(SAVE, 'the password or API key') },
  { fn: 'setSecret', args: [42, 'pw'], says: garbled(SAVE, 'the connection name') },
  { fn: 'setSecret', args: [{ name: 'iMIS' }, 'pw'], says: garbled(SAVE, 'the connection name') },
  { fn: 'setSecret', args: ['', 'pw'], says: garbled(SAVE, 'the connection name') },
  { fn: 'setSecret', args: ['iMIS', 12345], says: garbled(SAVE, 'the password or API key') },
  { fn: 'setSecret', args: ['iMIS', null], says: garbled(SAVE, 'the password or API key') },
  { fn: 'setSecret', args: ['iMIS', 'pw', 'extra'], says: extra(SAVE) },
  { fn: 'setSecret', args: [LONG, 'pw'], says: `${SAVE}: a connection name can be at most 100 characters; shorten it in the Connections tab.` },
  { fn: 'setSecret', args: ['x'.repeat(101), 'pw'], says: `${SAVE}: a connection name can be at most 100 characters; shorten it in the Connections tab.` },
  { fn: 'setSecret', args: ['iMIS', 'x'.repeat(1001)], says: `${SAVE}: that is far too long to be a password or API key.` },
  { fn: 'setSecret', args: ['iMIS', ' \t '], says: `${SAVE}: the field was empty.` },

  { fn: 'testConnection', args: [], says: garbled(TEST, 'the connection name') },
  { fn: 'testConnection', args: [['iMIS']], says: garbled(TEST, 'the connection name') },
  { fn: 'testConnection', args: ['iMIS', true], says: extra(TEST) },
  { fn: 'testConnection', args: [LONG], says: `${TEST}: a connection name can be at most 100 characters; shorten it in the Connections tab.` },

  { fn: 'startRun', args: [], says: garbled(RUN, 'the job name') },
  { fn: 'startRun', args: ['Members'], says: garbled(RUN, 'the choice between Run now and Preview') },
  { fn: 'startRun', args: ['Members', 'false'], says: garbled(RUN, 'the choice between Run now and Preview') },
  { fn: 'startRun', args: ['Members', 0], says: garbled(RUN, 'the choice between Run now and Preview') },
  { fn: 'startRun', args: [null, false], says: garbled(RUN, 'the job name') },
  { fn: 'startRun', args: ['Members', false, 'extra'], says: extra(RUN) },
  { fn: 'startRun', args: [LONG, false], says: `${RUN}: a job name can be at most 100 characters; shorten it in the Jobs tab.` },

  { fn: 'continueRun', args: [], says: garbled(CARRY, "the run's reference") },
  { fn: 'continueRun', args: [42], says: garbled(CARRY, "the run's reference") },
  { fn: 'continueRun', args: [LONG], says: garbled(CARRY, "the run's reference") },
  { fn: 'continueRun', args: ['a-run', 'extra'], says: extra(CARRY) },

  { fn: 'setHourly', args: ['false'], says: garbled(HOURLY, 'the choice of on or off') },
  { fn: 'setHourly', args: ['true'], says: garbled(HOURLY, 'the choice of on or off') },
  { fn: 'setHourly', args: [1], says: garbled(HOURLY, 'the choice of on or off') },
  { fn: 'setHourly', args: [{ on: true }], says: garbled(HOURLY, 'the choice of on or off') },
  { fn: 'setHourly', args: [null], says: garbled(HOURLY, 'the choice of on or off') },
  { fn: 'setHourly', args: [], says: garbled(HOURLY, 'the choice of on or off') },
  { fn: 'setHourly', args: [true, 'extra'], says: extra(HOURLY) },

  { fn: 'fieldNames', args: [], says: garbled(FIELDS, 'the job name') },
  { fn: 'fieldNames', args: [7], says: garbled(FIELDS, 'the job name') },
  { fn: 'fieldNames', args: [LONG], says: `${FIELDS}: a job name can be at most 100 characters; shorten it in the Jobs tab.` },
  { fn: 'fieldNames', args: ['Sign-ups', 'extra'], says: extra(FIELDS) },
];

/** Functions answering an ActionResult refuse with ok: false; the others answer a Refusal. */
const ANSWERS_RESULT = new Set(['setSecret', 'testConnection']);

const shown = (args: unknown[]) => args.map((a) => (typeof a === 'string' && a.length > 20 ? `"${a.slice(0, 3)}…" (${a.length} characters)` : JSON.stringify(a))).join(', ');

describe('Every server function the sidebar calls checks its arguments', () => {
  it.each(CASES.map((c) => ({ ...c, shown: shown(c.args) })))('$fn($shown) is refused in plain words, and nothing happens', ({ fn, args, says }) => {
    const w = sidebarWorld();
    const props = JSON.stringify(w.props.document.all());
    const tabs = JSON.stringify(w.doc.sheets.map((s) => [s.name, s.grid()]));

    const e = w.run(fn, { args });
    let message: string;
    if (ANSWERS_RESULT.has(fn)) {
      expect(e.error).toBeUndefined();
      expect(e.result).toEqual({ ok: false, message: says });
      message = (e.result as { message: string }).message;
    } else {
      expect(e.error).toBeUndefined();
      expect(e.result).toEqual({ refused: true, code: 'data', message: says });
      message = (e.result as { message: string }).message;
      // The page shows a refusal through plainError: the sentence arrives whole.
      expect(plainError(e.result)).toBe(says);
    }
    expect(message).not.toMatch(/TypeError|ReferenceError|Exception|undefined|\[object|single cell|characters in a|\bat \S+:\d+/);

    expect(e.sheetOps.filter((o) => o.op !== 'getValues' && o.op !== 'getValue'), 'nothing written').toEqual([]);
    expect(JSON.stringify(w.doc.sheets.map((s) => [s.name, s.grid()]))).toBe(tabs);
    expect(JSON.stringify(w.props.document.all()), 'nothing stored').toBe(props);
    expect(w.internet.requests, 'nothing sent').toEqual([]);
    expect(w.script.triggers, 'no trigger').toEqual([]);
  });

  it('setHourly("false") never turns the hourly sync on; only a real true does, and a real false turns it off', () => {
    const w = sidebarWorld();
    expect(w.sidebar('setHourly', 'false')).toMatchObject({ refused: true, message: expect.stringMatching(/^The hourly sync was not changed/) });
    expect(w.script.triggers).toEqual([]);
    expect(w.sidebar('sidebarState')).toMatchObject({ schedule: { on: false, owner: '' } });

    expect(w.sidebar('setHourly', true)).toEqual({ on: true, owner: COORDINATOR, me: COORDINATOR });
    // Nor does any text turn it off.
    expect(w.sidebar('setHourly', '')).toMatchObject({ refused: true, message: expect.stringMatching(/^The hourly sync was not changed/) });
    expect(w.script.triggers).toHaveLength(1);
    expect(w.sidebar('setHourly', false)).toEqual({ on: false, owner: '', me: COORDINATOR });
    expect(w.script.triggers).toEqual([]);
  });

  it('a 60,000-character job name never reaches a cell: no Sync Report row, no Sheets limit message', () => {
    const w = sidebarWorld();
    const e = w.run('startRun', { args: [LONG, true] });
    expect(e.result).toEqual({ refused: true, code: 'data', message: `${RUN}: a job name can be at most 100 characters; shorten it in the Jobs tab.` });
    expect(w.doc.find(TAB.report)).toBeUndefined();
    expect(w.doc.find(TAB.log)).toBeUndefined();
  });

  it('arguments the page does send still work: names up to 100 characters, "" for every job, real booleans', () => {
    const w = sidebarWorld();
    expect(w.sidebar('sidebarState')).toMatchObject({ connections: [{ name: 'iMIS', hasSecret: true }] });
    expect(w.sidebar('setSecret', 'iMIS', 'p'.repeat(1000))).toMatchObject({ ok: true });
    expect(w.sidebar('setSecret', 'iMIS', 'demo-password')).toMatchObject({ ok: true });
    expect(w.sidebar('testConnection', 'n'.repeat(100))).toEqual({ ok: false, message: `There is no usable connection named "${'n'.repeat(100)}".` });
    expect(w.sidebar('testConnection', 'iMIS')).toMatchObject({ ok: true });
    expect(w.sidebar<string[]>('fieldNames', 'Sign-ups')).toContain('FirstName');
    expect(w.sidebar('fieldNames', '')).toEqual([]);
    const preview = w.sidebar<{ done: boolean; results: { job: string; status: string }[] }>('startRun', 'Sign-ups', true);
    expect(preview).toMatchObject({ done: true, results: [{ job: 'Sign-ups', status: 'Preview' }] });
    let step = w.sidebar<{ done: boolean; token: string; results: { job: string; status: string }[] }>('startRun', '', false);
    for (let i = 0; !step.done && i < 10; i++) step = w.sidebar('continueRun', step.token);
    expect(step.results.map((r) => [r.job, r.status])).toEqual([
      ['Members', 'OK'],
      ['Sign-ups', 'OK'],
    ]);
    expect(w.sidebar('continueRun', 'no-such-run')).toMatchObject({ done: true, message: 'This run has already finished.' });
  });
});
