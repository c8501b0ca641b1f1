// The `Clock` port for Node. The engine is synchronous (Utilities.sleep in Apps Script), so
// waiting between retries blocks the thread with Atomics.wait instead of yielding to the event
// loop; the CLI has nothing else to do meanwhile.

import type { Clock } from '../core/ports';

/** Nobody ever notifies this cell, so Atomics.wait always runs to its time-out. */
const neverNotified = new Int32Array(new SharedArrayBuffer(4));

export const nodeClock: Clock = {
  now(): Date {
    return new Date();
  },
  sleep(ms: number): void {
    if (!(ms > 0)) return;
    Atomics.wait(neverNotified, 0, 0, ms);
  },
};
