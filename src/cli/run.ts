// `sheets-sync run`: the sync engine over a folder of CSV files, with real HTTP (to iMIS or the
// simulators), secrets from the environment, progress on stderr and the report on stdout. The
// slice runner and run state are the ones Apps Script uses (core/run), so a run that stopped at
// its --budget is carried on by the next plain `run`.

import { existsSync, statSync } from 'node:fs';
import { createConnectors } from '../connectors';
import { DEFAULT_BUDGET_MS, type RunOutcome } from '../core/engine';
import { RunState } from '../core/run/run-state';
import { runSlice, type SliceOutcome } from '../core/run/slice';
import type { ErrorCode } from '../core/errors';
import type { Http } from '../core/ports';
import type { RunArgs } from './args';
import { CsvWorkbook } from './csv-workbook';
import { envSecrets } from './env-secrets';
import { JsonFileStore } from './file-store';
import { FileLock } from './file-lock';
import { nodeClock } from './node-clock';
import { createNodeHttp } from './node-http';
import { stderrLog } from './progress';
import { formatCsv, formatTable, reportRows } from './report-output';

export interface RunIO {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stdoutIsTerminal: boolean;
  http?: Http;
}

export function runCommand(args: RunArgs, io: RunIO): number {
  const log = stderrLog();
  if (!existsSync(args.workbook) || !statSync(args.workbook).isDirectory()) {
    log.warn(`There is no workbook folder at ${args.workbook}. Create one with: sheets-sync init --workbook ${args.workbook}`);
    return 2;
  }
  const workbook = new CsvWorkbook(args.workbook);
  const budgetMs = args.budget !== undefined ? args.budget * 1000 : DEFAULT_BUDGET_MS;
  const store = new JsonFileStore(args.workbook);
  // The lock file keeps every other sheets-sync process out of the folder, so a lease found in
  // the state file was left by a run that died.
  const state = new RunState(store, { execution: `${process.pid}-${Date.now().toString(36)}`, guarded: true, clock: nodeClock });
  // A plain `run` carries on a run that stopped at its time budget, as Sync now does in Sheets.
  const paused = args.job.length === 0 && !args.preview ? state.checkpoint() : null;
  if (paused) log.progress(`Carrying on the run ${paused.runId}, which stopped at its time budget: ${paused.jobs.join(', ')} still to run.`);
  const outcome: SliceOutcome = runSlice(
    {
      workbook,
      store,
      state,
      http: io.http ?? createNodeHttp(),
      clock: nodeClock,
      log,
      secrets: envSecrets(io.env),
      connectors: createConnectors,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      // Says who holds the folder and until when, beside the report's Skipped row.
      guard: new FileLock(args.workbook, budgetMs + 60_000, Date.now, log.warn),
    },
    { trigger: 'CLI', jobs: args.job, preview: args.preview, budgetMs, brake: args.brake, ...(paused ? { resume: paused } : {}) },
  );
  const rows = reportRows(outcome, 'CLI');
  const format = args.format ?? (io.stdoutIsTerminal ? 'table' : 'csv');
  io.stdout(format === 'csv' ? formatCsv(rows) : formatTable(rows));
  for (const line of adviceLines(outcome)) log.warn(line);
  if (outcome.next && !outcome.next.preview) {
    log.warn(`Stopped at the time budget with ${outcome.next.jobs.join(', ')} still to run. Run sheets-sync run --workbook ${args.workbook} again (without --job) to carry on where it stopped.`);
  }
  if (io.env.SHEETS_SYNC_STATS === '1') log.warn(`stats ${JSON.stringify(workbook.stats)}`);
  return outcome.exitCode;
}

/** What to do next, by code (never by message text), for codes where the message alone is not the whole way on. */
const ADVICE: Partial<Record<ErrorCode, string>> = {
  auth: 'the password or API key was refused: set SHEETS_SYNC_SECRET_<connection name> again, and check Username and Mode in Connections.csv (an EveryAction key works in one mode only).',
  access: 'signed in, but not allowed: ask the system\'s administrator for the access the job needs.',
  network: 'the system could not be reached: check URL in Connections.csv and this computer\'s connection, then run again.',
  rate_limited: 'the system asked to slow down: run again later; rows not sent are sent then.',
  server: 'the system had trouble on its side: run again later; rows not sent are sent then.',
};

/** One line per job that failed as a whole with a code that has advice, for stderr after the report. */
export function adviceLines(outcome: Pick<RunOutcome, 'results'>): string[] {
  return outcome.results.flatMap((r) => {
    const advice = r.code === undefined ? undefined : ADVICE[r.code];
    return advice ? [`${r.job || 'Sync'}: ${advice}`] : [];
  });
}
