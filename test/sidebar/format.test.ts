// The sidebar's wording without a browser: the sentence for a refused or failed server call, the hourly sync's owner sentences, secret labels and run summaries.

import { describe, expect, it } from 'vitest';
import { GOOGLE_FAILED, plainError } from '../../sidebar/errors';
import { connectionStatus, countsText, jobSummary, runOutcome, scheduleText, secretLabel } from '../../sidebar/format';

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
