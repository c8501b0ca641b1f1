// The Mappings and Constants tabs: which column (or fixed value) goes into which field of a
// job's target. A push's Field is checked against its target's catalogue (see TargetCatalogue),
// so a misspelt field stops the run before a single row is sent.

import type { TargetCatalogues } from '../ports';
import type { TableRow } from '../cells';
import { RowCheck, type Finding } from './findings';
import type { JobEntry } from './jobs';
import { flag, optionalChoice, required } from './schemas';
import { noSuch } from './suggestions';
import { ALL_TOKENS, PULL_CONSTANT_TOKENS, withTokens } from './tokens-check';
import { TAB, TRANSFORMS, type Constant, type Mapping, type Transform } from './types';

function jobOf(name: string, jobs: Map<string, JobEntry>, jobsKnown: boolean, check: RowCheck): JobEntry | undefined {
  const entry = jobs.get(name.toLowerCase());
  if (!entry && jobsKnown) check.add('Job', noSuch('job', name, [...jobs.values()].map((j) => j.name)));
  return entry;
}

/** The row where this job already used `name` (case-insensitive) in the tab; otherwise this row is remembered. */
function earlierUse(seen: Map<string, number>, job: JobEntry, name: string, row: number): number | undefined {
  const key = `${job.name.toLowerCase()}\n${name.toLowerCase()}`;
  const earlier = seen.get(key);
  if (earlier === undefined) seen.set(key, row);
  return earlier;
}

/** The Field of a Mappings or Constants row, canonical where the push's target knows its fields. */
function targetField(field: string | undefined, entry: JobEntry | undefined, catalogues: TargetCatalogues, check: RowCheck): string | undefined {
  if (field === undefined || entry?.system === undefined || entry.action !== 'Push') return field;
  const known = catalogues[entry.system].canonical(entry.target ?? '', field);
  if ('field' in known) return known.field;
  check.add('Field', known.problem);
  return undefined;
}

const mappingFields = {
  Job: required('name the job this mapping belongs to'),
  Column: required('the column header is required'),
  Field: required('the field name is required'),
  Required: flag,
  Transform: optionalChoice(TRANSFORMS as unknown as readonly [Transform, ...Transform[]], 'Transform'),
};

export function parseMappings(rows: TableRow<string>[], jobs: Map<string, JobEntry>, jobsKnown: boolean, catalogues: TargetCatalogues, problems: Finding[]): void {
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const check = new RowCheck(TAB.mappings, row, problems);
    const f = check.fields(mappingFields, cells);
    const entry = f.Job === undefined ? undefined : jobOf(f.Job, jobs, jobsKnown, check);
    if (entry) check.owner = { job: entry };
    const field = targetField(f.Field, entry, catalogues, check);
    if (entry && f.Column !== undefined) {
      const earlier = earlierUse(seen, entry, f.Column, row);
      if (earlier !== undefined) check.add('Column', `job "${entry.name}" already maps the column "${f.Column}" (row ${earlier})`);
    }
    if (!entry) continue;
    if (!check.clean) {
      entry.broken = true;
      continue;
    }
    const mapping: Mapping = { column: f.Column!, field: field!, required: f.Required!, transform: f.Transform ?? null, row };
    entry.mapped.add(mapping.field.toLowerCase());
    entry.job?.mappings.push(mapping);
  }
}

const CONSTANT_VALUES = {
  Pull: withTokens({ allowed: PULL_CONSTANT_TOKENS, where: "a pull job's Constants (there is no row being sent to read other cells from)" }),
  Push: withTokens({ allowed: ALL_TOKENS, where: 'Constants' }),
};

const constantFields = {
  Job: required('name the job this constant belongs to'),
  Field: required('the field name is required'),
};

export function parseConstants(rows: TableRow<string>[], jobs: Map<string, JobEntry>, jobsKnown: boolean, catalogues: TargetCatalogues, problems: Finding[]): void {
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const check = new RowCheck(TAB.constants, row, problems);
    const f = check.fields(constantFields, cells);
    const entry = f.Job === undefined ? undefined : jobOf(f.Job, jobs, jobsKnown, check);
    if (entry) check.owner = { job: entry };
    // Until the job's Action is known, any known token is given the benefit of the doubt.
    const field = targetField(f.Field, entry, catalogues, check);
    const { Value: value } = check.fields({ Value: CONSTANT_VALUES[entry?.action ?? 'Push'] }, cells);
    if (entry && field !== undefined) {
      const earlier = earlierUse(seen, entry, field, row);
      if (earlier !== undefined) check.add('Field', `job "${entry.name}" already has a constant for the field "${f.Field}" (row ${earlier})`);
    }
    if (!entry) continue;
    if (!check.clean) {
      entry.broken = true;
      continue;
    }
    const constant: Constant = { field: field!, value: value!, row };
    entry.constant.add(constant.field.toLowerCase());
    entry.job?.constants.push(constant);
  }
}

/**
 * What an EveryAction push's Match and Mode ask of its Mappings and Constants. Checked only when
 * those tabs could be read and the job's own rows there are good, so a misspelt field is reported
 * once, where it is.
 */
export function checkEveryActionNeeds(jobs: Map<string, JobEntry>, mappingsKnown: boolean, constantsKnown: boolean, problems: Finding[]): void {
  for (const entry of jobs.values()) {
    const needs = entry.everyActionPush;
    if (!needs || entry.broken) continue;
    const check = new RowCheck(TAB.jobs, entry.row, problems);
    check.owner = { job: entry };
    if (needs.match === 'VANID' && mappingsKnown && !entry.mapped.has('vanid')) check.add('Match', 'Match is VANID but no mapping sends VANID');
    const optIn = entry.mapped.has('optin') || entry.constant.has('optin');
    if (needs.mode === 'Conservative' && mappingsKnown && constantsKnown && !optIn) {
      check.add('Mode', 'Conservative sends only opted-in rows, so map a column to OptIn');
    }
    if (!check.clean) entry.broken = true;
  }
}
