// The brake on unusual changes (DESIGN §10.4). A scheduled run has nobody watching it, so a pull
// that would empty most of a tab (an IQA query edited by mistake, a filter that returns nothing)
// or a push that would rewrite most of a system's records is held for a person instead of done.
// A person's run is deliberate and is never held.

import { formatCount } from './results';

/** A Replace pull may remove up to this percent of the tab's rows unattended. */
export const PULL_BRAKE_PERCENT = 20;
/** A push may send this many rows unattended, or half the tab's rows when that is more. */
export const PUSH_BRAKE_ROWS = 500;

/** The job's `Brake=` setting: a percent, null for off, undefined for the usual limits. */
export type BrakeSetting = number | null | undefined;

const BRAKE_PARAMETER = /^\s*brake\s*=\s*(.*)$/i;

/**
 * A job's Parameters without its `Brake=` value, which is the add-on's and not the system's (a
 * pull's Parameters are sent to iMIS as the query's prompt values).
 */
export function takeBrake(parameters: string[]): { parameters: string[]; brake: BrakeSetting; problem?: string } {
  const rest: string[] = [];
  const given: string[] = [];
  for (const p of parameters) {
    const m = BRAKE_PARAMETER.exec(p);
    if (m) given.push(m[1]!.trim());
    else rest.push(p);
  }
  if (given.length === 0) return { parameters: rest, brake: undefined };
  const how = 'write Brake= with a percent from 0% to 100% (e.g. Brake=50%), or Brake=off';
  if (given.length > 1) return { parameters: rest, brake: undefined, problem: `Brake= is given ${given.length} times; give it once: ${how}` };
  const value = given[0]!;
  if (value.toLowerCase() === 'off') return { parameters: rest, brake: null };
  const m = /^(\d+(?:\.\d+)?)\s*%?$/.exec(value);
  const percent = m ? Number(m[1]) : NaN;
  if (!(percent >= 0 && percent <= 100)) return { parameters: rest, brake: undefined, problem: `"Brake=${value}" is not a brake setting: ${how}` };
  return { parameters: rest, brake: percent };
}

/** 97 → "97 %"; a share that would round onto the limit keeps one decimal, so 20.4 % is not shown as 20 %. */
function share(part: number, whole: number, limit: number): string {
  const exact = (part * 100) / whole;
  const rounded = Math.round(exact);
  return `${rounded <= limit && exact > limit ? (Math.round(exact * 10) / 10).toFixed(1) : rounded} %`;
}

/** A Brake= value that would let this change through, to suggest: the next ten above it. */
function suggestion(exact: number): string {
  return `Brake=${Math.min(100, Math.floor(exact / 10) * 10 + 10)}%`;
}

function wayOn(jobName: string, exact: number): string {
  return `Run the job by hand (Sync now, the sidebar, or sheets-sync run --job "${jobName}") to apply it, or set ${suggestion(exact)} or Brake=off in Parameters.`;
}

/**
 * Why a Replace pull that would remove `removing` of the tab's `tabRows` rows is held, or null.
 * The sentence has no "Held:" in front, so a preview can say it too.
 */
export function pullBrake(removing: number, tabRows: number, brake: BrakeSetting): { reason: string; wayOn: (job: string) => string } | null {
  if (brake === null || tabRows === 0 || removing === 0) return null;
  const limit = brake ?? PULL_BRAKE_PERCENT;
  // Emptying the tab is never usual, however small it is; only Brake=100% (or off) allows it.
  const all = removing === tabRows && limit < 100;
  if (!all && removing * 100 <= limit * tabRows) return null;
  const exact = (removing * 100) / tabRows;
  return {
    reason: `this pull would remove ${formatCount(removing)} of ${formatCount(tabRows)} rows (${share(removing, tabRows, limit)}), more than the brake allows (${limit} %)`,
    wayOn: (job) => wayOn(job, exact),
  };
}

/** Why a push that would send `sending` of the tab's `tabRows` rows is held, or null. */
export function pushBrake(sending: number, tabRows: number, brake: BrakeSetting): { reason: string; wayOn: (job: string) => string } | null {
  if (brake === null || sending === 0) return null;
  const allowed = brake === undefined ? Math.max(PUSH_BRAKE_ROWS, tabRows / 2) : (brake * tabRows) / 100;
  if (sending <= allowed) return null;
  const rule = brake === undefined ? `${formatCount(PUSH_BRAKE_ROWS)} rows, or half the tab's rows when that is more` : `${brake} % of the tab's rows`;
  const exact = tabRows === 0 ? 100 : (sending * 100) / tabRows;
  const of = tabRows === 0 ? '' : ` of ${formatCount(tabRows)} (${share(sending, tabRows, brake ?? 50)})`;
  return {
    reason: `this push would send ${formatCount(sending)} rows${of}, more than the brake allows (${rule})`,
    wayOn: (job) => wayOn(job, exact),
  };
}
