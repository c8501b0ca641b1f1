// The small Apps Script services the engine needs: the clock and the engine's state between
// runs. Secrets (passwords and API keys) are kept apart, in secrets.ts.

import { STATE_TAB } from '../core/config/types';
import type { Clock, KeyValueStore } from '../core/ports';
import { asSheetValue, roomFor } from './workbook';

export const gasClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => Utilities.sleep(Math.max(0, Math.round(ms))),
};

const STATE_PREFIX = 'state:';
/** Document properties hold 9 KB a value; anything larger goes to a hidden tab. */
const PROPERTY_LIMIT = 8000;

function stateSheet(): GoogleAppsScript.Spreadsheet.Sheet {
  const ss = SpreadsheetApp.getActive();
  let sheet = ss.getSheetByName(STATE_TAB);
  if (!sheet) {
    sheet = roomFor(ss, STATE_TAB, null, 1, 2);
    sheet.hideSheet();
  }
  return sheet;
}

/** The engine's small state between runs (watermarks, checkpoints), in document properties. */
export const documentStore: KeyValueStore = {
  get: (key) => {
    const v = PropertiesService.getDocumentProperties().getProperty(STATE_PREFIX + key);
    if (v === null || !v.startsWith('@tab:')) return v;
    const row = Number(v.slice(5));
    return String(stateSheet().getRange(row, 2, 1, 1).getValues()[0]![0] ?? '');
  },
  set: (key, value) => {
    const props = PropertiesService.getDocumentProperties();
    // The limit is in bytes; encodeURIComponent's length is an upper bound on UTF-8 bytes.
    if (encodeURIComponent(value).length <= PROPERTY_LIMIT) {
      props.setProperty(STATE_PREFIX + key, value);
      return;
    }
    const sheet = stateSheet();
    const keys = sheet.getLastRow() > 0 ? sheet.getRange(1, 1, sheet.getLastRow(), 1).getValues().map((r) => String(r[0])) : [];
    const at = keys.indexOf(key);
    // A row a deleted value left blank is used again, so the tab does not grow run after run.
    const free = keys.indexOf('');
    const row = at >= 0 ? at + 1 : free >= 0 ? free + 1 : keys.length + 1;
    roomFor(SpreadsheetApp.getActive(), STATE_TAB, sheet, row, 2).getRange(row, 1, 1, 2).setValues([[key, asSheetValue(value)]]);
    props.setProperty(STATE_PREFIX + key, `@tab:${row}`);
  },
  delete: (key) => {
    const props = PropertiesService.getDocumentProperties();
    const v = props.getProperty(STATE_PREFIX + key);
    props.deleteProperty(STATE_PREFIX + key);
    // A large value kept in the hidden tab goes with its key: its row is blanked for the next one.
    if (v !== null && v.startsWith('@tab:')) stateSheet().getRange(Number(v.slice(5)), 1, 1, 2).setValues([['', '']]);
  },
};
