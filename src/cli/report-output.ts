// The run's Sync Report rows on stdout: CSV for scripts (the default when stdout is not a
// terminal), an aligned table for people.

import Papa from 'papaparse';
import { HEADERS } from '../core/config/types';
import { isoSeconds } from '../core/dates';
import type { RunOutcome } from '../core/engine';
import type { Trigger } from '../core/results';

export function reportRows(outcome: RunOutcome, trigger: Trigger): string[][] {
  return outcome.results.map((r) => [
    outcome.runId,
    isoSeconds(r.started),
    isoSeconds(r.finished),
    trigger,
    r.job,
    r.status,
    String(r.read),
    String(r.created),
    String(r.updated),
    String(r.unchanged),
    String(r.skipped),
    String(r.failed),
    String(r.requests),
    r.message,
  ]);
}

/** Piped into a .csv and opened, a job name or message starting with = must not run as a formula. */
export function formatCsv(rows: string[][]): string {
  return `${Papa.unparse([[...HEADERS.report], ...rows], { newline: '\n', escapeFormulae: true })}\n`;
}

/** An aligned table; the Message column is last so long messages just run on. */
export function formatTable(rows: string[][]): string {
  const keep = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const table = [[...HEADERS.report], ...rows].map((r) => keep.map((i) => r[i] ?? ''));
  const last = keep.length - 1;
  const widths = keep.map((_, c) => (c === last ? 0 : Math.max(...table.map((r) => r[c]!.length))));
  const line = (r: string[]) => r.map((cell, c) => (c === last ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  const rule = keep.map((_, c) => '-'.repeat(c === last ? 7 : widths[c]!));
  return `${[line(table[0]!), line(rule), ...table.slice(1).map(line)].join('\n')}\n`;
}
