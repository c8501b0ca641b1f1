// The sidebar gets the code of each job result and of a failed connection test, so the page can
// choose its words by code (never by matching message text).

import { describe, expect, it } from 'vitest';
import { TAB } from '../../src/core/config/types';
import { contactMappings, peopleTab, seedConfig, setSecrets, type ConfigSpec } from './fakes';
import { SIGNUPS, useWorlds } from './scenario';

const newWorld = useWorlds();

describe('sidebar results carry codes', () => {
  it('a refused iMIS password: the run result and the connection test both say auth', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [SIGNUPS], mappings: contactMappings('Sign-ups') as ConfigSpec['mappings'] });
    w.addSheet('Sign-ups', peopleTab(3));
    setSecrets(w, { iMIS: 'not-the-password' });
    const step = w.sidebar<{ done: boolean; results: { job: string; status: string; code?: string; read: number; skipped: number }[] }>('startRun', 'Sign-ups', false);
    expect(step.done).toBe(true);
    expect(step.results).toEqual([expect.objectContaining({ job: 'Sign-ups', status: 'Failed', code: 'auth', read: 3, skipped: 3 })]);
    const test = w.sidebar<{ ok: boolean; code?: string }>('testConnection', 'iMIS');
    expect(test).toMatchObject({ ok: false, code: 'auth' });
    expect(w.doc.find(TAB.report)).toBeTruthy();
  });
});
