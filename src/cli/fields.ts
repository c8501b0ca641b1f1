// `sheets-sync fields`: the fields a job's Mappings Field may name, one per line, from the same
// catalogue code as the sidebar's dropdowns: what needs no request first, then what only the system
// can list (a panel's properties, EveryAction's custom fields, a query's columns), marked "(live)".
// Exit 2 when the job does not exist or its setup has problems (nothing is sent); 1 when the live
// part could not be looked up (the fields known without it are still printed).

import { existsSync, statSync } from 'node:fs';
import { TARGET_CATALOGUES } from '../connectors/catalogues';
import { fieldChoices, needsLookup } from '../connectors/pickers';
import { budgetFrom } from '../core/budget';
import { cellText } from '../core/cells';
import { closestName, parseConfig, type ConfigTabs } from '../core/config/parse';
import { describeProblem, TAB, type Job } from '../core/config/types';
import { CountingHttp } from '../core/http';
import type { Grid, Http, KeyValueStore } from '../core/ports';
import type { FieldsArgs } from './args';
import { CsvWorkbook } from './csv-workbook';
import { envSecrets } from './env-secrets';
import { nodeClock } from './node-clock';
import { createNodeHttp } from './node-http';

export interface FieldsIO {
  env: Record<string, string | undefined>;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  http?: Http;
}

/** The values of one column of a tab (by header, case-insensitive), with each row's index. */
function column(grid: Grid | null, header: string): string[] {
  const at = (grid?.[0] ?? []).findIndex((c) => cellText(c).trim().toLowerCase() === header.toLowerCase());
  return at < 0 ? [] : (grid ?? []).map((r) => cellText(r[at] ?? null).trim());
}

/** The tab with every row but the header and those whose `header` cell is `name` left blank, so row numbers stay true. */
function onlyRowsOf(grid: Grid | null, header: string, name: string): Grid | null {
  if (!grid) return grid;
  const cells = column(grid, header);
  return grid.map((r, i) => (i === 0 || cells[i]?.toLowerCase() === name.toLowerCase() ? r : r.map(() => '')));
}

/** The job as a run would build it, or why not: judged on its own rows, so another job's problem does not stop it. */
function jobNamed(tabs: ConfigTabs, name: string, io: FieldsIO): { job: Job } | { why: string } {
  const names = column(tabs.jobs, 'Name').slice(1).filter((n) => n !== '');
  if (!names.some((n) => n.toLowerCase() === name.toLowerCase())) {
    if (tabs.jobs === null) return { why: `There is no ${TAB.jobs}.csv in the workbook folder.` };
    const guess = closestName(name, names);
    return { why: `There is no job named "${name}" in ${TAB.jobs}.csv${guess === undefined ? '' : ` (did you mean "${guess}"?)`}.` };
  }
  const own: ConfigTabs = {
    connections: tabs.connections,
    jobs: onlyRowsOf(tabs.jobs, 'Name', name),
    mappings: onlyRowsOf(tabs.mappings, 'Job', name),
    constants: onlyRowsOf(tabs.constants, 'Job', name),
  };
  const parsed = parseConfig(own, envSecrets(io.env), TARGET_CATALOGUES);
  const job = parsed.ok ? parsed.config.jobs.find((j) => j.name.toLowerCase() === name.toLowerCase()) : undefined;
  if (job) return { job };
  const problems = [...(parsed.ok ? [] : parsed.problems), ...parsed.notes].map(describeProblem);
  return { why: `The setup of job "${name}" has problems; fix them first:\n${problems.map((p) => `  ${p}`).join('\n')}` };
}

const MEMORY: KeyValueStore = { get: () => null, set: () => undefined, delete: () => undefined };

export function fieldsCommand(args: FieldsArgs, io: FieldsIO): number {
  if (!existsSync(args.workbook) || !statSync(args.workbook).isDirectory()) {
    io.stderr(`There is no workbook folder at ${args.workbook}. Create one with: sheets-sync init --workbook ${args.workbook}`);
    return 2;
  }
  const wb = new CsvWorkbook(args.workbook);
  const tabs: ConfigTabs = { connections: wb.read(TAB.connections), jobs: wb.read(TAB.jobs), mappings: wb.read(TAB.mappings), constants: wb.read(TAB.constants) };
  const found = jobNamed(tabs, args.job, io);
  if ('why' in found) {
    io.stderr(found.why);
    return 2;
  }
  const { job } = found;
  const connection = job.connection;
  const lookup = needsLookup(job);
  const secretMissing = lookup && connection.secret === '';
  const http = new CountingHttp(io.http ?? createNodeHttp());
  const choices = fieldChoices(job, lookup && !secretMissing ? { http, store: MEMORY, clock: nodeClock, budget: budgetFrom(nodeClock, 60_000) } : null);
  const what = job.action === 'Push' ? `Fields ${job.system} ${job.target} takes` : `Columns of the ${job.system} query ${job.source}`;
  io.stderr(`${what} (job "${job.name}")${choices.fields.some((f) => f.live) ? `; "(live)" = listed by ${connection.system} itself` : ''}:`);
  for (const f of choices.fields) io.stdout(f.live ? `${f.name}\t(live)` : f.name);
  if (choices.complete) return 0;
  const why = secretMissing
    ? `${connection.secretHowTo ? connection.secretHowTo.replace(/^./, (c) => c.toUpperCase()) : 'Set the secret'} to list what only ${connection.system} knows`
    : `What only ${connection.system} knows is not listed: ${choices.why}`;
  io.stderr(`${why.replace(/\.$/, '')}.`);
  return 1;
}
