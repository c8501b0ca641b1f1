// The sidebar page against the real server: the built dist/Sidebar.html in headless Chromium, its
// google.script.run answered by the built dist/Code.js running in the Apps Script vm harness
// (test/gas/fakes), over a fake spreadsheet and the simulators. What the page shows here is what
// a coordinator would see, server quirks included, which the in-page fake server cannot show.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAB } from '../../src/core/config/types';
import { buildSidebar } from '../../sidebar/build.mjs';
import { GasWorld } from '../gas/fakes';
import { CHROMIUM, chromiumProblem } from '../setup/chromium';

const root = join(__dirname, '../..');
const PAGE_URL = 'https://sidebar.test/Sidebar.html';

let browser: Browser;
let page: Page;
let html = '';
let world: GasWorld;

/**
 * google.script.run in the page, answered through a binding by the world: each call runs in its
 * own execution, its answer copied as google.script.run copies it; an execution that throws
 * reaches the failure handler, as in Apps Script.
 */
function installBridge(): void {
  type Handler = (v: unknown) => void;
  const call = (globalThis as unknown as { __server(name: string, args: unknown[]): Promise<{ ok: boolean; value?: unknown; error?: string }> }).__server;
  const runner = (ok?: Handler, fail?: Handler): unknown =>
    new Proxy(
      {},
      {
        get: (_t, name: string) => {
          if (name === 'withSuccessHandler') return (f: Handler) => runner(f, fail);
          if (name === 'withFailureHandler') return (f: Handler) => runner(ok, f);
          return (...args: unknown[]) => {
            void call(name, args).then((r) => (r.ok ? ok?.(r.value) : fail?.(new Error(r.error))));
          };
        },
      },
    );
  (globalThis as unknown as { google: unknown }).google = { script: { run: runner() } };
}

beforeAll(async () => {
  const problem = chromiumProblem(CHROMIUM);
  if (problem) throw new Error(problem);
  html = readFileSync(await buildSidebar(root, mkdtempSync(join(tmpdir(), 'sidebar-real-'))), 'utf8');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  page = await browser.newPage();
  await page.setViewportSize({ width: 300, height: 800 });
  await page.route('**/*', (route) => (route.request().url().split('?')[0] === PAGE_URL ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }) : route.abort()));
  await page.exposeFunction('__server', (name: string, args: unknown[]) => {
    try {
      return { ok: true, value: world.sidebar(name, ...args) };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  });
  await page.addInitScript({ content: `(${installBridge.toString()})();` });
});

afterAll(async () => {
  await browser?.close();
});

async function open(): Promise<void> {
  await page.goto(PAGE_URL);
  await page.locator('#loading').waitFor({ state: 'hidden' });
}

const connectionCard = (name: string) => page.locator('#connections > li').filter({ has: page.getByRole('heading', { name, exact: true }) });

describe('the sidebar against the real server', () => {
  it('sets up the tabs on a new spreadsheet, then lists the example connections', async () => {
    world = new GasWorld({ root });
    await open();
    await page.getByRole('button', { name: 'Set up tabs' }).click();
    await connectionCard('iMIS').waitFor();
    expect(world.doc.find(TAB.connections)).toBeDefined();
    expect(await connectionCard('EveryAction').isVisible()).toBe(true);
  });

  it('an EveryAction connection without its key is asked for the key, not called missing, while a job row needs fixing', async () => {
    world = new GasWorld({ root });
    world.sidebar('setUpTabsFromSidebar');
    // An enabled job with a misspelt Action: the tabs do not parse as a whole.
    world.sheet(TAB.jobs).put(2, 3, 'Pul');
    await open();
    const card = connectionCard('EveryAction');
    await card.getByRole('button', { name: 'Test connection EveryAction' }).click();
    await card.getByText('Set the API key for "EveryAction" first.').first().waitFor();
    expect(await card.textContent()).not.toMatch(/no (usable )?connection named/i);
    expect(await page.locator('body').textContent()).not.toMatch(/no (usable )?connection named/i);
  });
});
