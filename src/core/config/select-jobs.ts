// Which of the configured jobs a run takes: the named ones or every enabled one, and whether
// their connections have the secrets they need. Apart from parseConfig because a resumed run asks
// again with the names from its checkpoint, against a config that may have changed since.

import { noSuch } from './suggestions';
import { TAB, type Config, type ConfigProblem, type Job } from './types';

/** A job a resumed run was to carry on with, but which is no longer a job that is turned on. */
export interface DroppedJob {
  name: string;
  /** True when the job is still there but turned off; false when no job has the name any more. */
  turnedOff: boolean;
}
export type SelectJobsResult = { ok: true; jobs: Job[]; dropped: DroppedJob[] } | { ok: false; problems: ConfigProblem[] };

export interface SelectOptions {
  /**
   * The names come from the checkpoint of a run that stopped at its time budget: a job turned
   * off, renamed or removed since is left out (see `dropped`) rather than being an error.
   */
  resuming?: boolean;
}

/**
 * The jobs to run, in Jobs-tab order: the named ones (case-insensitive; each must exist and be
 * turned on, unless resuming) or, with no names, every enabled job. Fails when a connection they
 * use has no secret, since nothing could be sent anyway; a secret saved for another URL is the
 * engine's to report, job by job (as `auth`), so it stops only the jobs that use it.
 */
export function selectJobs(config: Config, names: string[], options: SelectOptions = {}): SelectJobsResult {
  const problems: ConfigProblem[] = [];
  const dropped: DroppedJob[] = [];
  const wanted = [...new Map(names.map((n) => n.trim()).filter((n) => n !== '').map((n) => [n.toLowerCase(), n])).values()];
  let selected: Job[];
  if (wanted.length === 0) {
    selected = config.jobs.filter((j) => j.enabled);
  } else {
    const picked = new Set<Job>();
    const named = (name: string) => (j: { name: string }) => j.name.toLowerCase() === name.toLowerCase();
    for (const name of wanted) {
      const job = config.jobs.find(named(name));
      if (job?.enabled) {
        picked.add(job);
        continue;
      }
      // Turned off, whether its setup is good or still a draft with problems (reported as notes).
      const off = job ?? config.drafts.find(named(name));
      if (off && options.resuming) dropped.push({ name: off.name, turnedOff: true });
      else if (off) problems.push({ tab: TAB.jobs, row: off.row, column: 'Enabled', message: `job "${off.name}" is turned off (Enabled is not TRUE)` });
      else if (options.resuming) dropped.push({ name, turnedOff: false });
      else problems.push({ tab: TAB.jobs, row: null, column: null, message: noSuch('job', name, [...config.jobs, ...config.drafts].map((j) => j.name)) });
    }
    selected = config.jobs.filter((j) => picked.has(j));
  }

  const checked = new Set<string>();
  for (const { connection } of selected) {
    if (checked.has(connection.name.toLowerCase())) continue;
    checked.add(connection.name.toLowerCase());
    if (connection.secret !== '' || connection.secretChanged !== undefined) continue;
    const what = connection.system === 'iMIS' ? 'password' : 'API key';
    const how = connection.secretHowTo ?? 'enter it in the add-on sidebar';
    problems.push({ tab: TAB.connections, row: connection.row, column: 'Name', message: `no ${what} is set for "${connection.name}" (${how})` });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, jobs: selected, dropped };
}
