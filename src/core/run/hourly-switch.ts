// Who may turn the hourly sync on or off, decided from the run state alone: one time-driven
// trigger per document, owned by the editor who turned it on. Another editor's schedule that
// still beats is left alone (a second would sync twice); one silent for SILENT_MS has lost its
// owner and may be taken over. Apps Script only carries the decision out (gas/triggers.ts).

export interface SwitchFacts {
  /** The person asking ('' when Google does not say). */
  me: string;
  /** Who turned it on, from the run state ('' when nobody did). */
  owner: string;
  /** Whether the owner's trigger has run lately (the heartbeat). */
  ownerAlive: boolean;
  /** How many hourly triggers the person asking owns. */
  mine: number;
}

export type SwitchDecision =
  | { action: 'none'; message: string }
  | { action: 'create'; owner: string; message: string }
  | { action: 'delete'; message: string };

export function decideHourly(on: boolean, f: SwitchFacts): SwitchDecision {
  const theirs = f.owner !== '' && f.owner !== f.me && f.ownerAlive;
  if (on) {
    if (f.mine > 0) return { action: 'none', message: 'Hourly sync is already on.' };
    if (theirs) return { action: 'none', message: `Hourly sync is already on, running as ${f.owner}. A second schedule would sync twice, so nothing was changed.` };
    return {
      action: 'create',
      owner: f.me || 'you',
      message: 'Hourly sync is on. Jobs with Schedule Hourly run every hour, Daily ones once a day after 2 AM (or at their time), Weekly ones once a week.',
    };
  }
  if (f.mine === 0 && theirs) return { action: 'none', message: `Hourly sync runs as ${f.owner}; only ${f.owner} can turn it off.` };
  return { action: 'delete', message: 'Hourly sync is off. Jobs run only when you press Sync now.' };
}

/** Whether the schedule is on and whose it is, as the sidebar shows it. */
export function switchState(f: SwitchFacts): { on: boolean; owner: string; me: string } {
  const theirs = f.owner !== '' && f.owner !== f.me && f.ownerAlive;
  return { on: f.mine > 0 || theirs, owner: f.mine > 0 ? f.me || f.owner : theirs ? f.owner : '', me: f.me };
}
