// `sheets-sync run` carries on a run that stopped at its --budget, from the same run state and
// slice runner Apps Script uses: the next plain `run` runs only the jobs left, under the same
// run id, and the one after starts a new run.

import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulatorServer, type SimulatorServer } from '../../src/simulators/server';
import { demoWorkbook, runCli } from '../helpers/cli';

const SECRETS = { SHEETS_SYNC_SECRET_IMIS: 'demo-password', SHEETS_SYNC_SECRET_IMIS_2017: 'demo-password', SHEETS_SYNC_SECRET_EVERYACTION: 'demo-api-key' };

let server: SimulatorServer;
beforeAll(async () => {
  // Slow answers, so a short --budget runs out after the first job.
  server = await startSimulatorServer({ port: 0, latencyMs: 400 });
});
afterAll(async () => {
  await server.close();
});

/** [run id, job, status] of each Sync Report row on stdout. */
const rowsOf = (stdout: string) => Papa.parse<string[]>(stdout.trim()).data.slice(1).map((r) => [r[0]!, r[4]!, r[5]!]);

describe('sheets-sync run after a run that stopped at its budget', () => {
  it('carries on the jobs left under the same run id; the next run starts afresh', async () => {
    const dir = demoWorkbook(server.url, 'sheets-sync-resume-');
    const allJobs = Papa.parse<string[]>(readFileSync(join(dir, 'Jobs.csv'), 'utf8').trim()).data.slice(1).map((r) => r[0]!);

    const first = await runCli(['run', '--workbook', dir, '--budget', '0.2', '--format', 'csv'], SECRETS);
    expect(first.code).toBe(1);
    const firstRows = rowsOf(first.stdout);
    const left = firstRows.filter((r) => r[2] === 'Partial').map((r) => r[1]);
    expect(left.length, first.stdout).toBeGreaterThan(0);
    expect(first.stderr).toContain(`Stopped at the time budget with ${left.join(', ')} still to run.`);

    server.setLatency(0);
    const second = await runCli(['run', '--workbook', dir, '--format', 'csv'], SECRETS);
    expect(second.stderr).toContain(`Carrying on the run ${firstRows[0]![0]}`);
    const secondRows = rowsOf(second.stdout);
    expect(secondRows.map((r) => r[0])).toEqual(left.map(() => firstRows[0]![0]));
    expect(secondRows.map((r) => r[1])).toEqual(left);
    expect(secondRows.every((r) => r[2] === 'OK'), second.stdout).toBe(true);
    // Between them, the two slices ran every job to OK once.
    const done = [...firstRows, ...secondRows].filter((r) => r[2] === 'OK').map((r) => r[1]);
    expect([...done].sort()).toEqual([...allJobs].sort());

    const third = await runCli(['run', '--workbook', dir, '--format', 'csv'], SECRETS);
    expect(third.stderr).not.toContain('Carrying on');
    const thirdRows = rowsOf(third.stdout);
    expect(thirdRows.map((r) => r[1])).toEqual(allJobs);
    expect(thirdRows[0]![0]).not.toBe(firstRows[0]![0]);
  });

  it('a run of chosen jobs (--job) leaves the paused run for later', async () => {
    server.setLatency(400);
    const dir = demoWorkbook(server.url, 'sheets-sync-resume-');
    const first = await runCli(['run', '--workbook', dir, '--budget', '0.2', '--format', 'csv'], SECRETS);
    const left = rowsOf(first.stdout).filter((r) => r[2] === 'Partial').map((r) => r[1]!);
    server.setLatency(0);
    const chosen = await runCli(['run', '--workbook', dir, '--job', 'Active Members', '--format', 'csv'], SECRETS);
    expect(rowsOf(chosen.stdout).map((r) => [r[1], r[2]])).toEqual([['Active Members', 'OK']]);
    const carried = await runCli(['run', '--workbook', dir, '--format', 'csv'], SECRETS);
    expect(rowsOf(carried.stdout).map((r) => r[1])).toEqual(left);
  });
});
