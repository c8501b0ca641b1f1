// The Sync Report rows the CLI prints: piped into a .csv and opened in a spreadsheet program, no
// cell may run as a formula.

import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { formatCsv } from '../../src/cli/report-output';

describe('the CSV report on stdout', () => {
  it('writes a job name or message that starts like a formula behind an apostrophe', () => {
    const row = ['run', '2026-11-23T15:00:00Z', '2026-11-23T15:00:01Z', 'CLI', "=cmd|' /C calc'!A0", 'Failed', '0', '0', '0', '0', '0', '0', '0', '@SUM(A1) went wrong'];
    const [, parsed] = Papa.parse<string[]>(formatCsv([row]).trim()).data;
    expect(parsed![4]).toBe("'=cmd|' /C calc'!A0");
    expect(parsed![13]).toBe("'@SUM(A1) went wrong");
    expect(parsed!.slice(5, 13)).toEqual(['Failed', '0', '0', '0', '0', '0', '0', '0']);
  });
});
