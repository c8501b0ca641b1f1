// Where each token (DESIGN §4) makes sense, and the schemas that check the text of a cell holding
// them: a pull's Parameters are worked out once per run, a pull has no row to read other cells
// from, an EveryAction pull's start date must be a moment.

import { scanTokens, type Token } from '../tokens';
import { text } from './schemas';

export type TokenKind = Token['kind'];
export const ALL_TOKENS: readonly TokenKind[] = ['today', 'now', 'job', 'sheet', 'row', 'run', 'lastSuccess', 'column', 'clear'];
/** A pull's Parameters are worked out once per run, not per row, and never blank a field. */
export const PULL_PARAMETER_TOKENS: readonly TokenKind[] = ['today', 'now', 'job', 'sheet', 'run', 'lastSuccess'];
/** A pull has no other cells of "the same row" to read from. */
export const PULL_CONSTANT_TOKENS: readonly TokenKind[] = ALL_TOKENS.filter((t) => t !== 'column');

export interface TokenPlace {
  allowed: readonly TokenKind[];
  /** "a pull's Parameters" */
  where: string;
}

const tokenName = (kind: TokenKind) => (kind === 'column' ? '{{column:Header}}' : `{{${kind}}}`);
const tokenText = (t: Token) => (t.kind === 'column' ? `{{column:${t.header}}}` : `{{${t.kind}}}`);

/** Text whose tokens are all known and allowed in `place`, with no stray braces. */
export function withTokens(place: TokenPlace) {
  return text.superRefine((s, ctx) => {
    const { tokens, unknown } = scanTokens(s);
    const known = place.allowed.map(tokenName).join(', ');
    for (const u of unknown) ctx.addIssue({ code: 'custom', message: `unknown token ${u}; known tokens are ${known}` });
    const reported = new Set<TokenKind>();
    for (const t of tokens) {
      if (place.allowed.includes(t.kind) || reported.has(t.kind)) continue;
      reported.add(t.kind);
      ctx.addIssue({ code: 'custom', message: `${tokenText(t)} cannot be used in ${place.where}; the tokens that work there are ${known}` });
    }
    if (/\{\{|\}\}/.test(s.replace(/\{\{[^{}]*\}\}/g, ''))) {
      ctx.addIssue({ code: 'custom', message: 'a token is missing a brace; tokens look like {{today}}, with two braces on each side' });
    }
  });
}

/** A Parameters cell: values separated by "|", each trimmed; blank is none. */
export function parametersIn(place: TokenPlace) {
  return withTokens(place).transform((s) => (s === '' ? [] : s.split('|').map((p) => p.trim())));
}

/** Tokens that stand for a moment, so they can start an EveryAction pull's window. */
const START_DATE_TOKENS: readonly TokenKind[] = ['today', 'now', 'lastSuccess'];

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** yyyy-mm-dd, an ISO date-time (optionally with seconds, fraction and Z or offset), or {{today}}, {{now}}, {{lastSuccess}}. */
export function isStartDate(s: string): boolean {
  if (/^\{\{[^{}]*\}\}$/.test(s)) {
    const [token] = scanTokens(s).tokens;
    return token !== undefined && START_DATE_TOKENS.includes(token.kind);
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$/i.exec(s);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m.slice(1).map((n) => (n === undefined ? 0 : Number(n))) as number[];
  return (
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysIn(year!, month!) &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59 &&
    offsetHours! <= 14 &&
    offsetMinutes! <= 59
  );
}
