// Set up tabs: the four config tabs with their headers, an example row each, dropdowns (data
// validation) for the columns that take a fixed list, checkboxes for Enabled and Required, and
// frozen header rows. A tab the coordinator already has keeps its rows; only missing headers are
// added at the right.

import { cellText } from '../core/cells';
import { HEADERS, TAB } from '../core/config/types';
import { CHOICES, starterTabs } from '../core/starter';
import type { Cell } from '../core/ports';
import { asSheetValue, roomFor } from './workbook';

// Match is not strict: for a pull it names the key column, which can be any header.
type Rule = { kind: 'list'; values: readonly string[]; loose?: boolean } | { kind: 'checkbox' };

const RULES: Record<string, Record<string, Rule>> = {
  [TAB.connections]: { System: { kind: 'list', values: CHOICES.System! }, Mode: { kind: 'list', values: CHOICES['Connection Mode']! } },
  [TAB.jobs]: {
    Enabled: { kind: 'checkbox' },
    Action: { kind: 'list', values: CHOICES.Action! },
    Match: { kind: 'list', values: CHOICES.Match!, loose: true },
    Mode: { kind: 'list', values: [...CHOICES['Pull Mode']!, ...CHOICES['Push Mode']!] },
    // Daily HH:MM and Weekly Fri 17:30 are typed: the dropdown offers the common ones and warns.
    Schedule: { kind: 'list', values: CHOICES.Schedule!, loose: true },
  },
  [TAB.mappings]: { Required: { kind: 'checkbox' }, Transform: { kind: 'list', values: CHOICES.Transform! } },
  [TAB.constants]: {},
};

const HEADER_OF: Record<string, readonly string[]> = {
  [TAB.connections]: HEADERS.connections,
  [TAB.jobs]: HEADERS.jobs,
  [TAB.mappings]: HEADERS.mappings,
  [TAB.constants]: HEADERS.constants,
};

/** Rows the dropdowns cover below the header. */
const VALIDATED_ROWS = 500;

export function setUpTabs(): string[] {
  const ss = SpreadsheetApp.getActive();
  const starters = starterTabs();
  const done: string[] = [];
  for (const tab of [TAB.connections, TAB.jobs, TAB.mappings, TAB.constants]) {
    let sheet = ss.getSheetByName(tab);
    const wanted = HEADER_OF[tab]!;
    if (!sheet) {
      sheet = roomFor(ss, tab, null, starters[tab]!.length, wanted.length);
      const grid = starters[tab]!;
      const width = wanted.length;
      const values = grid.map((r) => Array.from({ length: width }, (_, c) => asSheetValue((r[c] ?? '') as Cell)));
      sheet.getRange(1, 1, values.length, width).setValues(values);
      done.push(`created ${tab}`);
    } else {
      const lastCol = Math.max(sheet.getLastColumn(), 1);
      const header = sheet.getRange(1, 1, 1, lastCol).getValues()[0]!.map((c) => cellText(c as Cell));
      const missing = wanted.filter((h) => !header.some((x) => x.toLowerCase() === h.toLowerCase()));
      if (missing.length > 0) {
        const start = header.filter((h) => h !== '').length === 0 ? 1 : lastCol + 1;
        roomFor(ss, tab, sheet, 1, start + missing.length - 1).getRange(1, start, 1, missing.length).setValues([missing]);
        done.push(`added ${missing.join(', ')} to ${tab}`);
      }
    }
    const lastCol = Math.max(sheet.getLastColumn(), 1);
    const header = sheet.getRange(1, 1, 1, lastCol).getValues()[0]!.map((c) => cellText(c as Cell).toLowerCase());
    // A tab the coordinator trimmed may be shorter than the rows the dropdowns cover.
    sheet = roomFor(ss, tab, sheet, VALIDATED_ROWS + 1, lastCol);
    for (const [column, rule] of Object.entries(RULES[tab]!)) {
      const at = header.indexOf(column.toLowerCase());
      if (at < 0) continue;
      const range = sheet.getRange(2, at + 1, VALIDATED_ROWS, 1);
      const builder = SpreadsheetApp.newDataValidation();
      const validation =
        rule.kind === 'checkbox'
          ? builder.requireCheckbox().build()
          : builder
              .requireValueInList([...rule.values], true)
              .setAllowInvalid(rule.loose === true)
              .setHelpText(`One of: ${rule.values.join(', ')}`)
              .build();
      range.setDataValidation(validation);
    }
    sheet.setFrozenRows(1);
  }
  return done;
}
