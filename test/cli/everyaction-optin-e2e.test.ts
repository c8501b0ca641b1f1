// A Conservative EveryAction pull end to end: the built command against the simulators on
// loopback, on a copy of the demo workbook. Only people opted in reach the tab, with their email
// subscription and SMS opt-in in words; when one of them opts out in EveryAction, the next run
// marks the row `Opted out on <date>` in the spreadsheet's time zone (here the computer's: TZ).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { demoWorkbook, runCli, useSimulators } from '../helpers/cli';

const SECRETS = { SHEETS_SYNC_SECRET_EVERYACTION: 'demo-api-key' };
const TZ = 'Pacific/Auckland';
const JOB = 'EveryAction Changes';

const simulators = useSimulators();

/** The demo workbook with its changed-people pull set to Conservative. */
function conservative(): string {
  const dir = demoWorkbook(simulators().url, 'sheets-sync-optin-');
  const file = join(dir, 'Jobs.csv');
  const jobs = readFileSync(file, 'utf8');
  const changed = jobs.replace(`${JOB},TRUE,Pull,EveryAction,Changed people,EveryAction People,VANID,Liberal,`, `${JOB},TRUE,Pull,EveryAction,Changed people,EveryAction People,VANID,Conservative,`);
  expect(changed).not.toBe(jobs);
  writeFileSync(file, changed);
  return dir;
}

const csv = (dir: string, tab: string) => Papa.parse<string[]>(readFileSync(join(dir, `${tab}.csv`), 'utf8').trimEnd()).data;
const report = (stdout: string) => Papa.parse<string[]>(stdout.trim()).data.slice(1);

/** Each pulled person's VANID with the cells a coordinator reads: email, SMS, and the job's status. */
function people(dir: string): string[][] {
  const [header, ...rows] = csv(dir, 'EveryAction People');
  const at = (h: string) => header!.indexOf(h);
  return rows.map((r) => [r[at('VanID')]!, r[at('Email Subscription')]!, r[at('SMS Opt-In')]!, r[at(`${JOB} Status`)]!]);
}

const todayIn = (zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

describe('sheets-sync run: a Conservative EveryAction pull', () => {
  it('brings only people opted in, and marks one who opts out afterwards', async () => {
    const dir = conservative();
    const first = await runCli(['run', '--workbook', dir, '--job', JOB, '--format', 'csv'], { ...SECRETS, TZ });
    expect(first.code).toBe(0);
    const [row] = report(first.stdout);
    expect([row![4], row![5], row![6], row![7], row![10]]).toEqual([JOB, 'OK', '5', '3', '2']);
    expect(row![13]).toContain('2 people not opted in left out (Mode is Conservative)');
    expect(people(dir)).toEqual([
      ['100000003', 'Subscribed', 'Unknown', 'Opted in'],
      ['100000034', 'Neutral', 'Opt-In', 'Opted in'],
      ['100000038', 'Subscribed', 'Opt-In', 'Opted in'],
    ]);
    // 100000029 (Unsubscribed, Opt-Out) and 100000040 (Neutral, no phone) changed too, but never arrive.
    expect(csv(dir, 'Sync Log').filter((r) => r[5] === 'Skipped').map((r) => r[4])).toEqual(['100000029', '100000040']);

    const ea = simulators().everyAction;
    const amara = ea.person(100000038)!;
    ea.touch(100000038, { emails: [{ email: amara.emails[0]!.email, subscriptionStatus: 'U' }], phones: [{ phoneNumber: amara.phones[0]!.phoneNumber, phoneOptInStatus: 'O' }] });
    // An export window ends on a whole second: a change in the second the next run starts waits for the run after.
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    const second = await runCli(['run', '--workbook', dir, '--job', JOB, '--format', 'csv'], { ...SECRETS, TZ });
    expect(second.code).toBe(0);
    expect(report(second.stdout)[0]![13]).toContain('1 row marked "Opted out" (no longer subscribed to email or opted in to texts)');
    expect(people(dir)).toEqual([
      ['100000003', 'Subscribed', 'Unknown', 'Opted in'],
      ['100000034', 'Neutral', 'Opt-In', 'Opted in'],
      ['100000038', 'Unsubscribed', 'Opt-Out', `Opted out on ${todayIn(TZ)}`],
    ]);
  });
});
