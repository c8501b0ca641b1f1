// The email subscription and SMS opt-in statuses an EveryAction pull brings (DESIGN §10.6), in the
// words EveryAction's own screens use, and the rule a Conservative pull keeps people by. The
// connector turns whatever codes the export file holds into these words, and the pull runner reads
// only the words, so the rule cannot drift from what the coordinator sees in the tab.

import type { Cell } from './ports';

/** The tab's headers for the two statuses (the export's own column names are not a coordinator's words). */
export const EMAIL_STATUS_COLUMN = 'Email Subscription';
export const SMS_STATUS_COLUMN = 'SMS Opt-In';

export const EMAIL_STATUS = { subscribed: 'Subscribed', neutral: 'Neutral', unsubscribed: 'Unsubscribed' } as const;
export const SMS_STATUS = { optIn: 'Opt-In', unknown: 'Unknown', optOut: 'Opt-Out' } as const;

/** What a Conservative pull's `<Job> Status` says of a person who is opted in. */
export const OPTED_IN = 'Opted in';
const OPTED_OUT = 'Opted out on';

/** Skipped people's Sync Log reason: they never reach the tab. */
export const NOT_OPTED_IN =
  'not opted in (Mode is Conservative: only people subscribed to email or opted in to texts are brought)';

/** Why a Conservative pull stops rather than guess: without either status, everyone would look opted out. */
export const CANNOT_TELL_OPT_IN =
  "EveryAction's export of changed people holds neither the email subscription nor the SMS opt-in status, so a Conservative pull cannot tell who is opted in. The tab was left as it was; set Mode to Liberal to bring every changed person.";

/** Whether rows with these columns can say who is opted in at all (the export may offer neither status). */
export function canTellOptIn(columns: readonly string[]): boolean {
  return columns.includes(EMAIL_STATUS_COLUMN) || columns.includes(SMS_STATUS_COLUMN);
}

/**
 * Opted in means a subscribed email or a phone opted in to texts. Neutral and Unknown are not
 * consent: EveryAction itself sends Targeted Email only to Subscribed addresses.
 */
export function isOptedIn(row: Record<string, Cell>): boolean {
  return row[EMAIL_STATUS_COLUMN] === EMAIL_STATUS.subscribed || row[SMS_STATUS_COLUMN] === SMS_STATUS.optIn;
}

/**
 * The status of a row whose person is no longer opted in: the first date it was seen so is kept,
 * like `Left the query on <date>`, so a later change does not move it.
 */
export function optedOutStatus(before: string, today: string): string {
  return before.startsWith(OPTED_OUT) ? before : `${OPTED_OUT} ${today}`;
}
