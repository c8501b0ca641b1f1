// Issue 10 (§10.3): the sidebar with 30 jobs, in headless Chromium at the Sheets sidebar's 300 px,
// and at 200 % zoom (CSS zoom 2 at 300 px: a 150 px layout): one compact line per job, jobs needing
// attention first, details on demand, Run all and the progress in reach, focus never lost, a real
// fraction for a single job, one primary button; axe-core WCAG 2.0/2.1 A and AA plus best
// practice, and no clipped, split or sideways-scrolling text, idle, mid-run and with results.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SidebarState } from '../../src/gas/sidebar-api';
import { buildSidebar } from '../../sidebar/build.mjs';
import { CHROMIUM, chromiumProblem } from '../setup/chromium';
import { installFakeGoogle, type FakeConfig, type FakeControl } from './fake-google';
import { THIRTY_NOW, thirtyJobs } from './thirty-jobs';

const root = join(__dirname, '../..');
const PAGE_URL = 'https://sidebar.test/Sidebar.html';
type FakeWindow = { __fake: FakeControl };
// The little of the DOM the page-side checks use (the tests compile without the DOM library).
interface Rect { top: number; bottom: number; width: number; height: number }
interface El {
  tagName: string;
  id: string;
  className: unknown;
  textContent: string | null;
  clientWidth: number;
  scrollWidth: number;
  scrollTop: number;
  parentElement: El | null;
  style: { zoom: string };
  getClientRects(): ArrayLike<Rect>;
  getBoundingClientRect(): Rect;
  closest(selector: string): El | null;
  matches(selector: string): boolean;
  querySelectorAll(selector: string): ArrayLike<El>;
}
interface TextNode { textContent: string | null; parentElement: El | null }
type Doc = {
  document: {
    documentElement: El;
    body: El & { innerText: string };
    activeElement: El | null;
    getElementById(id: string): El | null;
    querySelector(selector: string): El | null;
    createTreeWalker(root: El, show: number): { nextNode(): TextNode | null };
    createRange(): { setStart(n: TextNode, i: number): void; setEnd(n: TextNode, i: number): void; getClientRects(): ArrayLike<Rect> };
  };
  innerHeight: number;
  scrollTo(x: number, y: number): void;
  getComputedStyle(e: El): { fontFamily: string };
};

let browser: Browser | undefined;
let page: Page;
let html = '';

beforeAll(async () => {
  const problem = chromiumProblem(CHROMIUM);
  if (problem) throw new Error(problem);
  html = readFileSync(await buildSidebar(root, mkdtempSync(join(tmpdir(), 'sidebar-'))), 'utf8');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  page = await browser.newPage();
  await page.route('**/*', (route) => (route.request().url().split('?')[0] === PAGE_URL ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }) : route.abort()));
  await page.addInitScript({ content: `(${installFakeGoogle.toString()})(JSON.parse(new URLSearchParams(location.search).get('fake')));` });
});

afterAll(async () => {
  await browser?.close();
});

async function open(state: SidebarState = thirtyJobs(), zoom = 1): Promise<Page> {
  const config: FakeConfig = { state, delayMs: 10, runSteps: 3 };
  await page.setViewportSize({ width: 300, height: 800 });
  await page.clock.setFixedTime(new Date(THIRTY_NOW));
  await page.goto(`${PAGE_URL}?fake=${encodeURIComponent(JSON.stringify(config))}`);
  await page.locator('#loading').waitFor({ state: 'hidden' });
  if (zoom !== 1) await page.evaluate((z) => ((globalThis as unknown as Doc).document.documentElement.style.zoom = String(z)), zoom);
  return page;
}

const fake = {
  hold: (p: Page, name: string) => p.evaluate((n) => (globalThis as unknown as FakeWindow).__fake.hold(n), name),
  release: async (p: Page, name: string) => {
    await p.waitForFunction((n) => (globalThis as unknown as FakeWindow).__fake.waiting(n) > 0, name);
    await p.evaluate((n) => (globalThis as unknown as FakeWindow).__fake.release(n), name);
  },
};

/** axe-core: WCAG 2.0 and 2.1, A and AA, and best practice. */
async function axe(p: Page): Promise<string[]> {
  if (!(await p.evaluate(() => 'axe' in globalThis))) await p.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
  const found = await p.evaluate(async () => {
    type Violation = { id: string; help: string; nodes: { target: string[]; failureSummary?: string }[] };
    const a = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const r = await a.run((globalThis as unknown as Doc).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v) => `${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('\n')}`);
  });
  if (found.length) console.log(found.join('\n'));
  return found;
}

/**
 * What does not fit: the page scrolling sideways, any shown element whose content is wider than
 * its box, and any word broken across two lines. Empty when everything fits. A text field scrolls
 * what is typed into it by design, and a web address or an IQA path ($/Marketing/Lists/…) longer
 * than a 150 px line has to wrap somewhere, so neither counts.
 */
async function misfits(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const w = globalThis as unknown as Doc;
    const doc = w.document;
    const bad: string[] = [];
    const html = doc.documentElement;
    if (html.scrollWidth > html.clientWidth) bad.push(`the page scrolls sideways (${html.scrollWidth} > ${html.clientWidth})`);
    const shown = (e: El) => e.getClientRects().length > 0 && !e.closest('.visually-hidden, [role=progressbar]');
    const name = (e: El) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className ? `.${String(e.className).trim().replace(/\s+/g, '.')}` : ''} "${(e.textContent ?? '').trim().slice(0, 40)}"`;
    for (const e of Array.from(doc.body.querySelectorAll('*'))) {
      if (!shown(e) || e.clientWidth === 0 || e.matches('input, textarea, select')) continue;
      if (e.scrollWidth > e.clientWidth + 1) bad.push(`${name(e)} is clipped or overflows (${e.scrollWidth} > ${e.clientWidth})`);
    }
    const walker = doc.createTreeWalker(doc.body, 4 /* NodeFilter.SHOW_TEXT */);
    const range = doc.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || !shown(parent) || parent.closest('script, style, option')) continue;
      const text = node.textContent ?? '';
      // A word, or the part of one up to a hyphen (where a line may break).
      for (const m of text.matchAll(/[^\s-]+-?/g)) {
        if (m[0].includes('/')) continue;
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) bad.push(`"${m[0]}" is split across lines in ${name(parent)}`);
      }
    }
    return bad;
  });
}

/** Whether Run all lies wholly inside the window, with the list scrolled half way down. */
async function runAllInReach(p: Page): Promise<boolean> {
  // Chromium's CSS zoom (as standardised) gives boxes in the window's own pixels.
  return p.evaluate(() => {
    const w = globalThis as unknown as Doc;
    const list = w.document.getElementById('jobs')!;
    const box = list.getBoundingClientRect();
    w.scrollTo(0, Math.max(0, w.document.documentElement.scrollTop + box.top + box.height / 2 - w.innerHeight / 2));
    const r = w.document.getElementById('run-all')!.getBoundingClientRect();
    // The list really is taller than the window, and Run all is in view while it is.
    return box.height > w.innerHeight && r.top >= 0 && r.bottom <= w.innerHeight;
  });
}

const lines = (p: Page) => p.locator('#jobs > li .job-toggle').allTextContents();
const activeText = (p: Page) => p.evaluate(() => ((globalThis as unknown as Doc).document.activeElement?.textContent ?? '').replace(/\s+/g, ' ').trim());

describe('the sidebar with 30 jobs (issue 10)', () => {
  it('shows one compact line per job, those needing attention first, last run in words in the spreadsheet’s zone', async () => {
    await open();
    const all = await lines(page);
    expect(all).toHaveLength(30);
    expect(all.slice(0, 3).map((l) => l.split(',')[0])).toEqual(['Donors', 'Surveys', 'Dues Renewals']);
    expect(all[0]).toContain('Failed');
    expect(all[2]).toContain('Partial');
    // Those off come last.
    expect(all.slice(-3).map((l) => l.split(',')[0])).toEqual(['Mentors', 'Exhibitors', 'Job Board']);
    expect(await page.locator('#jobs-count').textContent()).toBe('30 jobs · 3 need attention (listed first) · 3 off.');
    // 19:10Z on the 23rd is 2:10 PM in New York; never the UTC text the add-on writes.
    expect(all.find((l) => l.startsWith('Active Members,'))).toBe('Active Members, OK, last run today at 2:10 PM');
    const body = await page.evaluate(() => (globalThis as unknown as Doc).document.body.innerText);
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(body).toMatch(/yesterday at \d+:\d\d [AP]M/);
    // Compact: each line is one or two text lines high, details closed.
    const heights = await page.locator('#jobs > li').evaluateAll((items) => items.map((li) => li.getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeLessThanOrEqual(56);
    expect(await page.locator('#jobs .job-details:visible').count()).toBe(0);
    expect(await page.locator('#jobs .job-toggle[aria-expanded="false"]').count()).toBe(30);
    // Details on demand: message, Run now and Preview.
    const donors = page.locator('#jobs > li').first();
    await donors.locator('.job-toggle').click();
    expect(await donors.locator('.job-toggle').getAttribute('aria-expanded')).toBe('true');
    const details = donors.locator('.job-details');
    expect(await details.isVisible()).toBe(true);
    expect(await details.textContent()).toContain('iMIS did not accept the password for sync.user (401)');
    expect(await details.getByRole('button', { name: 'Run now Donors', exact: true }).isVisible()).toBe(true);
    expect(await details.getByRole('button', { name: 'Preview Donors', exact: true }).isVisible()).toBe(true);
    // Google's look: Arial, one primary (blue) button.
    expect(await page.evaluate(() => (globalThis as unknown as Doc).getComputedStyle((globalThis as unknown as Doc).document.body).fontFamily)).toMatch(/^Arial\b/);
    expect(await page.locator('button.action:visible').count()).toBe(1);
    expect(await page.locator('button.action:visible').textContent()).toBe('Run all enabled jobs');
    const run = await page.getByRole('button', { name: 'Run now Donors', exact: true }).boundingBox();
    expect(run?.height).toBe(29);
    expect(run?.width).toBeGreaterThanOrEqual(72);
    expect(await runAllInReach(page)).toBe(true);
  });

  it('a single job shows a real fraction of its rows, and focus stays on the button that started it', async () => {
    await open();
    await fake.hold(page, 'continueRun');
    const donors = page.locator('#jobs > li').first();
    await donors.locator('.job-toggle').press('Enter');
    const run = page.getByRole('button', { name: 'Run now Donors', exact: true });
    await run.press('Enter');
    await fake.release(page, 'continueRun');
    await page.locator('[role=progressbar][aria-valuenow="33"]').waitFor();
    expect(await page.locator('#run-message').textContent()).toBe('Donors: read 1,000 of 3,000 rows');
    expect(await page.locator('#run-percent').textContent()).toBe('33%');
    expect(await donors.locator('.chip').textContent()).toBe(', Running, ');
    expect(await activeText(page)).toBe('Run now Donors');
    expect(await run.evaluate((b) => b.matches(':focus-visible'))).toBe(true);
    expect(await run.getAttribute('aria-disabled')).toBe('true');
    await fake.release(page, 'continueRun');
    await fake.release(page, 'continueRun');
    await page.locator('#run-message', { hasText: 'Finished' }).waitFor();
    // Donors ran OK, so its line moved down out of the attention group: focus went with it.
    await page.waitForFunction(() => (globalThis as unknown as Doc).document.querySelector('#jobs > li .job-name')?.textContent === 'Surveys');
    expect(await activeText(page)).toBe('Run now Donors');
    expect(await run.getAttribute('aria-disabled')).toBeNull();
  });

  for (const zoom of [1, 2]) {
    const at = zoom === 1 ? 'at 300 px' : 'at 200 % zoom (150 px of layout)';
    it(`passes axe (WCAG 2.0/2.1 A, AA, best practice) with nothing clipped or split, idle, mid-run and with results, ${at}`, async () => {
      await open(thirtyJobs(), zoom);
      // The layout really is 300 / zoom px wide.
      expect(await page.evaluate(() => (globalThis as unknown as Doc).document.body.clientWidth)).toBe(300 / zoom);
      await page.locator('#jobs > li').nth(2).locator('.job-toggle').click();
      expect(await axe(page)).toEqual([]);
      expect(await misfits(page)).toEqual([]);
      expect(await runAllInReach(page)).toBe(true);

      await fake.hold(page, 'continueRun');
      await page.getByRole('button', { name: 'Run all enabled jobs' }).click();
      await fake.release(page, 'continueRun');
      await page.locator('[role=progressbar][aria-valuenow="33"]').waitFor();
      expect(await activeText(page)).toBe('Run all enabled jobs');
      expect(await axe(page)).toEqual([]);
      expect(await misfits(page)).toEqual([]);
      expect(await runAllInReach(page)).toBe(true);

      await fake.release(page, 'continueRun');
      await fake.release(page, 'continueRun');
      await page.locator('#run-results').waitFor({ state: 'visible' });
      await page.locator('#jobs-count', { hasText: '30 jobs' }).waitFor();
      expect(await page.locator('#results-list > li').count()).toBe(27);
      expect(await activeText(page)).toBe('Run all enabled jobs');
      expect(await axe(page)).toEqual([]);
      expect(await misfits(page)).toEqual([]);
    });
  }

  for (const zoom of [1, 2]) {
    const at = zoom === 1 ? 'at 300 px' : 'at 200 % zoom (150 px of layout)';
    it(`first contact and the connection and job forms with problems pass axe with nothing clipped or split, ${at}`, async () => {
      await open({ ...thirtyJobs(), connections: [], jobs: [], tabsSetUp: false }, zoom);
      await page.getByRole('button', { name: 'Set up tabs' }).waitFor();
      expect(await axe(page)).toEqual([]);
      expect(await misfits(page)).toEqual([]);

      await open(thirtyJobs(), zoom);
      await page.getByRole('button', { name: 'Add connection' }).click();
      await page.getByLabel('URL', { exact: true }).fill('http://myorg.example.org/');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('[aria-invalid="true"]').first().waitFor();
      expect(await axe(page)).toEqual([]);
      expect(await misfits(page)).toEqual([]);

      await open(thirtyJobs(), zoom);
      await page.getByRole('button', { name: 'Add job' }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('[aria-invalid="true"]').first().waitFor();
      expect(await axe(page)).toEqual([]);
      expect(await misfits(page)).toEqual([]);
    });
  }
});
