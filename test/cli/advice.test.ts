// The CLI's advice after the report: chosen by each job's code, never by its message text.

import { describe, expect, it } from 'vitest';
import { adviceLines } from '../../src/cli/run';
import type { JobResult } from '../../src/core/results';

const result = (job: string, extra: Partial<JobResult>): JobResult => ({
  job,
  status: 'Failed',
  started: new Date(0),
  finished: new Date(0),
  requests: 1,
  message: 'whatever the system said',
  log: [],
  read: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  failed: 0,
  ...extra,
});

describe('adviceLines', () => {
  it('says what to do by code, and nothing for a job without one', () => {
    const lines = adviceLines({
      results: [
        result('Signers', { code: 'auth' }),
        result('Members', { code: 'network', message: 'iMIS refused the password' }),
        result('Events', { message: 'iMIS refused the password' }),
        result('Panels', { code: 'data' }),
      ],
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Signers: the password or API key was refused: set SHEETS_SYNC_SECRET_/);
    expect(lines[1]).toMatch(/^Members: the system could not be reached/);
  });
});
