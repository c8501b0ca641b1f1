// Apps Script entry points. Each export becomes a real top-level function in dist/Code.js (the
// build adds delegating stubs), so menus and triggers can find it.

import { createConnectors } from '../connectors';
import { DEFAULT_BUDGET_MS, runSync } from '../core/engine';
import { urlFetchHttp } from './http';
import { documentLock, documentSecrets, documentStore, gasClock, gasLog } from './services';
import { SheetsWorkbook } from './workbook';

/** Runs without authorization (AuthMode NONE/LIMITED), so it only builds the menu. */
export function onOpen(_e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  SpreadsheetApp.getUi().createAddonMenu().addItem('Sync now', 'syncNow').addToUi();
}

export function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}

/** Menu: Sync now. Runs every enabled job and says how it went. */
export function syncNow(): void {
  const spreadsheet = SpreadsheetApp.getActive();
  const outcome = runSync(
    {
      workbook: new SheetsWorkbook(spreadsheet),
      store: documentStore,
      http: urlFetchHttp,
      clock: gasClock,
      log: gasLog,
      secrets: documentSecrets,
      connectors: createConnectors,
      timeZone: spreadsheet.getSpreadsheetTimeZone(),
      lock: documentLock(),
    },
    { trigger: 'Manual', jobs: [], preview: false, budgetMs: DEFAULT_BUDGET_MS },
  );
  const lines = outcome.results.map((r) => `${r.job || 'Sync'}: ${r.status}${r.message ? ` — ${r.message}` : ''}`);
  spreadsheet.toast(lines.join('\n').slice(0, 500), 'Sheets Sync', 10);
}
