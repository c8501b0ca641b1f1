// Apps Script entry points. Each export becomes a real top-level function in dist/Code.js (the
// build adds delegating stubs), so menus, triggers and google.script.run can find it.

import { alertAfterScheduledRun } from './alerts';
import { checkpoint, reportProblem, resume, runSlice } from './runs';
import { setUpTabs as createTabs } from './setup';
import { heartbeat, setHourly as switchHourly } from './triggers';

import { setUpMessage } from './sidebar';

export { alertSettings, setAlertAddresses, continueRun, fieldNames, refreshFieldPickers, setSecret, sidebarState, startRun, testConnection, setHourly, setUpTabsFromSidebar } from './sidebar';
export { connectionForm, jobForm, saveConnection, saveJob } from './forms';

/**
 * Runs without authorization (AuthMode NONE/LIMITED), so it only builds the menu. The sidebar
 * comes first: it is where a new coordinator sets up the tabs, and Sync now on a spreadsheet
 * without them only says that something is missing.
 */
export function onOpen(_e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  SpreadsheetApp.getUi()
    .createAddonMenu()
    .addItem('Open sidebar', 'openSidebar')
    .addItem('Sync now', 'syncNow')
    .addItem('Preview a job…', 'previewJob')
    .addSeparator()
    .addItem('Set up tabs', 'setUpTabs')
    .addItem('Turn hourly sync on', 'turnHourlyOn')
    .addItem('Turn hourly sync off', 'turnHourlyOff')
    .addToUi();
}

export function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}

function tell(message: string): void {
  SpreadsheetApp.getActive().toast(message.slice(0, 500), 'Sheets Sync', 10);
}

/** Menu: Sync now. Carries on a run that stopped at its time budget, else runs every enabled job. */
export function syncNow(): void {
  const cp = checkpoint();
  const out = cp ? resume(cp, undefined, undefined, 'Manual') : runSlice({ jobs: [], preview: false, trigger: 'Manual' });
  const lines = out.results.map((r) => `${r.job || 'Sync'}: ${r.status}${r.message ? ` — ${r.message}` : ''}`);
  if (out.next) lines.push('Stopped at the time limit; press Sync now again (or wait for the hourly run) to carry on.');
  tell(lines.join('\n'));
}

/** Menu: Preview a job. Asks for the job's name, then reads and matches without writing. */
export function previewJob(): void {
  const ui = SpreadsheetApp.getUi();
  const answer = ui.prompt('Preview a job', 'Name of the job to preview (as in the Jobs tab):', ui.ButtonSet.OK_CANCEL);
  if (answer.getSelectedButton() !== ui.Button.OK) return;
  const out = runSlice({ jobs: [answer.getResponseText().trim()], preview: true, trigger: 'Manual' });
  tell(out.results.map((r) => `${r.job || 'Preview'}: ${r.status} — ${r.message}`).join('\n') + '\nSee the Sync Log for each row.');
}

export function openSidebar(): void {
  SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutputFromFile('Sidebar').setTitle('Sheets Sync'));
}

export function setUpTabs(): void {
  tell(setUpMessage(createTabs()));
}

export function turnHourlyOn(): void {
  tell(switchHourly(true).message);
}

export function turnHourlyOff(): void {
  tell(switchHourly(false).message);
}

/**
 * The hourly trigger. Nobody sees a failed trigger run, so every way it can go wrong ends in the
 * Sync Report: authorization withdrawn, another run still going, the sync's own outcome, or an
 * exception nothing else caught.
 */
export function hourlySync(_e?: GoogleAppsScript.Events.TimeDriven): void {
  try {
    heartbeat();
    const auth = ScriptApp.getAuthorizationInfo(ScriptApp.AuthMode.FULL);
    if (auth.getAuthorizationStatus() === ScriptApp.AuthorizationStatus.REQUIRED) {
      alertAfterScheduledRun([reportProblem('Hourly', 'The hourly sync could not run: Sheets Sync needs to be authorized again. Open Extensions → Sheets Sync → Open sidebar and accept.')]);
      return;
    }
    // A paused run is carried on first; if another execution holds it, the engine reports Skipped.
    const cp = checkpoint();
    const out = cp ? resume(cp, undefined, undefined, 'Hourly') : runSlice({ jobs: [], preview: false, trigger: 'Hourly', scheduled: true });
    // Only here, in the trigger, does a Failed or Held job email anyone: a person's run never does.
    alertAfterScheduledRun(out.results);
  } catch (e) {
    alertAfterScheduledRun([reportProblem('Hourly', `The hourly sync stopped unexpectedly: ${e instanceof Error ? e.message : String(e)}`)]);
  }
}
