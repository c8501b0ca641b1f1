// The iMIS token is renewed a little before it ends: a tenth of its lifetime, at most a minute,
// so a short-lived token is still used for the requests that fit in its life.

import { describe, expect, it } from 'vitest';
import { ImisClient } from '../../src/connectors/imis/client';
import { budgetFrom } from '../../src/core/budget';
import type { ImisConnection } from '../../src/core/config/types';
import { ImisSimulator } from '../../src/simulators/imis';
import { inProcessHttp } from '../../src/simulators/router';
import { FakeClock } from '../helpers/fakes';

const connection: ImisConnection = { system: 'iMIS', name: 'iMIS', url: 'http://127.0.0.1/imis/', username: 'sync.user', mode: 'EMS', secret: 'demo-password', row: 2 };

function client(ttlSeconds: number) {
  const clock = new FakeClock();
  const sim = new ImisSimulator({ tokenTtlSeconds: ttlSeconds, now: () => clock.now().getTime(), memberCount: 20 });
  const http = inProcessHttp({ '/imis/': sim.handle });
  const c = new ImisClient(connection, { http, clock, budget: budgetFrom(clock, 600_000), random: () => 0.5 });
  const signIns = () => sim.requests.filter((r) => r.path === '/token').length;
  return { c, clock, signIns };
}

describe('iMIS token expiry margin', () => {
  it('a 30-second token serves every request within its first 27 seconds, then one sign-in renews it', () => {
    const t = client(30);
    for (let s = 0; s < 26; s += 5) {
      expect(t.c.send([{ method: 'GET', path: 'api/Party?limit=1' }])[0]!.status).toBe(200);
      t.clock.advance(5_000);
    }
    expect(t.signIns()).toBe(1);
    t.clock.advance(2_000); // 32 s after the sign-in
    t.c.send([{ method: 'GET', path: 'api/Party?limit=1' }]);
    expect(t.signIns()).toBe(2);
  });

  it('a long token is renewed a minute before it ends, never later', () => {
    const t = client(3600);
    t.c.send([{ method: 'GET', path: 'api/Party?limit=1' }]);
    t.clock.advance(3540_000 - 1);
    t.c.send([{ method: 'GET', path: 'api/Party?limit=1' }]);
    expect(t.signIns()).toBe(1);
    t.clock.advance(1);
    t.c.send([{ method: 'GET', path: 'api/Party?limit=1' }]);
    expect(t.signIns()).toBe(2);
  });
});
