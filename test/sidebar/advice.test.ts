// The sidebar's way on after a failure is chosen by the failure's code, never by its text.

import { describe, expect, it } from 'vitest';
import { adviceFor } from '../../sidebar/format';

describe('adviceFor', () => {
  it('auth offers to enter the secret again, in the words of the connection\'s system', () => {
    expect(adviceFor('auth', 'iMIS')).toMatchObject({ action: 'Enter the password again' });
    const ea = adviceFor('auth', 'EveryAction')!;
    expect(ea.action).toBe('Enter the API key again');
    expect(ea.text).toContain('MyCampaign or VoterFile');
  });

  it('network, access and busy systems get their own advice; a row-level or unknown failure none', () => {
    expect(adviceFor('network', 'iMIS')!.text).toMatch(/could not be reached/);
    expect(adviceFor('access', 'iMIS')!.text).toMatch(/not allowed/);
    expect(adviceFor('server', 'EveryAction')!.text).toMatch(/busy or having trouble/);
    expect(adviceFor('data', 'iMIS')).toBeNull();
    expect(adviceFor(undefined, 'iMIS')).toBeNull();
  });
});
