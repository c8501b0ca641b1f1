// The hourly sync switch: one time-driven trigger per document, created only from a user action
// (triggers made inside a trigger can end up disabled), checked against the user's triggers so
// there is never a second, and owned by one editor, whose name the sidebar shows.

import type { SidebarSchedule } from './sidebar-api';
import { documentStore } from './services';

export const HOURLY_HANDLER = 'hourlySync';
const OWNER = 'schedule:owner';
const BEAT = 'schedule:beat';
/** An owner whose trigger has not run for this long has lost it (left, removed it, lost access). */
const SILENT_MS = 3 * 3600_000;

/** The hourly run notes that it ran, so other editors can tell a working schedule from a dead one. */
export function heartbeat(): void {
  documentStore.set(BEAT, String(Date.now()));
}

function ownerAlive(): boolean {
  const beat = Number(documentStore.get(BEAT) ?? '0');
  return Date.now() - beat < SILENT_MS;
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
  const owner = documentStore.get(OWNER) ?? '';
  return me() || (owner.includes('@') ? owner : '');
}

function myHourlyTriggers(): GoogleAppsScript.Script.Trigger[] {
  return ScriptApp.getUserTriggers(SpreadsheetApp.getActive()).filter((t) => t.getHandlerFunction() === HOURLY_HANDLER);
}

export function scheduleState(): SidebarSchedule {
  const owner = documentStore.get(OWNER) ?? '';
  const mine = myHourlyTriggers().length > 0;
  const theirs = owner !== '' && owner !== me() && ownerAlive();
  return { on: mine || theirs, owner: mine ? me() || owner : theirs ? owner : '', me: me() };
}

/** Turns hourly sync on or off; returns the state and a sentence for the coordinator. */
export function setHourly(on: boolean): { state: SidebarSchedule; message: string } {
  const user = me();
  const owner = documentStore.get(OWNER) ?? '';
  const mine = myHourlyTriggers();
  if (on) {
    if (mine.length > 0) return { state: scheduleState(), message: 'Hourly sync is already on.' };
    if (owner && owner !== user && ownerAlive()) {
      return { state: scheduleState(), message: `Hourly sync is already on, running as ${owner}. A second schedule would sync twice, so nothing was changed.` };
    }
    ScriptApp.newTrigger(HOURLY_HANDLER).timeBased().everyHours(1).create();
    documentStore.set(OWNER, user || 'you');
    heartbeat();
    return { state: scheduleState(), message: 'Hourly sync is on. Jobs with Schedule Hourly run every hour, Daily ones once a day after 2 AM (or at their time), Weekly ones once a week.' };
  }
  if (mine.length === 0 && owner && owner !== user && ownerAlive()) {
    return { state: scheduleState(), message: `Hourly sync runs as ${owner}; only ${owner} can turn it off.` };
  }
  for (const t of mine) ScriptApp.deleteTrigger(t);
  documentStore.delete(OWNER);
  return { state: scheduleState(), message: 'Hourly sync is off. Jobs run only when you press Sync now.' };
}
