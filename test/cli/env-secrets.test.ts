// The CLI's secrets come from environment variables set for this run: a variable is set or it is
// missing; there is no saved secret that could have been saved for another URL.

import { describe, expect, it } from 'vitest';
import { envSecrets, secretVariable } from '../../src/cli/env-secrets';

const imis = { name: 'iMIS', url: 'https://myorg.imiscloud.com/', username: 'sync.user', mode: 'EMS' };

describe('envSecrets', () => {
  it('names the variable after the connection', () => {
    expect(secretVariable('iMIS')).toBe('SHEETS_SYNC_SECRET_IMIS');
    expect(secretVariable('EveryAction Live')).toBe('SHEETS_SYNC_SECRET_EVERYACTION_LIVE');
  });

  it('answers set with the variable, whatever the URL, user name and mode', () => {
    const s = envSecrets({ SHEETS_SYNC_SECRET_IMIS: 'pw' });
    expect(s.get(imis)).toEqual({ state: 'set', value: 'pw' });
    expect(s.get({ ...imis, url: 'https://elsewhere.example.org/', username: 'other', mode: '2017' })).toEqual({ state: 'set', value: 'pw' });
  });

  it('answers missing when the variable is absent or empty, and says how to set it', () => {
    expect(envSecrets({}).get(imis)).toEqual({ state: 'missing' });
    expect(envSecrets({ SHEETS_SYNC_SECRET_IMIS: '' }).get(imis)).toEqual({ state: 'missing' });
    expect(envSecrets({}).howToSet('iMIS')).toBe('set the environment variable SHEETS_SYNC_SECRET_IMIS');
  });
});
