// Pulling EveryAction's changed people: a changed-entity export job for contacts changed since
// this job's watermark (first run: the last 48 hours, or the date in Parameters; never more than
// 90 days back, EveryAction's limit), excluding the add-on's own writes so they do not echo back.
// Each window after the first reaches back OVERLAP_MS before the watermark (DESIGN §10.2): a change
// stamped in the second a run started, or committed after its export was taken, is not lost, and
// merging by VANID makes a person seen twice harmless.
// The job is polled within the run's time budget; a job not ready yet is remembered, and the next
// run polls the same one. The watermark moves only once the tab holds the rows. Each export also
// asks for the opt-in statuses and the mapped custom fields (export-columns.ts).

import { z } from 'zod';
import { BudgetExceeded } from '../../core/budget';
import { isoSeconds } from '../../core/dates';
import type { EveryActionConnection, PullJob } from '../../core/config/types';
import type { KeyValueStore } from '../../core/ports';
import type { PullRows, PullSource } from '../../core/pull';
import { applyTransform } from '../../core/transforms';
import type { EveryActionClient } from './client';
import { EveryActionError } from './errors';
import { ExportPlan, mappedFields, planExport, tabColumns } from './export-columns';
import { ExportJob } from './schemas';
import Papa from 'papaparse';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** How long one run waits for an export before leaving it for the next run. */
export const EXPORT_WAIT_MS = 90_000;
/** How far each window reaches back before the previous window's end. */
export const OVERLAP_MS = 5 * 60_000;

/** The export this job waits for, as kept in the store between runs. */
const Pending = z.object({
  exportJobId: z.number(),
  from: z.string(),
  to: z.string(),
  /** Absent for an export asked for before pulls brought statuses and custom fields. */
  plan: ExportPlan.optional(),
});
type Pending = z.infer<typeof Pending> & { plan: ExportPlan };

/**
 * The pending export, when it still suits the job: one asked for under other Mappings (or
 * before plans existed) would lack columns the job now wants, so a new one is asked for; the
 * watermark has not moved, so no change is lost.
 */
function pendingFor(store: KeyValueStore, key: string, job: PullJob): Pending | null {
  let raw: unknown = null;
  try {
    raw = JSON.parse(store.get(key) ?? 'null');
  } catch {
    return null;
  }
  const parsed = Pending.safeParse(raw);
  if (!parsed.success || !parsed.data.plan) return null;
  const plan = parsed.data.plan;
  return plan.mapped.join('\n') === mappedFields(job).join('\n') ? { ...parsed.data, plan } : null;
}

/** The first start date from Parameters, as an instant; null when not given. */
function startFrom(value: string | undefined): Date | null {
  if (!value || value.trim() === '') return null;
  const d = applyTransform('datetime', value.trim());
  if (!d.ok) throw new EveryActionError(`The first start date in Parameters, "${value}", is not a date (write it as 2026-10-01).`, 400);
  const text = String(d.value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
}

/** The next window's start: OVERLAP_MS before the watermark, but never before the first window's start. */
function overlapped(watermark: string, since: string | null): Date {
  const back = new Date(new Date(watermark).getTime() - OVERLAP_MS);
  const first = since ? new Date(since) : null;
  return first && !Number.isNaN(first.getTime()) && first > back ? first : back;
}

/** CSV text → header + records, with papaparse (quoted commas, quotes and newlines are data). */
export function parseExportCsv(text: string): { columns: string[]; rows: Record<string, string>[] } {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  if (parsed.errors.some((e) => e.type === 'Quotes')) throw new EveryActionError('EveryAction sent an export file that is not valid CSV.', 200);
  const [header = [], ...data] = parsed.data;
  const columns = header.map((h) => h.trim());
  return { columns, rows: data.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? '']))) };
}

export function changedPeopleSource(client: EveryActionClient, store: KeyValueStore, connection: EveryActionConnection, now: () => Date, sleep: (ms: number) => void): PullSource {
  return {
    read(job: PullJob, parameters, options): PullRows {
      const key = `everyaction:${connection.name}:${job.name}`;
      const preview = options.preview === true;
      let pending = pendingFor(store, `${key}:export`, job);
      let note = '';

      if (!pending) {
        const at = now();
        const watermark = store.get(`${key}:watermark`);
        let from = watermark ? overlapped(watermark, store.get(`${key}:since`)) : (startFrom(parameters[0]) ?? new Date(at.getTime() - 48 * HOUR));
        const floor = new Date(at.getTime() - 90 * DAY + HOUR);
        if (from < floor) {
          note = `EveryAction keeps changes for 90 days, so this starts at ${isoSeconds(floor)}`;
          from = floor;
        }
        const plan = planExport(client, job);
        const body = {
          dateChangedFrom: isoSeconds(from),
          dateChangedTo: isoSeconds(at),
          resourceType: 'Contacts',
          ...(plan.requestedFields.length > 0 ? { requestedFields: plan.requestedFields } : {}),
          ...(plan.custom.length > 0 ? { requestedCustomFieldIds: plan.custom.map((c) => c.id) } : {}),
          excludeChangesFromSelf: true,
          includeInactive: false,
          fileSizeKbLimit: 10000,
        };
        const [res] = client.send([{ method: 'POST', path: 'changedEntityExportJobs', body }]);
        if (res!.status !== 201 && res!.status !== 200) throw client.fail(res!, 'asking for the changed people');
        const created = ExportJob.safeParse(client.json(res!, 'asking for the changed people'));
        if (!created.success) throw new EveryActionError('EveryAction answered the export request without an export job id.', res!.status);
        pending = { exportJobId: created.data.exportJobId, from: body.dateChangedFrom, to: body.dateChangedTo, plan };
        if (!preview) store.set(`${key}:export`, JSON.stringify(pending));
      }

      const started = now().getTime();
      let delay = 1000;
      let files: string[] = [];
      for (;;) {
        const [res] = client.send([{ method: 'GET', path: `changedEntityExportJobs/${pending.exportJobId}` }]);
        if (res!.status === 404) {
          store.delete(`${key}:export`);
          throw new EveryActionError(`EveryAction no longer has export job ${pending.exportJobId}; the next run asks for a new one.`, 404);
        }
        if (res!.status !== 200) throw client.fail(res!, 'checking on the export of changed people');
        const job2 = ExportJob.safeParse(client.json(res!, 'checking on the export'));
        if (!job2.success) throw new EveryActionError('EveryAction answered about the export in a shape this add-on does not understand.', 200);
        const status = (job2.data.jobStatus ?? '').toLowerCase();
        if (status === 'complete' || status === 'completed') {
          files = (job2.data.files ?? []).map((f) => f.downloadUrl);
          break;
        }
        if (status === 'error' || status === 'failed') {
          store.delete(`${key}:export`);
          throw new EveryActionError(`EveryAction could not export the changed people: ${job2.data.message ?? 'no reason given'}. The next run asks again.`, 200);
        }
        if (options.shouldStop?.() || now().getTime() - started + delay > EXPORT_WAIT_MS) {
          throw new BudgetExceeded(`EveryAction is still preparing the changes since ${pending.from} (export job ${pending.exportJobId})`);
        }
        sleep(delay);
        delay = Math.min(delay * 2, 15_000);
      }

      // The download links point at EveryAction's file host: the API key is never sent there.
      const downloads = client.send(files.map((url) => ({ method: 'GET', path: url, anonymous: true })));
      const columns: string[] = [];
      const rows: Record<string, string>[] = [];
      let aliases: Record<string, string> = {};
      const plan = pending.plan;
      downloads.forEach((res) => {
        if (res.status !== 200) throw client.fail(res, 'downloading the changed people');
        const csv = tabColumns(parseExportCsv(res.body), plan);
        for (const c of csv.columns) if (!columns.includes(c)) columns.push(c);
        rows.push(...csv.rows);
        aliases = { ...aliases, ...csv.aliases };
      });
      options.onPage?.(rows.length, rows.length);
      const window = `changes from ${pending.from} to ${pending.to}`;
      const done = pending;
      return {
        columns,
        rows,
        aliases,
        incremental: true,
        note: note ? `${window}; ${note}` : window,
        commit: () => {
          // The first window's start bounds every overlap: the coordinator chose not to see earlier changes.
          if (store.get(`${key}:since`) === null) store.set(`${key}:since`, done.from);
          store.set(`${key}:watermark`, done.to);
          store.delete(`${key}:export`);
        },
      };
    },
  };
}
