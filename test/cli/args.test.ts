// The sheets-sync command line: flags validated with plain messages.

import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args';

describe('command line', () => {
  it('reads run flags, with --job repeated', () => {
    expect(parseCommandLine(['run', '--workbook', 'book', '--job', 'A', '--job', 'B c', '--preview', '--budget', '90'])).toEqual({
      ok: true,
      args: { command: 'run', workbook: 'book', job: ['A', 'B c'], preview: true, brake: false, budget: 90 },
    });
  });

  it('reads --brake', () => {
    const parsed = parseCommandLine(['run', '--workbook', 'book', '--brake']);
    expect(parsed.ok && parsed.args.command === 'run' && parsed.args.brake).toBe(true);
  });

  it('reads simulate flags: faults, token lifetime and generated queries', () => {
    const parsed = parseCommandLine(['simulate', '--port', '0', '--latency', '100', '--token-ttl', '30', '--rows', '$/Bench/Rows=50000']);
    expect(parsed).toEqual({
      ok: true,
      args: { command: 'simulate', port: 0, latency: 100, 'rate-limit-every': 0, 'error-every': 0, 'token-ttl': 30, rows: { '$/Bench/Rows': 50000 } },
    });
  });

  it('explains what is wrong', () => {
    const message = (argv: string[]) => {
      const r = parseCommandLine(argv);
      return r.ok ? '' : r.message;
    };
    expect(message(['run'])).toBe('--workbook DIR is required');
    expect(message(['run', '--workbook', 'b', '--budget', '0'])).toBe('--budget must be more than 0 seconds');
    expect(message(['run', '--workbook', 'b', '--format', 'xml'])).toBe('--format must be table or csv');
    expect(message(['init', '--workbook', 'b', '--preview'])).toBe('"init" does not take --preview.');
    expect(message(['simulate', '--rows', 'Bench=5'])).toBe("--rows takes '$/Query/Path=N'");
    expect(message(['sync'])).toBe('Unknown command "sync".');
  });
});
