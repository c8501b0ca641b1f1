// The sentence the page shows for a server call that did not do what was asked. A server function
// never throws: it answers a Refusal whose sentence was written for the coordinator, and that is
// shown as it is. What reaches the failure handler is Google's own failure (no connection to
// Google, permission withdrawn, an execution stopped by Google); its text is Google's, in no fixed
// form, so it is never shown or read: one plain sentence stands for all of them.

import { isRefusal, looksLikeRawError } from '../src/gas/sidebar-api';

export const GOOGLE_FAILED =
  'Google could not run that just now: the connection to Google may have dropped, or Sheets Sync may need your permission again. Reload the spreadsheet and try again; if Google asks, allow access.';

/** One plain sentence, at most about 300 characters, never a stack trace or Google's raw text. */
export function plainError(error: unknown): string {
  if (!isRefusal(error)) return GOOGLE_FAILED;
  let text = said(error.message.trim());
  if (!text) return GOOGLE_FAILED;
  if (text.length > 300) text = `${text.slice(0, 297).trimEnd()}…`;
  if (!/[.!?…]$/.test(text)) text += '.';
  // "the password…" begins a sentence; "iMIS at…" and "eBay" already do.
  return /^[a-z][a-z]/.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

export const UNREADABLE =
  'Sheets Sync ran into something it did not expect here. Press Refresh and try again; if it happens again, the Apps Script execution log (Extensions → Apps Script → Executions) says what it was.';

/**
 * Text from the server (a result, a Status or Last Result cell) as the page shows it: a sentence
 * for the coordinator as it is, a program's complaint left behind by a fault never.
 */
export function said(text: string): string {
  return looksLikeRawError(text) ? UNREADABLE : text;
}
