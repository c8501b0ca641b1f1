// Field pickers on the Mappings tab (DESIGN §10.3): each job's Field cells get a dropdown of what
// its target accepts and its Column cells one of the source tab's headers (a pull: the query's
// columns), as data validation that warns but never rejects, with help text naming the target.
// One rule per contiguous block of a job's rows, never one per cell; a rule already in place is
// left alone, so a refresh that changes nothing writes nothing. Lists that only the system can
// give (a panel's properties, EveryAction's custom fields, a query's columns) are looked up only
// for the connections the caller names (a connection test), once per execution; without them, or
// when a lookup fails, those cells keep whatever rule they had.

import { fieldChoices, needsLookup } from '../connectors/pickers';
import { TARGET_CATALOGUES } from '../connectors/catalogues';
import { cellText } from '../core/cells';
import { parseConfig, type ConfigTabs } from '../core/config/parse';
import { HEADERS, TAB, type Job } from '../core/config/types';
import type { Cell, ConnectorIO, Grid, SecretLookup, Secrets } from '../core/ports';
import type { SheetsWorkbook } from './workbook';

/** Google Sheets refuses a dropdown of more than 500 items ("…more items than the limit of 500"). */
export const LIST_LIMIT = 500;

export interface PickerOptions {
  /** Look up live lists for these connections (by name), with this io and these secrets; others get only what needs no request. */
  live?: { connections: ReadonlySet<string>; io: ConnectorIO; secrets: Secrets };
}

export interface PickerResult {
  /** Validation rules set (each covers a block of rows in one column). */
  rulesSet: number;
  /** Jobs whose Field or Column cells were left as they were, and why. */
  left: { job: string; why: string }[];
}

/** Config parsing without a secret: the pickers of jobs that need no request never need one. */
const NO_SECRETS: Secrets = { get: () => ({ state: 'missing' }), howToSet: () => '' };

function remembering(secrets: Secrets): Secrets {
  const seen = new Map<string, SecretLookup>();
  return {
    get: (b) => {
      const key = [b.name, b.url, b.username, b.mode].join('\n');
      if (!seen.has(key)) seen.set(key, secrets.get(b));
      return seen.get(key)!;
    },
    howToSet: (name) => secrets.howToSet(name),
  };
}

/**
 * Every job whose Jobs row and connection are good, whatever Mappings and Constants hold (a
 * dropdown helps most where a Field is wrong): read as a whole, or, when some job's row has a
 * problem, row by row so one bad row costs only its own pickers.
 */
function jobsOf(tabs: ConfigTabs, secrets: Secrets): Map<string, Job> {
  const jobs = new Map<string, Job>();
  const parse = (jobRows: Grid) => parseConfig({ connections: tabs.connections, jobs: jobRows, mappings: null, constants: null }, secrets, TARGET_CATALOGUES);
  const grid = tabs.jobs ?? [];
  if (grid.length < 2) return jobs;
  const whole = parse(grid);
  const found = whole.ok ? whole.config.jobs : grid.slice(1).flatMap((row) => {
    const one = parse([grid[0]!, row]);
    return one.ok ? one.config.jobs : [];
  });
  for (const job of found) if (!jobs.has(job.name.toLowerCase())) jobs.set(job.name.toLowerCase(), job);
  return jobs;
}

interface Block {
  job: string;
  /** First sheet row (1-based) and how many rows. */
  row: number;
  rows: number;
}

/** The Mappings rows grouped into contiguous runs of one job. */
function blocksOf(grid: Grid, jobCol: number): Block[] {
  const blocks: Block[] = [];
  for (let i = 1; i < grid.length; i++) {
    const name = cellText(grid[i]![jobCol] ?? null).trim();
    const last = blocks[blocks.length - 1];
    if (name === '') continue;
    if (last && last.job.toLowerCase() === name.toLowerCase() && last.row + last.rows === i + 1) last.rows++;
    else blocks.push({ job: name, row: i + 1, rows: 1 });
  }
  return blocks;
}

interface Wanted {
  values: string[];
  help: string;
}

type Choice = { ok: true; wanted: Wanted } | { ok: false; why: string };

const capped = (values: string[]) => values.slice(0, LIST_LIMIT);

/** What a job's target is called in help text: "iMIS Contact", "EveryAction People". */
function targetLabel(job: Job): string {
  return job.action === 'Push' ? `${job.system} ${job.target}` : `the ${job.system} query ${job.source}`;
}

export function setFieldPickers(wb: SheetsWorkbook, tabs: ConfigTabs, o: PickerOptions = {}): PickerResult {
  const result: PickerResult = { rulesSet: 0, left: [] };
  const grid = tabs.mappings;
  const sheet = SpreadsheetApp.getActive().getSheetByName(TAB.mappings);
  if (!grid || grid.length < 2 || !sheet) return result;
  const header = grid[0]!.map((c) => cellText(c).trim().toLowerCase());
  const [jobCol, columnCol, fieldCol] = [HEADERS.mappings[0], HEADERS.mappings[1], HEADERS.mappings[2]].map((h) => header.indexOf(h.toLowerCase()));
  if (jobCol! < 0 || columnCol! < 0 || fieldCol! < 0) return result;
  const blocks = blocksOf(grid, jobCol!);
  if (blocks.length === 0) return result;

  const live = o.live;
  const jobs = jobsOf(tabs, live ? remembering(live.secrets) : NO_SECRETS);
  const pushers = [...jobs.values()].filter((j) => j.action === 'Push').map((j) => j.name.toLowerCase());
  /** A push's own status columns are the add-on's, never a column to map. */
  const isStatusColumn = (h: string) => {
    const m = /^(.*) (id|status|synced at|message|hash)$/i.exec(h.trim());
    return m !== null && pushers.includes(m[1]!.toLowerCase());
  };

  const headersOf = new Map<string, string[] | null>();
  const tabHeaders = (tab: string) => {
    if (!headersOf.has(tab)) {
      const found = wb.headerOf(tab);
      headersOf.set(tab, found ? [...new Set(found.header.map((c: Cell) => cellText(c).trim()).filter((h) => h !== '' && !isStatusColumn(h)))] : null);
    }
    return headersOf.get(tab)!;
  };

  const choices = new Map<string, { field: Choice; column: Choice }>();
  const choicesOf = (job: Job) => {
    const key = job.name.toLowerCase();
    if (choices.has(key)) return choices.get(key)!;
    const mayLook = live !== undefined && live.connections.has(job.connection.name) && job.connection.secret !== '';
    const offered = fieldChoices(job, mayLook && needsLookup(job) ? live!.io : null);
    const fields: Choice = offered.complete
      ? {
          ok: true,
          wanted: {
            values: capped(offered.fields.map((f) => f.name)),
            help: job.action === 'Push' ? `Fields ${targetLabel(job)} takes (job "${job.name}")` : `Columns of ${targetLabel(job)} (job "${job.name}")`,
          },
        }
      : { ok: false, why: offered.why };
    let column: Choice;
    if (job.action === 'Push') {
      const headers = tabHeaders(job.source);
      column = headers && headers.length > 0
        ? { ok: true, wanted: { values: capped(headers), help: `Headers of the tab "${job.source}" (job "${job.name}")` } }
        : { ok: false, why: `the tab "${job.source}" is missing or has no headers` };
    } else {
      column = fields.ok ? { ok: true, wanted: { values: fields.wanted.values, help: `Columns of ${targetLabel(job)}, or a header of your own (job "${job.name}")` } } : fields;
    }
    const entry = { field: fields, column };
    choices.set(key, entry);
    for (const [what, c] of [['Field', fields], ['Column', column]] as const) {
      if (!c.ok && c.why !== 'not looked up') result.left.push({ job: job.name, why: `${what}: ${c.why}` });
    }
    return entry;
  };

  const lastRow = grid.length;
  const existing = (col: number) => sheet.getRange(2, col + 1, lastRow - 1, 1).getDataValidations().map((r) => r[0] ?? null);
  let current: { field: (GoogleAppsScript.Spreadsheet.DataValidation | null)[]; column: (GoogleAppsScript.Spreadsheet.DataValidation | null)[] } | null = null;
  const rules = new Map<string, GoogleAppsScript.Spreadsheet.DataValidation>();
  const ruleFor = (w: Wanted) => {
    const key = JSON.stringify(w);
    if (!rules.has(key)) rules.set(key, SpreadsheetApp.newDataValidation().requireValueInList(w.values, true).setAllowInvalid(true).setHelpText(w.help).build());
    return rules.get(key)!;
  };
  const same = (dv: GoogleAppsScript.Spreadsheet.DataValidation | null, w: Wanted) => {
    if (!dv || String(dv.getCriteriaType()) !== 'VALUE_IN_LIST' || !dv.getAllowInvalid() || dv.getHelpText() !== w.help) return false;
    const values = (dv.getCriteriaValues()[0] ?? []) as unknown[];
    return values.length === w.values.length && values.every((v, i) => String(v) === w.values[i]);
  };

  for (const block of blocks) {
    const job = jobs.get(block.job.toLowerCase());
    if (!job) continue;
    const c = choicesOf(job);
    for (const [which, col] of [['field', fieldCol!], ['column', columnCol!]] as const) {
      const choice = c[which];
      if (!choice.ok) continue;
      current ??= { field: existing(fieldCol!), column: existing(columnCol!) };
      const cells = current[which].slice(block.row - 2, block.row - 2 + block.rows);
      if (cells.every((dv) => same(dv, choice.wanted))) continue;
      sheet.getRange(block.row, col + 1, block.rows, 1).setDataValidation(ruleFor(choice.wanted));
      result.rulesSet++;
    }
  }
  return result;
}
