// Vitest globalSetup: without Chromium every sidebar browser test fails on its own, burying the
// cause under a screenful of failures, so the run stops first with one line saying what to
// install. Runs that leave out the sidebar tests need no browser and go ahead.

import { accessSync, constants } from 'node:fs';
import type { TestProject } from 'vitest/node';

/** Where Debian's chromium package puts the browser, as .ci/run installs it. */
export const CHROMIUM = '/usr/bin/chromium';
/** The browser tests: every test file in test/sidebar but the ones that only test wording. */
const BROWSER_TESTS = /(^|\/)test\/sidebar\/(?!(?:format|advice)\.test\.ts$)[^/]+\.test\.ts$/;

/** Null when an executable Chromium is at `path`, else the one line to show. */
export function chromiumProblem(path: string = CHROMIUM): string | null {
  try {
    accessSync(path, constants.X_OK);
    return null;
  } catch {
    return `The sidebar tests need Chromium at ${path}, which is missing. Install it with: apt-get install -y chromium`;
  }
}

/** Whether the run's test files include the sidebar's browser tests. */
export function needsChromium(testFiles: string[]): boolean {
  return testFiles.some((f) => BROWSER_TESTS.test(f.replace(/\\/g, '/')));
}

/** Vitest passes only the project; `path` is for the unit test. */
export default async function setup(project: TestProject, path: string = CHROMIUM): Promise<void> {
  const problem = chromiumProblem(path);
  if (!problem) return;
  // The command line's file filters are internal to Vitest; without them every file counts as
  // selected, so the check errs towards stopping.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  if (!needsChromium((await project.globTestFiles(filters)).testFiles)) return;
  // Exiting rather than throwing: Vitest reports a throw here as "No test files found" plus an
  // error banner, which hides the one line that matters.
  process.stderr.write(`\n${problem}\n\n`);
  process.exit(1);
}
