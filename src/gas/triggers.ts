// The hourly sync switch: one time-driven trigger per document, created only from a user action
// (triggers made inside a trigger can end up disabled), checked against the user's triggers so
// there is never a second, and owned by one editor, whose name the sidebar shows. The owner and
// the heartbeat are kept in the run state (core/run/run-state.ts).

import { decideHourly, switchState, type SwitchFacts } from '../core/run/hourly-switch';
import { runState } from './runs';
import type { SidebarSchedule } from './sidebar-api';

export const HOURLY_HANDLER = 'hourlySync';

/** The hourly run notes that it ran, so other editors can tell a working schedule from a dead one. */
export function heartbeat(): void {
  runState().heartbeat();
}

function me(): string {
  try {
    return Session.getEffectiveUser().getEmail() || Session.getActiveUser().getEmail() || '';
  } catch {
    return '';
  }
}

/**
 * Whom a scheduled run's alert goes to first: inside the hourly trigger, the user it runs as (its
 * owner); elsewhere the owner recorded when it was turned on ('' when unknown).
 */
export function scheduleOwner(): string {
  const owner = runState().scheduleOwner();
  return me() || (owner.includes('@') ? owner : '');
}

function myHourlyTriggers(): GoogleAppsScript.Script.Trigger[] {
  return ScriptApp.getUserTriggers(SpreadsheetApp.getActive()).filter((t) => t.getHandlerFunction() === HOURLY_HANDLER);
}

function facts(): SwitchFacts {
  const state = runState();
  return { me: me(), owner: state.scheduleOwner(), ownerAlive: state.ownerAlive(), mine: myHourlyTriggers().length };
}

export function scheduleState(): SidebarSchedule {
  return switchState(facts());
}

/** Turns hourly sync on or off (decided in core/run/hourly-switch.ts); returns the state and a sentence for the coordinator. */
export function setHourly(on: boolean): { state: SidebarSchedule; message: string } {
  const decision = decideHourly(on, facts());
  const state = runState();
  if (decision.action === 'create') {
    ScriptApp.newTrigger(HOURLY_HANDLER).timeBased().everyHours(1).create();
    state.setScheduleOwner(decision.owner);
    state.heartbeat();
  } else if (decision.action === 'delete') {
    for (const t of myHourlyTriggers()) ScriptApp.deleteTrigger(t);
    state.setScheduleOwner(null);
  }
  return { state: scheduleState(), message: decision.message };
}
