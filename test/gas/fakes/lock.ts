// A fake LockService whose document lock is shared by every execution over the same spreadsheet,
// so two overlapping executions contend. Executions here run one inside another (a test starts
// the second from a hook in the first), so a waiting tryLock cannot see the holder let go: it
// spends its wait on the fake clock and gives up, as a real one would if the holder kept the lock.
// The world releases an execution's locks when it ends, as Apps Script does.

import { counted } from './calls';
import type { FakeClock } from './clock';
import type { Execution } from './execution';

export class LockState {
  holder: number | null = null;
  /** How many times a tryLock/waitLock found the lock taken. */
  contended = 0;
}

export interface LockStates {
  document: LockState;
  script: LockState;
  user(email: string): LockState;
  /** Every lock, for releasing an execution's locks when it ends. */
  all(): LockState[];
}

export function newLockStates(): LockStates {
  const users = new Map<string, LockState>();
  const document = new LockState();
  const script = new LockState();
  return {
    document,
    script,
    user: (email) => {
      let s = users.get(email);
      if (!s) users.set(email, (s = new LockState()));
      return s;
    },
    all: () => [document, script, ...users.values()],
  };
}

export function fakeLockService(exec: Execution, locks: LockStates, clock: FakeClock) {
  const lock = (state: LockState) => {
    const take = (ms: number): boolean => {
      if (state.holder === null || state.holder === exec.id) {
        state.holder = exec.id;
        return true;
      }
      state.contended++;
      clock.advance(Math.max(0, ms));
      return false;
    };
    return counted(exec, 'Lock', {
      tryLock: (ms: number) => take(ms),
      waitLock: (ms: number) => {
        if (!take(ms)) throw exec.realm.exception('Lock timeout: another process was holding the lock for too long.');
      },
      releaseLock: () => {
        if (state.holder === exec.id) state.holder = null;
      },
      hasLock: () => state.holder === exec.id,
    });
  };
  return counted(exec, 'LockService', {
    getDocumentLock: () => lock(locks.document),
    getScriptLock: () => lock(locks.script),
    getUserLock: () => lock(locks.user(exec.user)),
  });
}
