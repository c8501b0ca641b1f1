// The push job (DESIGN §2–3): a tab's rows sent to a target system, incrementally. Rows whose
// fingerprint matches what was last sent cost nothing; the rest go out in fetchAll batches,
// each matched before it is written, never duplicated. Outcomes land in the Sync Log and in the
// job's status columns, which are written once at the end (or at the time budget, or when a
// refusal or failure ends the job part way: what was done by then is kept and reported).

import { pushBrake } from '../brake';
import { checkColumnTokens } from '../config/column-tokens';
import { cellText, duplicateHeaderProblems } from '../cells';
import { TAB, type ConfigProblem, type PushJob } from '../config/types';
import { isoSeconds } from '../dates';
import { ENDS_JOB, errorCode, failureSentence, logIfBug, type ErrorCode } from '../errors';
import type { Cell, Grid } from '../ports';
import { scanTokens } from '../tokens';
import { formatCount, plural, zeroCounts, type JobContext, type JobOutcome, type JobStatus, type LogEntry, type Outcome } from '../results';
import { fingerprint } from './fingerprint';
import { buildPayload, type PayloadSpec } from './payload';
import { STATUS_PARTS, StatusColumns } from './status-columns';
import type { PushRow, PushTarget, RowOutcome } from './types';

/** Rows per fetchAll batch (requests in flight at once); small, as ASI asks of integrations. */
export const BATCH_SIZE = 10;

/** Statuses after which an unchanged row is still sent again. */
const RETRY_STATUSES = new Set(['failed', 'needs review', 'skipped']);

export type { PushJob };

export interface PushContext extends JobContext {
  batchSize?: number;
}

export type PushOutcome = JobOutcome;

const lower = (s: string) => s.trim().toLowerCase();

/**
 * Problems with a push job's source tab that stop the whole run before anything is sent: the tab
 * is missing, a mapping names a column the tab lacks, a column the job reads or writes (mapped,
 * named by a {{column:…}} token, or one of its status columns) appears twice in the header row.
 */
export function checkPushSource(job: PushJob, grid: Grid | null): ConfigProblem[] {
  if (grid === null) {
    return [{ tab: TAB.jobs, row: job.row, column: 'Source', message: `job "${job.name}" reads the tab "${job.source}", which does not exist` }];
  }
  const header = (grid[0] ?? []).map((c) => lower(cellText(c)));
  const problems: ConfigProblem[] = [];
  for (const m of job.mappings) {
    if (!header.includes(lower(m.column))) {
      const what = m.required ? 'a Required column' : 'a column';
      problems.push({ tab: TAB.mappings, row: m.row, column: 'Column', message: `${what} "${m.column}" is not in the tab "${job.source}"` });
    }
  }
  const columnTokens = job.constants.flatMap((c) => scanTokens(c.value).tokens.flatMap((t) => (t.kind === 'column' ? [t.header] : [])));
  const read = [...job.mappings.map((m) => m.column), ...columnTokens, ...STATUS_PARTS.map((p) => `${job.name} ${p}`)];
  problems.push(...duplicateHeaderProblems(grid[0] ?? [], job.source, read));
  problems.push(...checkColumnTokens(job, grid[0] ?? []));
  if (job.mappings.length === 0) {
    problems.push({ tab: TAB.mappings, row: null, column: null, message: `job "${job.name}" has no mappings, so there is nothing to send` });
  }
  return problems;
}

export function runPush(job: PushJob, target: PushTarget, grid: Grid, ctx: PushContext): PushOutcome {
  const counts = zeroCounts();
  const log: LogEntry[] = [];
  const header = (grid[0] ?? []).map((c) => cellText(c));
  const rows = grid.slice(1);
  const fieldName = (f: string) => target.fieldName?.(f) ?? f.trim();
  const spec: PayloadSpec = {
    mappings: job.mappings.map((m) => ({ mapping: m, column: header.findIndex((h) => lower(h) === lower(m.column)), field: fieldName(m.field) })),
    constants: job.constants.map((c) => ({ constant: c, field: fieldName(c.field) })),
  };
  const fields = [...new Set([...spec.mappings.map((m) => m.field), ...spec.constants.map((c) => c.field)])];

  const status = new StatusColumns(job.name, header, rows);
  const mappedColumns = spec.mappings.map((m) => m.column);
  const stamp = () => ctx.now();
  const record = (dataRow: number, key: string, outcome: Outcome, r: Pick<RowOutcome, 'changes' | 'message'>) =>
    log.push({ time: stamp(), row: dataRow + 2, key, outcome, changes: r.changes, message: r.message });

  interface Candidate {
    dataRow: number;
    push: PushRow;
    hash: string;
    key: string;
  }
  const valid: Candidate[] = [];
  const toSend: Candidate[] = [];
  const markSkipped = (dataRow: number, key: string, reason: string) => {
    counts.skipped++;
    record(dataRow, key, 'Skipped', { changes: [], message: reason });
    if (!ctx.preview) {
      status.set(dataRow, 'Status', 'Skipped');
      status.set(dataRow, 'Message', reason);
    }
  };

  rows.forEach((cells, dataRow) => {
    const knownId = cellText(status.get(dataRow, 'ID'));
    if (knownId === '' && mappedColumns.every((c) => cellText(cells[c] ?? null) === '')) return; // a blank row
    counts.read++;
    const built = buildPayload(spec, cells, header, { ...ctx.tokens, row: dataRow + 2 });
    if (!built.ok) return markSkipped(dataRow, knownId || cellText(cells[mappedColumns[0]!] ?? null), built.reason);
    const push: PushRow = { row: dataRow + 2, payload: built.payload, knownId };
    const hash = fingerprint(job.target, built.stable);
    const candidate = { dataRow, push, hash, key: knownId ? `ID ${knownId}` : '' };
    valid.push(candidate);
    const last = lower(cellText(status.get(dataRow, 'Status')));
    if (hash === cellText(status.get(dataRow, 'Hash')) && !RETRY_STATUSES.has(last)) counts.unchanged++;
    else toSend.push(candidate);
  });

  // Before the target is asked anything: a held push sends no request and writes no status cell.
  const held = pushBrake(toSend.length, counts.read, job.brake);
  if (held && ctx.brake && !ctx.preview) {
    return {
      ...zeroCounts(),
      read: counts.read,
      unchanged: counts.unchanged,
      skipped: counts.read - counts.unchanged,
      status: 'Held',
      log: [],
      message: `${held.reason[0]!.toUpperCase()}${held.reason.slice(1)}. Nothing was sent. ${held.wayOn(job.name)}`,
    };
  }

  // The target is asked about rows only when some will be sent, so an unchanged tab costs nothing.
  const where = (field: string) => {
    const m = spec.mappings.find((x) => x.field === field);
    if (m) return `Mappings row ${m.mapping.row}, Field`;
    const c = spec.constants.find((x) => x.field === field);
    return c ? `Constants row ${c.constant.row}, Field` : 'Mappings';
  };
  /** Why the job ended before every row was sent: rows from `notSent` on were never written. */
  let halted: { code?: ErrorCode; message: string } | null = null;
  let notSent = 0;
  const halt = (e: unknown, rows: number) => {
    logIfBug(ctx.log, job.name, e);
    const code = errorCode(e);
    halted = { message: failureSentence(e), ...(code === undefined ? {} : { code }) };
    notSent = rows;
  };
  if (toSend.length > 0) {
    try {
      target.prepare(fields, where);
    } catch (e) {
      halt(e, toSend.length);
    }
  }
  const checked = (halted ? [] : toSend).filter((c) => {
    const problem = target.check(c.push);
    if (!c.key) c.key = target.matchKey(c.push);
    if (!problem) return true;
    valid.splice(valid.indexOf(c), 1);
    markSkipped(c.dataRow, c.push.knownId || c.key, problem);
    return false;
  });

  // Two rows that would land on the same record: neither is sent until the coordinator decides.
  const byKey = new Map<string, Candidate[]>();
  for (const c of valid) {
    const k = lower(c.key);
    if (k) byKey.set(k, [...(byKey.get(k) ?? []), c]);
  }
  const sending = checked.filter((c) => {
    const same = byKey.get(lower(c.key)) ?? [];
    if (same.length < 2) return true;
    const others = same.filter((o) => o !== c).map((o) => o.dataRow + 2);
    const message = `${c.key} is also on ${others.length === 1 ? 'row' : 'rows'} ${others.join(', ')} of this tab; fix one, or enter the right ${target.idName ?? 'ID'} in "${job.name} ID"`;
    counts.skipped++;
    record(c.dataRow, c.key, 'Needs review', { changes: [], message });
    if (!ctx.preview) {
      status.set(c.dataRow, 'Status', 'Needs review');
      status.set(c.dataRow, 'Message', message);
    }
    return false;
  });

  const size = ctx.batchSize ?? BATCH_SIZE;
  let stoppedAt = -1;
  for (let i = 0; i < sending.length; i += size) {
    if (i > 0 && ctx.shouldStop()) {
      stoppedAt = i;
      break;
    }
    const batch = sending.slice(i, i + size);
    let outcomes: RowOutcome[];
    try {
      outcomes = target.push(
        batch.map((c) => c.push),
        ctx.preview,
      );
    } catch (e) {
      // What this batch did is unknown to the sheet; every row of it is matched again next run.
      halt(e, sending.length - i);
      break;
    }
    const refusal = endingRefusal(outcomes);
    batch.forEach((c, k) => {
      if (refusal && outcomes[k]!.code === refusal.code) return;
      apply(c, outcomes[k]!);
    });
    if (refusal) {
      halted = { code: refusal.code!, message: failureSentence(refusal.message) };
      notSent = sending.length - i - batch.length + batch.filter((_, k) => outcomes[k]!.code === refusal.code).length;
      break;
    }
    ctx.log.progress(`${job.name}: sent ${formatCount(Math.min(i + size, sending.length))} of ${formatCount(sending.length)} rows`, Math.min(i + size, sending.length) / sending.length);
  }
  if (stoppedAt >= 0) counts.read -= sending.length - stoppedAt;
  // Never sent, yet read: they stay in the count as skipped, so Read still adds up.
  counts.skipped += notSent;

  function apply(c: Candidate, r: RowOutcome): void {
    const { dataRow } = c;
    const key = r.id || c.push.knownId || c.key;
    switch (r.outcome) {
      case 'Created':
      case 'Would create':
        counts.created++;
        break;
      case 'Updated':
      case 'Would update':
        counts.updated++;
        break;
      case 'Unchanged':
        counts.unchanged++;
        break;
      case 'Failed':
        counts.failed++;
        break;
      default:
        counts.skipped++;
    }
    if (r.outcome !== 'Unchanged') record(dataRow, key, r.outcome, r);
    if (ctx.preview) return;
    const sent = r.outcome === 'Created' || r.outcome === 'Updated' || r.outcome === 'Unchanged';
    if (r.id) status.set(dataRow, 'ID', r.id);
    status.set(dataRow, 'Status', r.outcome);
    status.set(dataRow, 'Message', r.message);
    if (sent) {
      status.set(dataRow, 'Synced At', isoSeconds(ctx.now()));
      status.set(dataRow, 'Hash', c.hash);
    }
  }

  let moved = 0;
  if (!ctx.preview && status.dirty.size > 0) {
    // Read the tab again: rows may have been sorted or inserted while the run was sending.
    const mappedHeaders = spec.mappings.map((m) => lower(m.mapping.column));
    const signature = (cells: Cell[], h: string[]) => mappedHeaders.map((name) => cellText(cells[h.findIndex((x) => lower(x) === name)] ?? null)).join('\u0001');
    const { columns, lost } = status.placedOn(ctx.workbook.read(job.source) ?? grid, signature, rows, header);
    columns.flush(ctx.workbook, job.source);
    moved = lost.length;
    if (moved > 0) ctx.log.warn(`${job.name}: ${plural(moved, 'row')} changed place or content during the run; ${moved === 1 ? 'its status' : 'their statuses'} will be written after the next run`);
  } else if (!ctx.preview) status.flush(ctx.workbook, job.source);

  const parts = [`${plural(counts.read, 'row')}: ${formatCount(counts.created)} created, ${formatCount(counts.updated)} updated, ${formatCount(counts.unchanged)} unchanged`];
  const logged = counts.skipped - notSent;
  if (logged > 0) parts.push(`${plural(logged, 'row')} skipped or needing review (see Sync Log)`);
  let jobStatus: JobStatus = ctx.preview ? 'Preview' : 'OK';
  if (counts.failed > 0) {
    jobStatus = 'Failed';
    parts.unshift(`${formatCount(counts.failed)} of ${plural(counts.read, 'row')} failed; see Sync Log`);
  }
  const stop = halted as { code?: ErrorCode; message: string } | null;
  if (stop) {
    jobStatus = 'Failed';
    parts.push(`${plural(notSent, 'row')} not sent (left as they were; sent next run)`);
  }
  if (stoppedAt >= 0 && ctx.preview) {
    parts.push(`the preview stopped at the time limit: ${plural(sending.length - stoppedAt, 'row')} to send ${sending.length - stoppedAt === 1 ? 'was' : 'were'} not looked at (a real run sends every row, carrying on across runs)`);
  } else if (stoppedAt >= 0) {
    if (jobStatus === 'OK') jobStatus = 'Partial';
    parts.push(`stopped at the time budget; ${plural(sending.length - stoppedAt, 'row')} will be sent next run`);
  }
  if (moved > 0) parts.push(`${plural(moved, 'row')} moved or changed while the run was sending, so ${moved === 1 ? 'its status was' : 'their statuses were'} not written; the next run sends ${moved === 1 ? 'it' : 'them'} again (matched, so nothing is doubled)`);
  if (ctx.preview && held) parts.push(`a scheduled run would be held: ${held.reason}`);
  if (ctx.preview) parts.push('preview: nothing was written');
  log.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const code = stop?.code;
  // What ended the job comes first, as its own sentence: it is what the coordinator has to act on.
  const message = stop ? `${stop.message} ${parts.join('; ')}.` : parts.join('; ');
  return { ...counts, status: jobStatus, message, log, ...(code === undefined ? {} : { code }) };
}

/**
 * The refusal in a batch's answers that ends the job (DESIGN §10.2): credentials refused or the
 * system out of reach on any row, or every row refused access (the endpoint as a whole, not one
 * record). Sending more rows would only be refused the same way.
 */
function endingRefusal(outcomes: RowOutcome[]): RowOutcome | null {
  const hard = outcomes.find((o) => o.outcome === 'Failed' && o.code !== undefined && o.code !== 'access' && ENDS_JOB.has(o.code));
  if (hard) return hard;
  return outcomes.length > 0 && outcomes.every((o) => o.outcome === 'Failed' && o.code === 'access') ? outcomes[0]! : null;
}

