// Cell schemas: each turns one cell of a setup tab into a typed value, or into issues whose
// message is already the text the coordinator reads (the column is added by RowCheck.fields).
// Only what a cell means on its own is checked here; whether it fits the rest of the row or
// workbook is for the tab's own parser.

import { z } from 'zod';
import type { Cell } from '../ports';
import { cellBoolean, cellText } from '../cells';
import { ownTabProblem, sheetTabNameProblem } from './tab-names';

const anyCell = z.custom<Cell>();

/** Any cell as trimmed text. */
export const text = anyCell.transform((cell) => cellText(cell));

export function required(message: string) {
  return text.pipe(z.string().min(1, { error: message }));
}

/** "A", "A or B", "A, B or C". */
function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Case, doubled spaces and spaces around "+" do not matter in a dropdown value. */
export function choiceKey(s: string): string {
  return s.toLowerCase().replace(/\s+/g, ' ').replace(/\s*\+\s*/g, '+');
}

function canonicalChoice<T extends string>(input: unknown, values: readonly T[]): unknown {
  if (typeof input !== 'string') return input;
  return values.find((v) => choiceKey(v) === choiceKey(input)) ?? input;
}

/**
 * One of a fixed list, whatever the case; blank means `fallback` when there is one.
 * `what` names the cell in the message ("Mode for a pull").
 */
export function choice<const T extends readonly [string, ...string[]]>(values: T, what: string, fallback?: T[number]) {
  const hint = fallback === undefined ? orList(values) : `${orList(values)} (blank means ${fallback})`;
  return text.pipe(
    z.preprocess(
      (s) => (s === '' && fallback !== undefined ? fallback : canonicalChoice(s, values)),
      z.enum(values, {
        error: (issue) => (issue.input === '' ? `choose ${hint}` : `"${String(issue.input)}" is not a valid ${what}; use ${hint}`),
      }),
    ),
  );
}

/** Like choice, but blank means "none" (null). */
export function optionalChoice<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return text.pipe(
    z.preprocess(
      (s) => (s === '' ? null : canonicalChoice(s, values)),
      z
        .enum(values, { error: (issue) => `"${String(issue.input)}" is not a valid ${what}; use ${orList(values)}, or leave it blank` })
        .nullable(),
    ),
  );
}

/** Blank or `value` (any case) gives `value`; anything else is `message`. */
export function only<const T extends string>(value: T, message: string) {
  return text.transform((s, ctx): T => {
    if (s === '' || choiceKey(s) === choiceKey(value)) return value;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

/** A checkbox, or text a person would write for one. */
export const flag = anyCell.transform((cell, ctx) => {
  const value = cellBoolean(cell);
  if (value === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${cellText(cell)}" is not TRUE or FALSE; tick the checkbox or write TRUE or FALSE` });
    return z.NEVER;
  }
  return value;
});

// Regex, not the URL class: core also runs in Apps Script, which has none.
const WEB_ADDRESS = /^(https?):\/\/(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::(\d{1,5}))?(\/[^\s?#]*)?$/i;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * A site or API base address, normalised to end with exactly one "/" (any virtual directory
 * such as /imis/ is kept). Plain http:// is allowed only on this computer (the simulators).
 */
export function webAddress(example: string, blank?: string) {
  return text.transform((s, ctx) => {
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (s === '') return blank ?? fail(`the web address is required, e.g. ${example}`);
    // Checked first, and never quoting the cell: the part before "@" is a password a coordinator
    // pasted, and any message here reaches the log, the terminal and the Sync Report. A base
    // address of iMIS or EveryAction never holds "@" for any other reason.
    if (s.includes('@')) return fail('the address holds a user name and password; remove them (the password goes in the sidebar, never in a cell)');
    if (/[?#]/.test(s)) return fail(`give the site's base address only, without "?" or "#" parts, e.g. ${example}`);
    const m = WEB_ADDRESS.exec(s);
    if (!m) return fail(`"${s}" is not a web address; it should look like ${example}`);
    const scheme = m[1]!.toLowerCase();
    const host = m[2]!.toLowerCase();
    const port = m[3];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return fail(`"${s}" has an impossible port number (${port})`);
    if (scheme === 'http' && !isLoopback(host)) {
      return fail(`the address must start with https:// (plain http:// is only allowed for this computer, e.g. http://localhost:8080/)`);
    }
    const path = (m[4] ?? '').replace(/\/+$/, '') + '/';
    return `${scheme}://${host}${port === undefined ? '' : `:${port}`}${path}`;
  });
}

/** A tab a job reads or writes: one Google Sheets accepts, and not one of the add-on's own. */
export function tabName(blankMessage: string) {
  return required(blankMessage).transform((s, ctx) => {
    const unusable = sheetTabNameProblem(s) ?? ownTabProblem(s);
    if (unusable === null) return s;
    ctx.addIssue({ code: 'custom', message: unusable });
    return z.NEVER;
  });
}

export const iqaPath = required('the IQA path is required, e.g. $/Marketing/Lists/Active Members').refine((s) => s === '' || /^\$\/./.test(s), {
  error: 'the IQA path must start with "$/", e.g. $/Marketing/Lists/Active Members',
});

export const businessObject = required(`say where the rows go: Contact, Activity, or a panel's business object name`).transform((s, ctx) => {
  if (s.toLowerCase() === 'contact') return 'Contact';
  if (s.toLowerCase() === 'activity') return 'Activity';
  if (/^[A-Za-z0-9_]+$/.test(s)) return s;
  ctx.addIssue({
    code: 'custom',
    message: `"${s}" is not a business object name; use Contact, Activity, or a panel's business object name (letters, digits and _ only, e.g. Volunteer_Interests)`,
  });
  return z.NEVER;
});
