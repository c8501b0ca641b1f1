// The README's pictures of the sidebar (npm run screenshots): the real built page
// (dist/Sidebar.html) in headless Chromium at the Sheets sidebar's 300 px, talking to the tests'
// fake google.script.run (test/sidebar/fake-google.ts) with 30 jobs (test/sidebar/thirty-jobs.ts).
// Writes docs/sidebar-first-contact.png, docs/sidebar-running.png and docs/sidebar-results.png.
//
//   CHROMIUM=/path/to/chromium npm run screenshots

import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { buildSidebar } from '../sidebar/build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PAGE_URL = 'https://sidebar.test/Sidebar.html';

// The fake and the 30 jobs are TypeScript: bundle them once for Node.
const tmp = mkdtempSync(join(tmpdir(), 'screenshots-'));
const entry = join(tmp, 'entry.ts');
writeFileSync(entry, `export { installFakeGoogle } from ${JSON.stringify(join(root, 'test/sidebar/fake-google.ts'))};\nexport { thirtyJobs, THIRTY_NOW } from ${JSON.stringify(join(root, 'test/sidebar/thirty-jobs.ts'))};\n`);
await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: join(tmp, 'fixtures.mjs'), logLevel: 'warning' });
const { installFakeGoogle, thirtyJobs, THIRTY_NOW } = await import(pathToFileURL(join(tmp, 'fixtures.mjs')).href);

const html = readFileSync(await buildSidebar(root, tmp), 'utf8');
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--font-render-hinting=none'] });
const context = await browser.newContext({ viewport: { width: 300, height: 640 }, deviceScaleFactor: 2 });
const page = await context.newPage();
await page.route('**/*', (route) => (route.request().url().split('?')[0] === PAGE_URL ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }) : route.abort()));
await page.addInitScript({ content: `(${installFakeGoogle.toString()})(JSON.parse(new URLSearchParams(location.search).get('fake')));` });
await page.clock.setFixedTime(new Date(THIRTY_NOW));

async function open(state) {
  await page.goto(`${PAGE_URL}?fake=${encodeURIComponent(JSON.stringify({ state, delayMs: 10, runSteps: 3 }))}`);
  await page.locator('#loading').waitFor({ state: 'hidden' });
  await page.mouse.move(0, 0);
}

const fake = {
  hold: (name) => page.evaluate((n) => globalThis.__fake.hold(n), name),
  release: async (name) => {
    await page.waitForFunction((n) => globalThis.__fake.waiting(n) > 0, name);
    await page.evaluate((n) => globalThis.__fake.release(n), name);
  },
};

mkdirSync(join(root, 'docs'), { recursive: true });
const written = [];
async function shot(name) {
  const path = join(root, 'docs', name);
  await page.screenshot({ path });
  written.push(`${path} (${Math.round(statSync(path).size / 1024)} KB)`);
}

// 1. First contact: a spreadsheet without the tabs offers Set up tabs alone.
await open({ connections: [], jobs: [], schedule: { on: false, owner: '', me: 'pat@example.org' }, problems: [], tabsSetUp: false, timeZone: 'America/New_York' });
await page.setViewportSize({ width: 300, height: 300 });
await shot('sidebar-first-contact.png');

// 2. Thirty jobs, those needing attention first, one opened, Run all under way.
await page.setViewportSize({ width: 300, height: 640 });
await open(thirtyJobs());
await page.locator('#jobs > li').first().locator('.job-toggle').click();
await page.locator('#jobs-title').evaluate((h) => h.scrollIntoView({ block: 'start' }));
await fake.hold('continueRun');
await page.getByRole('button', { name: 'Run all enabled jobs' }).click();
await fake.release('continueRun');
await page.locator('[role=progressbar][aria-valuenow="33"]').waitFor();
await page.mouse.move(0, 0);
await shot('sidebar-running.png');

// 3. The results, problems first: the last step answers as a run with one failure and one hold would.
const counts = { read: 3000, created: 2, updated: 5, unchanged: 2993, skipped: 0, failed: 0 };
const results = thirtyJobs()
  .jobs.filter((j) => j.enabled)
  .map((j) =>
    j.name === 'Donors'
      ? { job: j.name, status: 'Failed', message: 'iMIS did not accept the password for sync.user (401); nothing was read.', code: 'auth', read: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 }
      : j.name === 'Dues Renewals'
        ? { job: j.name, status: 'Partial', message: '1,000 of 2,140 rows sent; stopped at the time limit; 1,140 rows will be sent next run.', read: 1000, created: 1000, updated: 0, unchanged: 0, skipped: 0, failed: 0 }
        : { job: j.name, status: 'OK', message: '', ...counts },
  );
await fake.release('continueRun');
await page.evaluate((r) => globalThis.__fake.answerNext('continueRun', { done: true, token: '', fraction: 1, message: 'Done.', results: r }), results);
await fake.release('continueRun');
await page.locator('#run-results').waitFor({ state: 'visible' });
await page.locator('#run-message', { hasText: 'Finished' }).waitFor();
await page.locator('#run-results').evaluate((r) => r.scrollIntoView({ block: 'start' }));
await page.evaluate(() => window.scrollBy(0, -150));
await page.mouse.move(0, 0);
await shot('sidebar-results.png');

await browser.close();
console.log(`Wrote:\n  ${written.join('\n  ')}`);
