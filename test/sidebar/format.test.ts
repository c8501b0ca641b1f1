// The sidebar's wording without a browser: the sentence for a refused or failed server call, the hourly sync's owner sentences, secret labels and run summaries.

import { describe, expect, it } from 'vitest';
import { GOOGLE_FAILED, plainError } from '../../sidebar/errors';
import { connectionStatus, countsText, jobChip, jobOrder, jobSummary, lastMessage, runOutcome, scheduleText, secretLabel, whenText, withLocalTimes } from '../../sidebar/format';

describe('plainError', () => {
  it('shows a server refusal’s own sentence, whatever its code', () => {
    expect(plainError({ refused: true, code: 'auth', message: 'the password for "iMIS" was refused' })).toBe('The password for "iMIS" was refused.');
    expect(plainError({ refused: true, message: 'x'.repeat(1000) }).length).toBeLessThanOrEqual(300);
  });

  it('never shows or reads Google’s own failure text: one plain sentence stands for all of them', () => {
    for (const failure of [
      new Error('Exception: Request failed for https://x.test/token returned code 401 (line 12, file "Code")\n    at fetchToken (Code:1234:15)'),
      new Error('NetworkError: Connection failure due to HTTP 0'),
      new Error('ScriptError: Authorization is required to perform that action.'),
      'TypeError: Cannot read properties of undefined',
      undefined,
      { refused: true, message: '' },
    ]) {
      expect(plainError(failure)).toBe(GOOGLE_FAILED);
    }
  });
});

describe('sidebar wording', () => {
  it('names the secret by system', () => {
    expect(secretLabel('iMIS')).toBe('iMIS password');
    expect(secretLabel(' everyaction ')).toBe('EveryAction API key');
    expect(secretLabel('')).toBe('Password or API key');
  });

  it('reads a Status cell', () => {
    expect(connectionStatus({ status: '' })).toEqual({ text: 'Not tested yet', good: null });
    expect(connectionStatus({ status: 'OK 2026-11-23 14:05' }).good).toBe(true);
    expect(connectionStatus({ status: 'HTTP 401: wrong password' }).good).toBe(false);
  });

  it('describes jobs and results', () => {
    const job = { name: 'Members', action: 'Pull', connection: 'iMIS', enabled: true, schedule: '', lastRun: '', lastResult: '', target: 'Members' };
    expect(jobSummary(job)).toBe('Pull from iMIS into tab Members · Manual');
    const r = { job: 'Members', status: 'OK', read: 1500, created: 0, updated: 3, unchanged: 0, skipped: 0, failed: 1, message: '' };
    expect(countsText(r, false)).toBe('1,500 read, 3 updated, 1 failed');
    expect(countsText(r, true)).toBe('1,500 read, 3 would be updated, 1 would fail');
    expect(countsText({ ...r, read: 0, updated: 0, failed: 0 }, false)).toBe('No rows');
    expect(runOutcome([r, { ...r, job: 'Donors', status: 'Failed' }])).toBe('Finished. Members: OK; Donors: Failed.');
  });

  it('says who the hourly sync runs as and who can turn it off', () => {
    expect(scheduleText({ on: true, owner: 'pat@example.org', me: 'pat@example.org' })[0]).toBe('On. Runs as pat@example.org (you).');
    expect(scheduleText({ on: true, owner: 'pat@example.org', me: '' })[0]).toBe('On. Runs as pat@example.org.');
    const other = scheduleText({ on: true, owner: 'sam@example.org', me: 'pat@example.org' }, false);
    expect(other[0]).toBe('Still on: only sam@example.org can turn it off.');
    expect(other).toContain('Only sam@example.org can turn it off.');
    expect(scheduleText({ on: false, owner: '', me: 'pat@example.org' })[0]).toMatch(/^Off\./);
  });
});

describe('the job list (issue 10)', () => {
  const now = new Date('2026-11-23T20:00:00Z'); // 3 PM in New York
  const ny = 'America/New_York';

  it('says when a job last ran in words, in the spreadsheet’s zone, never as UTC text', () => {
    expect(whenText('2026-11-23T19:10:00Z', ny, now)).toBe('today at 2:10 PM');
    expect(whenText('2026-11-23T19:10:00Z', 'Australia/Melbourne', now)).toBe('today at 6:10 AM'); // already the 24th there
    expect(whenText('2026-11-23T04:30:00Z', ny, now)).toBe('yesterday at 11:30 PM');
    expect(whenText('2026-11-20T16:00:00Z', ny, now)).toBe('Friday at 11:00 AM');
    expect(whenText('2026-10-02T16:00:00Z', ny, now)).toBe('Oct 2 at 12:00 PM');
    expect(whenText('2025-10-02T16:00:00Z', ny, now)).toBe('Oct 2, 2025');
    // A time without a zone (a date cell, typed by hand) is the spreadsheet's own clock.
    expect(whenText('2026-11-23 13:00', ny, now)).toBe('today at 1:00 PM');
    expect(whenText('2026-11-22', ny, now)).toBe('yesterday');
    expect(whenText('', ny, now)).toBe('');
    expect(whenText('last Tuesday', ny, now)).toBe('last Tuesday');
    expect(withLocalTimes('OK 2026-11-23T19:05:00Z', ny, now)).toBe('OK today at 2:05 PM');
  });

  it('puts jobs needing attention first, those off last, tab order within each', () => {
    const job = (name: string, lastResult: string, enabled = true) => ({ name, enabled, lastRun: lastResult ? '2026-11-23T19:10:00Z' : '', lastResult });
    const jobs = [job('A', 'OK'), job('B', 'Failed: refused'), job('C', '', false), job('D', 'Held: too many rows'), job('E', ''), job('F', 'Partial: time')];
    expect(jobOrder(jobs, (j) => jobChip(j)).map((j) => j.name)).toEqual(['B', 'D', 'F', 'A', 'E', 'C']);
    expect(jobChip(job('A', 'OK'))).toEqual({ text: 'OK', kind: 'ok', attention: false });
    expect(jobChip(job('A', 'OK'), 'password')).toEqual({ text: 'Needs password', kind: 'bad', attention: true });
    expect(jobChip(job('E', ''))).toEqual({ text: 'Not run', kind: 'idle', attention: false });
    expect(jobChip(job('C', 'OK', false)).text).toBe('Off');
    expect(lastMessage('Failed: the password was refused')).toBe('the password was refused');
  });

  it('sums up a run of many jobs in one short sentence, naming those that did not end well', () => {
    const r = (job: string, status: string) => ({ job, status, message: '', read: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 });
    expect(runOutcome([r('A', 'OK'), r('B', 'Failed')])).toBe('Finished. A: OK; B: Failed.');
    expect(runOutcome([r('A', 'OK'), r('B', 'Failed'), r('C', 'OK'), r('D', 'OK'), r('E', 'Held')])).toBe('Finished 5 jobs: 3 OK, 1 Failed (B), 1 Held (E).');
  });
});
