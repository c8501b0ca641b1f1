// The CLI's folder lock after a crash: a lock left by a process that is gone from this computer is
// taken over at once; a live one, or one from another machine sharing the folder, is refused with
// a line saying who holds it since when and how long its lease has left.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { duration, FileLock, LOCK_FILE, processAlive } from '../../src/cli/file-lock';
import { imisRun, jobRow } from '../helpers/imis-run';

const STARTED = Date.parse('2026-11-23T15:00:00Z');
const LEASE = 5 * 60_000;

function folder(holder?: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'file-lock-'));
  if (holder) writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder));
  return dir;
}

/** The id of a process that has just ended (spawnSync waits for it and reaps it). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.status).toBe(0);
  return child.pid!;
}

function lock(dir: string, at: number, refusals: string[] = []): FileLock {
  return new FileLock(dir, LEASE, () => at, (m) => refusals.push(m));
}

const recorded = (dir: string) => JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { started: number; pid: number; host: string };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('FileLock after a crash', () => {
  it('records the start time, the process id and the host name', () => {
    const dir = folder();
    expect(lock(dir, STARTED).tryAcquire()).toBe(true);
    expect(recorded(dir)).toEqual({ started: STARTED, pid: process.pid, host: hostname() });
  });

  it('takes over at once a lock whose process on this computer is gone', () => {
    const pid = deadPid();
    const dir = folder({ started: STARTED, pid, host: hostname() });
    const refusals: string[] = [];
    expect(lock(dir, STARTED + 10_000, refusals).tryAcquire()).toBe(true);
    expect(recorded(dir)).toMatchObject({ started: STARTED + 10_000, pid: process.pid });
    expect(refusals).toEqual([]);
  });

  it('refuses while the process on this computer is alive, saying who holds it and how long the lease has left', () => {
    const dir = folder({ started: STARTED, pid: process.pid, host: hostname() });
    const refusals: string[] = [];
    const second = lock(dir, STARTED + 30_000, refusals);
    expect(second.tryAcquire()).toBe(false);
    const line = `Process ${process.pid} on this computer has held the lock on this workbook folder since 2026-11-23T15:00:00Z. It runs out in 4 min 30 s unless that run ends first.`;
    expect(refusals).toEqual([line]);
    expect(second.describe()).toBe(line);
    expect(recorded(dir).started).toBe(STARTED);
    // a process that hangs still cannot hold the folder past the lease
    expect(lock(dir, STARTED + LEASE + 1).tryAcquire()).toBe(true);
  });

  it('does not judge a lock from another machine by a local process id: it waits out the lease', () => {
    const dir = folder({ started: STARTED, pid: deadPid(), host: 'office-laptop' });
    const refusals: string[] = [];
    expect(lock(dir, STARTED + 60_000, refusals).tryAcquire()).toBe(false);
    expect(refusals).toEqual([
      `Process ${recorded(dir).pid} on office-laptop has held the lock on this workbook folder since 2026-11-23T15:00:00Z. It runs out in 4 min unless that run ends first; if that run has stopped, you can delete ${LOCK_FILE} in the workbook folder instead of waiting.`,
    ]);
    expect(lock(dir, STARTED + LEASE + 1).tryAcquire()).toBe(true);
    expect(recorded(dir).host).toBe(hostname());
  });

  it('treats a lock written before the host was recorded like one from another machine', () => {
    const dir = folder({ started: STARTED, pid: deadPid() });
    const refusals: string[] = [];
    expect(lock(dir, STARTED + 1_000, refusals).tryAcquire()).toBe(false);
    expect(refusals[0]).toMatch(/^Process \d+ has held the lock on this workbook folder since 2026-11-23T15:00:00Z\. It runs out in 4 min 59 s unless that run ends first; if that run has stopped, you can delete \.sheets-sync\.lock/);
  });

  it('describe() is null when the folder is free or the lock is stale; release removes only a lock it holds', () => {
    const dir = folder();
    const first = lock(dir, STARTED);
    expect(first.describe()).toBeNull();
    expect(first.tryAcquire()).toBe(true);
    const other = lock(dir, STARTED + 1_000);
    expect(other.describe()).toMatch(/^Process \d+ on this computer has held the lock/);
    other.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    expect(lock(dir, STARTED + LEASE + 1).describe()).toBeNull();
    first.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('the engine skips the run while the refusal line says who holds the folder', () => {
    const dir = folder({ started: STARTED, pid: process.pid, host: hostname() });
    const refusals: string[] = [];
    const t = imisRun([jobRow({ name: 'Changes', connection: 'EveryAction', source: 'Changed people', target: 'People', match: 'VANID', mode: 'Merge' })]);
    const out = t.run({}, lock(dir, STARTED + 60_000, refusals));
    expect(out.results[0]).toMatchObject({ status: 'Skipped', message: 'Another sync is still running in this spreadsheet; this one did not start.' });
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain(`Process ${process.pid} on this computer`);
  });
});

describe('processAlive', () => {
  it('is false for a process that has ended and true for this one', () => {
    expect(processAlive(deadPid())).toBe(false);
    expect(processAlive(process.pid)).toBe(true);
  });

  it('counts a process it may not signal (EPERM) as alive', () => {
    vi.spyOn(process, 'kill').mockImplementation(() => {
      throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    });
    expect(processAlive(4242)).toBe(true);
  });
});

describe('duration', () => {
  it('rounds up and reads plainly', () => {
    expect([duration(0), duration(1), duration(45_000), duration(60_000), duration(270_000), duration(3_600_000), duration(3_600_001), duration(7_500_000)]).toEqual([
      '0 s', '1 s', '45 s', '1 min', '4 min 30 s', '1 h', '1 h 1 min', '2 h 5 min',
    ]);
  });
});
