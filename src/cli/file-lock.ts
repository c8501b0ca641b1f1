// One run at a time per workbook folder: a lock file holding the start time, so a run that
// crashed cannot block the folder forever (the lease expires).

import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Lock } from '../core/ports';

export class FileLock implements Lock {
  private held = false;
  private readonly path: string;

  constructor(
    dir: string,
    private readonly leaseMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.path = join(dir, '.sheets-sync.lock');
  }

  tryAcquire(): boolean {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.path, 'wx');
        writeSync(fd, JSON.stringify({ started: this.now(), pid: process.pid }));
        closeSync(fd);
        this.held = true;
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        if (!this.stale()) return false;
        rmSync(this.path, { force: true });
      }
    }
    return false;
  }

  private stale(): boolean {
    try {
      const { started } = JSON.parse(readFileSync(this.path, 'utf8')) as { started: number };
      return typeof started !== 'number' || this.now() - started > this.leaseMs;
    } catch {
      return true;
    }
  }

  release(): void {
    if (this.held) rmSync(this.path, { force: true });
    this.held = false;
  }
}
