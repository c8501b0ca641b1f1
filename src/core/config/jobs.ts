// The Jobs tab: what each job does, through which connection, from where to where. Each system
// checks and builds its own kind of job; a job whose own row is good is built even when its
// Mappings or Constants later turn out broken (parse.ts then leaves it out).

import { z } from 'zod';
import type { Cell } from '../ports';
import type { TableRow } from '../cells';
import type { ConnectionEntry } from './connections';
import { claimName, RowCheck, type Finding } from './findings';
import { ACTIONS, JOB_CHOICES } from './choices';
import { takeBrake } from '../brake';
import { SCHEDULE_FORMS, scheduleFromText } from '../schedule';
import { businessObject, choice, choiceKey, flag, iqaPath, only, required, tabName, text } from './schemas';
import { noSuch } from './suggestions';
import { ALL_TOKENS, isStartDate, parametersIn, PULL_PARAMETER_TOKENS } from './tokens-check';
import { TAB, type EveryActionPullJob, type EveryActionPushJob, type Job, type Schedule, type System } from './types';

export interface JobEntry {
  name: string;
  row: number;
  /** False only when Enabled is clearly FALSE: a job whose Enabled cell is unreadable counts as turned on. */
  enabled: boolean;
  action: 'Pull' | 'Push' | undefined;
  /** Known when the job's connection is known, so its Mappings and Constants can be checked. */
  system: System | undefined;
  /** The Target cell as its schema reads it, when good: whose fields a push's Mappings name. */
  target?: string;
  /** Undefined when the job's own row has problems. */
  job: Job | undefined;
  /** Set when a mapping or constant of this job has a problem. */
  broken: boolean;
  /** Fields (canonical) of this job's good Mappings and Constants rows. */
  mapped: Set<string>;
  constant: Set<string>;
  /** An EveryAction push's Match and Mode, when those cells are good: they ask for certain fields. */
  everyActionPush?: { match: EveryActionPushJob['match'] | undefined; mode: EveryActionPushJob['mode'] | undefined };
}

const jobFields = {
  Name: required('give the job a name'),
  Enabled: flag,
  Action: choice(ACTIONS, 'Action'),
  Connection: required('name the connection this job uses (a Name from the Connections tab)'),
  Schedule: text.transform((s, ctx): Schedule => {
    const schedule = s === '' ? 'Hourly' : scheduleFromText(s);
    if (schedule !== undefined) return schedule;
    ctx.addIssue({ code: 'custom', message: `"${s}" is not a valid Schedule; use ${SCHEDULE_FORMS} (blank means Hourly)` });
    return z.NEVER;
  }),
};

const PARAMETERS = {
  Pull: parametersIn({ allowed: PULL_PARAMETER_TOKENS, where: "a pull's Parameters" }),
  Push: parametersIn({ allowed: ALL_TOKENS, where: "a push's Parameters" }),
  unknown: parametersIn({ allowed: ALL_TOKENS, where: 'Parameters' }),
};

/** The columns a job of each system and action adds to the common ones. */
const IMIS_JOB_FIELDS = {
  Pull: {
    Source: iqaPath,
    Target: tabName('name the tab the query is copied into'),
    Match: text,
    Mode: choice(JOB_CHOICES.iMIS.Pull.Mode, 'Mode for a pull', JOB_CHOICES.iMIS.Pull.Mode[0]),
  },
  Push: {
    Source: tabName('name the tab whose rows are sent'),
    Target: businessObject,
    Match: choice(JOB_CHOICES.iMIS.Push.Match, 'Match for a push to iMIS', JOB_CHOICES.iMIS.Push.Match[0]),
    Mode: choice(JOB_CHOICES.iMIS.Push.Mode, 'Mode for a push to iMIS', JOB_CHOICES.iMIS.Push.Mode[0]),
  },
} as const;

const PULL_MODES_HINT = 'use Liberal (every changed person) or Conservative (only people opted in to email or texts); blank means Liberal';

/**
 * An EveryAction pull's Mode (DESIGN §10.6). Merge is read as Liberal: it is what this column
 * asked for before pulls had a choice, and such a sheet must keep running.
 */
const everyActionPullMode = text.transform((s, ctx): EveryActionPullJob['mode'] => {
  const key = choiceKey(s);
  if (key === '' || key === 'liberal' || key === 'merge') return 'Liberal';
  if (key === 'conservative') return 'Conservative';
  const why = key === 'replace' ? ': it only holds what changed, so it never replaces the tab' : '';
  ctx.addIssue({ code: 'custom', message: `"${s}" is not a valid Mode for an EveryAction pull${why}; ${PULL_MODES_HINT}` });
  return z.NEVER;
});

const EVERYACTION_JOB_FIELDS = {
  Pull: {
    Source: text.transform((s, ctx): 'Changed people' => {
      if (choiceKey(s) === 'changed people') return 'Changed people';
      ctx.addIssue({ code: 'custom', message: 'EveryAction pulls read "Changed people"' });
      return z.NEVER;
    }),
    Target: tabName('name the tab the changed people are copied into'),
    Match: only(JOB_CHOICES.EveryAction.Pull.Match[0], 'EveryAction pulls are always merged by VANID'),
    Mode: everyActionPullMode,
  },
  Push: {
    Source: tabName('name the tab whose rows are sent'),
    Target: only('People', 'EveryAction jobs push to People'),
    Match: choice(JOB_CHOICES.EveryAction.Push.Match, 'Match for an EveryAction push', JOB_CHOICES.EveryAction.Push.Match[0]),
    Mode: choice(JOB_CHOICES.EveryAction.Push.Mode, 'Mode for an EveryAction push', JOB_CHOICES.EveryAction.Push.Mode[0]),
  },
} as const;

/** An EveryAction pull's Parameters: nothing, or the first start date. Blank values are dropped. */
function startDateParameters(parameters: string[], check: RowCheck): string[] | undefined {
  const given = parameters.filter((p) => p !== '');
  if (given.length > 1) {
    check.add('Parameters', 'an EveryAction pull takes one value at most: the first start date, e.g. 2026-10-01');
    return undefined;
  }
  if (given.length === 1 && !isStartDate(given[0]!)) {
    check.add('Parameters', 'the first start date must look like 2026-10-01');
    return undefined;
  }
  return given;
}

/** What every job has, once its common columns are known to be good. */
type JobCommon = Omit<Job, 'action' | 'system' | 'source' | 'target' | 'mode' | 'parameters'> & { parameters: string[] };

interface JobRow {
  action: 'Pull' | 'Push';
  cells: Record<string, Cell>;
  check: RowCheck;
  /** Undefined when a common cell (or the connection) has a problem: check the row, build nothing. */
  common: JobCommon | undefined;
  /** The Parameters cell, when its tokens are good. */
  parameters: string[] | undefined;
  /** Undefined when the job's name is blank or taken. */
  entry: JobEntry | undefined;
}

/**
 * Each system checks and builds its own jobs. A builder that returns undefined has reported
 * why on `check`.
 */
const JOB_BUILDERS: Record<System, (row: JobRow) => Job | undefined> = {
  iMIS({ action, cells, check, common, entry }) {
    if (action === 'Pull') {
      const f = check.fields(IMIS_JOB_FIELDS.Pull, cells);
      if (!common || !check.clean) return undefined;
      return { ...common, action, system: 'iMIS', source: f.Source!, target: f.Target!, key: f.Match || 'ID', mode: f.Mode! };
    }
    const f = check.fields(IMIS_JOB_FIELDS.Push, cells);
    if (entry) entry.target = f.Target;
    if (!common || !check.clean) return undefined;
    return { ...common, action, system: 'iMIS', source: f.Source!, target: f.Target!, match: f.Match!, mode: f.Mode! };
  },
  EveryAction({ action, cells, check, common, parameters, entry }) {
    if (action === 'Pull') {
      const f = check.fields(EVERYACTION_JOB_FIELDS.Pull, cells);
      const startDate = parameters === undefined ? undefined : startDateParameters(parameters, check);
      if (!common || !startDate || !check.clean) return undefined;
      return { ...common, action, system: 'EveryAction', source: f.Source!, target: f.Target!, key: f.Match!, mode: f.Mode!, parameters: startDate };
    }
    const f = check.fields(EVERYACTION_JOB_FIELDS.Push, cells);
    if (entry) {
      entry.target = f.Target;
      entry.everyActionPush = { match: f.Match, mode: f.Mode };
    }
    if (!common || !check.clean) return undefined;
    return { ...common, action, system: 'EveryAction', source: f.Source!, target: f.Target!, match: f.Match!, mode: f.Mode! };
  },
};

/** Every row, by lower-case name; each checked even when its connection cannot be used. */
export function parseJobs(
  rows: TableRow<string>[],
  connections: Map<string, ConnectionEntry>,
  connectionsKnown: boolean,
  problems: Finding[],
  /** Filled with the (lower-case) connection names that jobs counting as turned on use. */
  usedConnections: Set<string>,
): Map<string, JobEntry> {
  const byName = new Map<string, JobEntry>();
  const connectionNames = [...connections.values()].map((c) => c.name);
  for (const { row, cells } of rows) {
    const check = new RowCheck(TAB.jobs, row, problems);
    const base = check.fields(jobFields, cells);
    const { Parameters: given } = check.fields({ Parameters: PARAMETERS[base.Action ?? 'unknown'] }, cells);
    const taken = given === undefined ? undefined : takeBrake(given);
    if (taken?.problem) check.add('Parameters', taken.problem);
    const parameters = taken?.problem ? undefined : taken?.parameters;
    const enabled = base.Enabled !== false;
    if (enabled && base.Connection !== undefined) usedConnections.add(base.Connection.toLowerCase());
    check.owner = { job: { enabled } };

    const entry = claimName(byName, base.Name, 'job', check, (name) => ({
      name,
      row,
      enabled,
      action: base.Action,
      system: undefined,
      job: undefined,
      broken: false,
      mapped: new Set<string>(),
      constant: new Set<string>(),
    }));
    if (entry) check.owner = { job: entry };

    let connection: ConnectionEntry | undefined;
    if (base.Connection !== undefined && connectionsKnown) {
      connection = connections.get(base.Connection.toLowerCase());
      if (!connection) check.add('Connection', noSuch('connection', base.Connection, connectionNames));
    }
    // A connection with problems of its own is reported on its row; its jobs are still checked
    // but cannot be built until it is fixed.
    const system = connection?.system;
    if (entry) entry.system = system;
    if (!system || !base.Action) continue;
    const conn = connection?.connection;

    const common: JobCommon | undefined =
      conn && check.clean && entry && base.Enabled !== undefined && base.Schedule !== undefined && parameters !== undefined
        ? { name: entry.name, enabled: base.Enabled, connection: conn, schedule: base.Schedule, mappings: [], constants: [], parameters, row, ...(taken?.brake === undefined ? {} : { brake: taken.brake }) }
        : undefined;
    const job = JOB_BUILDERS[system]({ action: base.Action, cells, check, common, parameters, entry });
    if (entry && job && check.clean) entry.job = job;
  }
  return byName;
}
