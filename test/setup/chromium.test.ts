// The check behind the global setup that stops a test run on a machine without Chromium.

import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TestProject } from 'vitest/node';
import setup, { chromiumProblem, needsChromium } from './chromium';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('chromiumProblem', () => {
  it('names the missing path and what to install, in one line', () => {
    const problem = chromiumProblem('/nonexistent/chromium');
    expect(problem).toBe('The sidebar tests need Chromium at /nonexistent/chromium, which is missing. Install it with: apt-get install -y chromium');
    expect(problem).not.toContain('\n');
  });

  it('does not accept a file that cannot be run', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'chromium-')), 'chromium');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    // even root passes the execute check only when some x bit is set, so this holds for any user
    expect(chromiumProblem(path)).toMatch(/^The sidebar tests need Chromium at .*chromium, which is missing/);
  });

  it('is satisfied by an executable file', () => {
    expect(chromiumProblem(process.execPath)).toBeNull();
  });
});

describe('needsChromium', () => {
  it('only when the run includes the sidebar browser tests', () => {
    expect(needsChromium(['/work/main/test/core/engine.test.ts', '/work/main/test/sidebar/sidebar.test.ts'])).toBe(true);
    expect(needsChromium(['C:\\work\\main\\test\\sidebar\\sidebar.test.ts'])).toBe(true);
    expect(needsChromium(['/work/main/test/core/engine.test.ts', '/work/main/test/sidebar/format.test.ts'])).toBe(false);
    expect(needsChromium([])).toBe(false);
    expect(needsChromium(['/work/main/test/sidebar/scale.test.ts'])).toBe(true);
    expect(needsChromium(['/work/main/test/sidebar/forms.test.ts'])).toBe(true);
  });
});

describe('the global setup', () => {
  const project = (files: string[], filters?: string[]) =>
    ({
      vitest: { filenamePattern: filters },
      globTestFiles: async (f?: string[]) => {
        expect(f).toEqual(filters);
        return { testFiles: files, typecheckTestFiles: [] };
      },
    }) as unknown as TestProject;

  it('stops the run with the one line when the sidebar tests are in it and Chromium is missing', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    await expect(setup(project(['/w/test/sidebar/sidebar.test.ts']), '/nonexistent/chromium')).rejects.toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    expect(written.join('').trim()).toBe('The sidebar tests need Chromium at /nonexistent/chromium, which is missing. Install it with: apt-get install -y chromium');
  });

  it('lets a run without the sidebar tests go ahead, and never stops a machine that has Chromium', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    await expect(setup(project(['/w/test/core/engine.test.ts'], ['test/core']), '/nonexistent/chromium')).resolves.toBeUndefined();
    await expect(setup(project(['/w/test/sidebar/sidebar.test.ts']), process.execPath)).resolves.toBeUndefined();
    expect(exit).not.toHaveBeenCalled();
  });
});
