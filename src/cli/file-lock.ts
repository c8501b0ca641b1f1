// One run at a time per workbook folder: a lock file holding the start time, the process id and
// the host name. A run that crashed cannot block the folder forever: on the same host a lock whose
// process is gone is stale at once; otherwise (another machine sharing the folder, whose process
// ids mean nothing here, or a lock from before the host was recorded) it lapses after the lease.

import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isoSeconds } from '../core/dates';
import type { Lock } from '../core/ports';

export const LOCK_FILE = '.sheets-sync.lock';

interface Holder {
  started: number;
  pid?: number;
  host?: string;
}

/** Whether a process with this id exists on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export class FileLock implements Lock {
  private held = false;
  private readonly path: string;
  private readonly host = hostname();

  /**
   * `onRefused` receives one plain line saying who holds the lock and until when, for the CLI to
   * show next to the engine's "Another sync is still running".
   */
  constructor(
    dir: string,
    private readonly leaseMs: number,
    private readonly now: () => number = Date.now,
    private readonly onRefused?: (message: string) => void,
  ) {
    this.path = join(dir, LOCK_FILE);
  }

  tryAcquire(): boolean {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.path, 'wx');
        writeSync(fd, JSON.stringify({ started: this.now(), pid: process.pid, host: this.host }));
        closeSync(fd);
        this.held = true;
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const holder = this.holder();
        if (holder && !this.stale(holder)) {
          this.onRefused?.(this.describeHolder(holder));
          return false;
        }
        rmSync(this.path, { force: true });
      }
    }
    return false;
  }

  /** Who holds the lock and how long until its lease runs out; null when nobody does. */
  describe(): string | null {
    const holder = this.holder();
    return holder && !this.stale(holder) ? this.describeHolder(holder) : null;
  }

  release(): void {
    if (this.held) rmSync(this.path, { force: true });
    this.held = false;
  }

  /** The recorded holder; null when the file is missing or unreadable (a crash mid-write). */
  private holder(): Holder | null {
    try {
      const h = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<Holder> | null;
      if (!h || typeof h.started !== 'number') return null;
      return {
        started: h.started,
        // 0 or a negative id would signal a whole process group, which proves nothing.
        ...(Number.isInteger(h.pid) && h.pid! > 0 ? { pid: h.pid } : {}),
        ...(typeof h.host === 'string' ? { host: h.host } : {}),
      };
    } catch {
      return null;
    }
  }

  private stale(h: Holder): boolean {
    if (this.now() - h.started > this.leaseMs) return true;
    return h.host === this.host && h.pid !== undefined && !processAlive(h.pid);
  }

  private describeHolder(h: Holder): string {
    const here = h.host === this.host;
    const who = h.pid === undefined ? 'Another run' : `Process ${h.pid}`;
    const where = h.host === undefined ? '' : here ? ' on this computer' : ` on ${h.host}`;
    const left = Math.max(0, h.started + this.leaseMs - this.now());
    // Only a lock from this computer is known to belong to a live process; another machine's may be
    // left over from a crash, and waiting out the lease is then needless.
    const instead = here ? '' : `; if that run has stopped, you can delete ${LOCK_FILE} in the workbook folder instead of waiting`;
    return `${who}${where} has held the lock on this workbook folder since ${isoSeconds(new Date(h.started))}. It runs out in ${duration(left)} unless that run ends first${instead}.`;
  }
}

/** "4 min 30 s", "45 s", "2 h 5 min": rounded up, so the wait is never understated. */
export function duration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const m = Math.ceil(s / 60);
  return m % 60 === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
