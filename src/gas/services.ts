// The small Apps Script services the engine needs: clock, log, document lock and secrets kept
// in document properties (never in a cell).

import type { Clock, Lock, Log, Secrets } from '../core/ports';

export const gasClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => Utilities.sleep(Math.max(0, Math.round(ms))),
};

export const gasLog: Log = {
  progress: (message) => console.log(message),
  warn: (message) => console.warn(message),
};

export function documentLock(): Lock {
  const lock = LockService.getDocumentLock();
  return {
    tryAcquire: () => lock.tryLock(5000),
    release: () => {
      SpreadsheetApp.flush();
      lock.releaseLock();
    },
  };
}

const SECRET_PREFIX = 'secret:';

export const documentSecrets: Secrets = {
  get: (name) => PropertiesService.getDocumentProperties().getProperty(SECRET_PREFIX + name),
  howToSet: () => 'open Extensions → Sheets Sync → Open sidebar and enter it there',
};
