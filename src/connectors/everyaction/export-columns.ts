// What the changed-people export is asked to hold beyond its core columns, and how its file
// becomes the tab's columns (DESIGN §10.6): the email subscription and SMS opt-in statuses,
// requested where GET /changedEntityExportJobs/fields/Contacts offers them and turned into words,
// and the contact custom fields the job's Mappings name (requestedCustomFieldIds), headed by
// their EveryAction names. A status the export does not offer is left out, never made up.

import { z } from 'zod';
import { closestName } from '../../core/config/suggestions';
import type { PullJob } from '../../core/config/types';
import { SyncError } from '../../core/errors';
import { EMAIL_STATUS, EMAIL_STATUS_COLUMN, SMS_STATUS, SMS_STATUS_COLUMN } from '../../core/opt-in';
import type { EveryActionClient } from './client';
import { EveryActionError } from './errors';
import { customFieldIdOf, EXPORT_STATUS_FIELDS } from './fields';
import { loadCustomFields } from './people';
import { ExportFieldList } from './schemas';

/** What one export was asked for, kept with it while it is pending: a later run reads its file the same way. */
export const ExportPlan = z.object({
  /** The export's column holding the email subscription status, when it offers one. */
  email: z.string().nullable(),
  /** Likewise for the SMS opt-in status. */
  sms: z.string().nullable(),
  requestedFields: z.array(z.string()),
  /** Each custom field asked for, and the Mappings Fields that named it (`customfield: 101`…). */
  custom: z.array(z.object({ id: z.number(), name: z.string(), named: z.array(z.string()) })),
  /** The job's Mappings fields the plan was made for: once they change, the export is asked for again. */
  mapped: z.array(z.string()),
});
export type ExportPlan = z.infer<typeof ExportPlan>;

const lower = (s: string) => s.trim().toLowerCase();

/** The job's Mappings fields as the plan remembers them. */
export function mappedFields(job: PullJob): string[] {
  return [...new Set(job.mappings.map((m) => lower(m.field)))].sort();
}

function offeredFields(client: EveryActionClient) {
  const what = 'reading which columns the export of changed people can hold';
  const [res] = client.send([{ method: 'GET', path: 'changedEntityExportJobs/fields/Contacts' }]);
  if (res!.status !== 200) throw client.fail(res!, what);
  const parsed = ExportFieldList.safeParse(client.json(res!, what));
  if (!parsed.success) throw new EveryActionError('EveryAction listed the columns of its export in a shape this add-on does not understand.', 200);
  return parsed.data;
}

/**
 * The custom fields the job's Mappings name that are not export columns: `CustomField:<id>`, or an
 * EveryAction name (looked up, one request). An unknown id is asked for as it is, so EveryAction
 * itself refuses it; an unknown or doubled name stops the job here, pointing at its Mappings row.
 */
function mappedCustomFields(client: EveryActionClient, job: PullJob, columns: string[]): ExportPlan['custom'] {
  const known = new Set(columns.map(lower));
  const wanted = job.mappings.filter((m) => !known.has(lower(m.field)));
  if (wanted.length === 0) return [];
  const list = loadCustomFields(client);
  const chosen = new Map<number, { name: string; named: string[] }>();
  const choose = (id: number, name: string, field: string) => {
    const entry = chosen.get(id) ?? { name, named: [] };
    entry.named.push(field.trim());
    chosen.set(id, entry);
  };
  for (const m of wanted) {
    const id = customFieldIdOf(m.field);
    if (id) {
      choose(Number(id), list.find((f) => f.customFieldId === Number(id))?.customFieldName.trim() ?? `CustomField:${Number(id)}`, m.field);
      continue;
    }
    const same = list.filter((f) => lower(f.customFieldName) === lower(m.field));
    if (same.length === 1) {
      choose(same[0]!.customFieldId, same[0]!.customFieldName.trim(), m.field);
      continue;
    }
    const where = `Mappings row ${m.row}, Field:`;
    if (same.length > 1) {
      const ids = same.map((f) => `CustomField:${f.customFieldId}`).join(', ');
      throw new SyncError('config', `${where} several EveryAction contact custom fields are named "${m.field}" (${ids}); write the one you mean as CustomField:<id>`);
    }
    const guess = closestName(m.field, [...columns, ...list.map((f) => f.customFieldName.trim())]);
    throw new SyncError(
      'config',
      `${where} "${m.field}" is neither a column of EveryAction's changed-people export nor the name of one of its contact custom fields${guess === undefined ? '' : ` (did you mean "${guess}"?)`}`,
    );
  }
  return [...chosen].map(([id, c]) => ({ id, ...c }));
}

/** Which statuses and custom fields to ask the export for (one request, two when Mappings name custom fields by name or id). */
export function planExport(client: EveryActionClient, job: PullJob): ExportPlan {
  const offered = offeredFields(client);
  const pick = (names: readonly string[]) => names.map((n) => offered.find((f) => lower(f.fieldName) === lower(n))).find((f) => f !== undefined);
  const email = pick(EXPORT_STATUS_FIELDS.email);
  const sms = pick(EXPORT_STATUS_FIELDS.sms);
  const columns = [...offered.map((f) => f.fieldName), EMAIL_STATUS_COLUMN, SMS_STATUS_COLUMN];
  return {
    email: email?.fieldName ?? null,
    sms: sms?.fieldName ?? null,
    // Core fields come anyway; naming one is not what requestedFields is for.
    requestedFields: [email, sms].filter((f) => f !== undefined && f.isCoreField !== true).map((f) => f!.fieldName),
    custom: mappedCustomFields(client, job, columns),
    mapped: mappedFields(job),
  };
}

/** A status code or word as EveryAction may write it (the person record says S/N/U; bulk import 2/1/0). */
const EMAIL_WORDS: Record<string, string> = {
  s: EMAIL_STATUS.subscribed, subscribed: EMAIL_STATUS.subscribed, '2': EMAIL_STATUS.subscribed,
  n: EMAIL_STATUS.neutral, neutral: EMAIL_STATUS.neutral, 'not subscribed': EMAIL_STATUS.neutral, '1': EMAIL_STATUS.neutral,
  u: EMAIL_STATUS.unsubscribed, unsubscribed: EMAIL_STATUS.unsubscribed, '0': EMAIL_STATUS.unsubscribed,
};
/** The phone's write codes I/U/O and the words it reads back as. */
const SMS_WORDS: Record<string, string> = {
  i: SMS_STATUS.optIn, 'opt-in': SMS_STATUS.optIn, 'opt in': SMS_STATUS.optIn, optin: SMS_STATUS.optIn,
  u: SMS_STATUS.unknown, unknown: SMS_STATUS.unknown,
  o: SMS_STATUS.optOut, 'opt-out': SMS_STATUS.optOut, 'opt out': SMS_STATUS.optOut, optout: SMS_STATUS.optOut,
};

/** An unrecognised value is passed on as EveryAction wrote it rather than guessed at. */
const inWords = (words: Record<string, string>) => (value: string) => words[lower(value)] ?? value;

export interface TabColumns {
  columns: string[];
  rows: Record<string, string>[];
  /** Other names a Mappings Field may give a renamed column (the export's own, `CustomField:<id>`). */
  aliases: Record<string, string>;
}

/**
 * The export file's columns as the tab gets them: the statuses under the coordinator's headers
 * and in words, a custom field's `CF<id>` column (Parsons' bulk-import naming) under its name.
 */
export function tabColumns(file: { columns: string[]; rows: Record<string, string>[] }, plan: ExportPlan): TabColumns {
  const aliases: Record<string, string> = {};
  const renames = new Map<string, { to: string; value: (v: string) => string }>();
  const rename = (from: string | null, to: string, value: (v: string) => string = (v) => v) => {
    const found = from === null ? undefined : file.columns.find((c) => lower(c) === lower(from));
    if (found === undefined) return;
    renames.set(found, { to, value });
    aliases[found] = to;
  };
  rename(plan.email, EMAIL_STATUS_COLUMN, inWords(EMAIL_WORDS));
  rename(plan.sms, SMS_STATUS_COLUMN, inWords(SMS_WORDS));
  for (const { id, name, named } of plan.custom) {
    rename(`CF${id}`, name);
    for (const field of [`CustomField:${id}`, ...named]) aliases[field] = name;
  }
  const columns = file.columns.map((c) => renames.get(c)?.to ?? c);
  const rows = file.rows.map((r) => Object.fromEntries(file.columns.map((c) => {
    const to = renames.get(c);
    return to ? [to.to, to.value(r[c] ?? '')] : [c, r[c] ?? ''];
  })));
  return { columns, rows, aliases };
}
