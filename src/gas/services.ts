// The small Apps Script services the engine needs: clock, log, document lock and secrets kept
// in document properties (never in a cell).

import type { Clock, KeyValueStore, Lock, Log, Secrets } from '../core/ports';

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

const STATE_PREFIX = 'state:';

/** The engine's small state between runs (watermarks, pending exports), in document properties. */
export const documentStore: KeyValueStore = {
  get: (key) => PropertiesService.getDocumentProperties().getProperty(STATE_PREFIX + key),
  set: (key, value) => {
    PropertiesService.getDocumentProperties().setProperty(STATE_PREFIX + key, value);
  },
  delete: (key) => {
    PropertiesService.getDocumentProperties().deleteProperty(STATE_PREFIX + key);
  },
};
