// The built sidebar (dist/Sidebar.html, made by sidebar/build.mjs) in headless Chromium, 300 px
// wide like the Google Sheets sidebar, talking to a fake google.script.run (fake-google.ts).
// The tests act as a coordinator would: by labels, roles and visible text, with mouse and
// keyboard, and finish with axe-core's WCAG 2.0 A/AA rules and a screenshot (/tmp/sidebar.png).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Refusal, SidebarState } from '../../src/gas/sidebar-api';
import { buildSidebar } from '../../sidebar/build.mjs';
import { CHROMIUM, chromiumProblem } from '../setup/chromium';
import { baseState } from './base-state';
import { installFakeGoogle, type FakeCall, type FakeConfig, type FakeControl } from './fake-google';

const root = join(__dirname, '../..');
/** Any address will do: the test serves the page itself and refuses every other request. */
const PAGE_URL = 'https://sidebar.test/Sidebar.html';


/** "Now" in every test: 3 PM on 2026-11-23 in New York, the spreadsheet's zone above. */
const NOW = new Date('2026-11-23T20:00:00Z');

let browser: Browser | undefined;
let page: Page;
let html = '';
/** Requests the page tried to make to anywhere but itself, and its uncaught errors. */
let outside: string[] = [];
let errors: string[] = [];

beforeAll(async () => {
  // The global setup (test/setup/chromium.ts) already stops a run without Chromium; this guards a
  // run started under another config, such as an editor's test runner.
  const problem = chromiumProblem(CHROMIUM);
  if (problem) throw new Error(problem);
  const out = await buildSidebar(root, mkdtempSync(join(tmpdir(), 'sidebar-')));
  html = readFileSync(out, 'utf8');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // One page for the whole suite (opening a page costs about a second here); every test
  // navigates it afresh, and the fake reads that test's state from the address.
  page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.split('?')[0] === PAGE_URL) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    outside.push(url);
    return route.abort();
  });
  await page.addInitScript({
    content: `(${installFakeGoogle.toString()})(JSON.parse(new URLSearchParams(location.search).get('fake')));`,
  });
});

afterAll(async () => {
  await browser?.close();
});

/** Loads the sidebar afresh with a fake server holding `state`. */
async function open(state: SidebarState = baseState(), height = 900): Promise<Page> {
  const config: FakeConfig = { state, delayMs: 15, runSteps: 3 };
  outside = [];
  errors = [];
  await page.setViewportSize({ width: 300, height });
  await page.mouse.move(0, 0);
  await page.clock.setFixedTime(NOW);
  await page.goto(`${PAGE_URL}?fake=${encodeURIComponent(JSON.stringify(config))}`);
  // Loaded: either the connections and jobs, or (without the tabs) Set up tabs.
  await page.locator('#loading').waitFor({ state: 'hidden' });
  return page;
}

type FakeWindow = { __fake: FakeControl };

async function calls(page: Page, name?: string): Promise<FakeCall[]> {
  const all = await page.evaluate(() => (globalThis as unknown as FakeWindow).__fake.calls);
  return name ? all.filter((c) => c.name === name) : all;
}

const fake = {
  failNext: (page: Page, name: string, message: string) =>
    page.evaluate(([n, m]) => (globalThis as unknown as FakeWindow).__fake.failNext(n, m), [name, message] as const),
  refuseNext: (page: Page, name: string, refusal: Refusal) =>
    page.evaluate(([n, r]) => (globalThis as unknown as FakeWindow).__fake.refuseNext(n, r), [name, refusal] as const),
  answerNext: (page: Page, name: string, value: unknown) =>
    page.evaluate(([n, v]) => (globalThis as unknown as FakeWindow).__fake.answerNext(n, v), [name, value] as const),
  hold: (page: Page, name: string) => page.evaluate((n) => (globalThis as unknown as FakeWindow).__fake.hold(n), name),
  /** Releases the next held answer of `name`, waiting for the call to arrive first. */
  release: async (page: Page, name: string) => {
    await page.waitForFunction((n) => (globalThis as unknown as FakeWindow).__fake.waiting(n) > 0, name);
    await page.evaluate((n) => (globalThis as unknown as FakeWindow).__fake.release(n), name);
  },
};

/** The text of the element, whitespace collapsed. */
async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

async function waitForText(page: Page, selector: string, expected: string): Promise<void> {
  await page.waitForFunction(
    ([sel, want]) => ((globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector(sel)?.textContent ?? '').replace(/\s+/g, ' ').includes(want),
    [selector, expected] as const,
  );
}

const connectionCard = (page: Page, name: string) => page.locator('#connections > li').filter({ has: page.getByRole('heading', { name, exact: true }) });
const jobCard = (page: Page, name: string) => page.locator('#jobs > li').filter({ has: page.locator('.job-name').getByText(name, { exact: true }) });

/** A job line's disclosure button. */
const jobToggle = (page: Page, name: string) => jobCard(page, name).locator('button.job-toggle');

/** Opens a job's details (if closed) and answers its Run now / Preview button. */
async function jobButton(page: Page, label: 'Run now' | 'Preview', job: string) {
  const toggle = jobToggle(page, job);
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.press('Enter');
  return page.getByRole('button', { name: `${label} ${job}`, exact: true });
}

/** axe-core's WCAG 2.0 A and AA violations on the page as it is now, one string each. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
  const found = await page.evaluate(async () => {
    type Violation = { id: string; help: string; nodes: { target: string[]; failureSummary?: string }[] };
    const a = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const doc = (globalThis as unknown as { document: unknown }).document;
    const r = await a.run(doc, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('\n')}`);
  });
  if (found.length) console.log(found.join('\n'));
  return found;
}

/** What the page shows, as a coordinator would read it. */
const visibleText = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText);

/** How often `needle` appears in `haystack`. */
const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;

/** Every enabled button but the job lines' disclosures (which always work), by accessible name. */
async function enabledButtons(page: Page): Promise<string[]> {
  const names: string[] = [];
  for (const b of await page.locator('button:not(.job-toggle)').all()) {
    if (!(await b.isVisible())) continue;
    if (await b.isEnabled()) names.push(((await b.textContent()) ?? '').trim());
  }
  return names;
}

describe('sidebar page', () => {
  it('is one self-contained file that loads nothing from the network', async () => {
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|@import|url\(\s*['"]?https?:/i);
    await open();
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.title()).toBe('Sheets Sync');
  });

  it('shows the connections and jobs from the tabs', async () => {
    await open();
    const imis = connectionCard(page, 'iMIS');
    const ea = connectionCard(page, 'EveryAction');
    expect(await imis.textContent()).toContain('Not tested yet');
    expect(await imis.locator('.pill').textContent()).toBe('Not set');
    expect(await imis.getByLabel('iMIS password').getAttribute('type')).toBe('password');
    expect(await imis.getByLabel('iMIS password').inputValue()).toBe('');
    expect(await ea.textContent()).toContain('OK 2026-11-22 09:12');
    expect(await ea.getByLabel('EveryAction API key').getAttribute('type')).toBe('password');
    expect(await ea.locator('.pill').textContent()).toBe('Set');

    const members = jobCard(page, 'Members');
    expect(await members.textContent()).toContain('Pull from iMIS into tab Members · Hourly');
    expect(await members.textContent()).toContain('Last run today at 1:00 PM: OK');
    // One line per job: name, chip, last run in words, in the spreadsheet's zone; details closed.
    expect(await text(page, '#jobs > li:first-child .job-toggle')).toBe('Members, Needs password, last run today at 1:00 PM');
    expect(await jobToggle(page, 'Members').getAttribute('aria-expanded')).toBe('false');
    expect(await members.locator('.job-details').isHidden()).toBe(true);
    expect(await jobCard(page, 'Event Sign-ups').textContent()).toContain('Not run yet');
    expect(await jobCard(page, 'Volunteers').textContent()).toContain('Off. To run it, tick Enabled in the Jobs tab');
    expect(await (await jobButton(page, 'Run now', 'Members')).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Run all enabled jobs' }).isEnabled()).toBe(true);
    expect(await page.locator('#problems').isHidden()).toBe(true);
    expect(await page.getByRole('switch', { name: 'Hourly sync' }).isChecked()).toBe(false);
  });

  it('asks for the Mappings dropdowns’ live lists behind the page after each load and Refresh', async () => {
    await open();
    await expect.poll(async () => (await calls(page, 'refreshFieldPickers')).length).toBe(1);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(async () => (await calls(page, 'refreshFieldPickers')).length).toBe(2);
  });

  it('saves a password write-only: sends it, clears the field and shows Set', async () => {
    await open();
    const card = connectionCard(page, 'iMIS');
    const field = card.getByLabel('iMIS password');

    await card.getByRole('button', { name: /^Save/ }).click();
    expect(await text(page, '#connections > li:first-child .result')).toContain('Type the iMIS password first');
    expect(await calls(page, 'setSecret')).toEqual([]);

    await field.fill('s3cret!pw');
    await card.getByRole('button', { name: /^Save/ }).click();
    await waitForText(page, '#connections > li:first-child .pill', 'Set');
    expect((await calls(page, 'setSecret')).map((c) => c.args)).toEqual([['iMIS', 's3cret!pw']]);
    expect(await field.inputValue()).toBe('');
    expect(await card.locator('.pill').textContent()).toBe('Set');
    expect(await text(page, '#connections > li:first-child .result')).toContain('OK: Saved.');
    expect(await page.content()).not.toContain('s3cret!pw');

    // Enter in the field saves too.
    await connectionCard(page, 'EveryAction').getByLabel('EveryAction API key').fill('key-123');
    await connectionCard(page, 'EveryAction').getByLabel('EveryAction API key').press('Enter');
    await page.waitForFunction(() => (globalThis as unknown as FakeWindow).__fake.calls.filter((c) => c.name === 'setSecret').length === 2);
    expect((await calls(page, 'setSecret'))[1]?.args).toEqual(['EveryAction', 'key-123']);
  });

  it('tests a connection and shows the result and the new Status', async () => {
    await open();
    const card = connectionCard(page, 'iMIS');
    await card.getByRole('button', { name: 'Test connection iMIS' }).click();
    await waitForText(page, '#connections > li:first-child .result', 'Signed in to iMIS.');
    expect(await text(page, '#connections > li:first-child .result')).toBe('OK: Signed in to iMIS.');
    await waitForText(page, '#connections > li:first-child', 'OK 2026-11-23 14:05');
    expect((await calls(page, 'testConnection')).map((c) => c.args)).toEqual([['iMIS']]);
  });

  it('runs a job: progress across each continueRun step, then the results', async () => {
    await open();
    await fake.hold(page, 'startRun');
    await fake.hold(page, 'continueRun');
    const bar = page.getByRole('progressbar');
    await (await jobButton(page, 'Run now', 'Members')).click();

    // Starting: indeterminate (no aria-valuenow), every button disabled.
    await bar.waitFor({ state: 'visible' });
    expect(await bar.getAttribute('aria-valuenow')).toBeNull();
    expect(await bar.getAttribute('aria-valuemin')).toBe('0');
    expect(await bar.getAttribute('aria-valuemax')).toBe('100');
    expect(await enabledButtons(page)).toEqual([]);
    expect(await page.getByRole('switch', { name: 'Hourly sync' }).isDisabled()).toBe(true);
    expect(await page.locator('#run-message').getAttribute('aria-live')).toBe('polite');

    await fake.release(page, 'startRun');
    await waitForText(page, '#run-message', 'Starting Members…');
    expect(await bar.getAttribute('aria-valuenow')).toBeNull();
    expect(await bar.getAttribute('class')).toContain('indeterminate');

    await fake.release(page, 'continueRun');
    await page.locator('[role=progressbar][aria-valuenow="33"]').waitFor();
    expect(await text(page, '#run-message')).toBe('Members: read 1,000 of 3,000 rows');
    expect(await enabledButtons(page)).toEqual([]);

    await fake.release(page, 'continueRun');
    await page.locator('[role=progressbar][aria-valuenow="67"]').waitFor();
    expect(await text(page, '#run-message')).toBe('Members: read 2,000 of 3,000 rows');

    await fake.release(page, 'continueRun');
    await waitForText(page, '#run-message', 'Finished.');
    expect(await text(page, '#run-message')).toBe('Finished. Members: OK.');
    await bar.waitFor({ state: 'hidden' });
    const results = await text(page, '#run-results');
    expect(results).toContain('Results: Members');
    expect(results).toContain('Members OK');
    expect(results).toContain('3,000 read, 2 created, 5 updated, 2,993 unchanged');

    const runCalls = await calls(page);
    const start = runCalls.filter((c) => c.name === 'startRun');
    const next = runCalls.filter((c) => c.name === 'continueRun');
    expect(start.map((c) => c.args)).toEqual([['Members', false]]);
    expect(next.map((c) => c.args)).toEqual([['run-1'], ['run-1'], ['run-1']]);
    // Afterwards the buttons work again and the job shows the Last Run the server wrote.
    await waitForText(page, '#jobs > li:first-child', 'Last run today at 2:10 PM: OK');
    expect(await (await jobButton(page, 'Run now', 'Members')).isEnabled()).toBe(true);
  });

  it('previews a job and runs all enabled jobs', async () => {
    await open();
    await (await jobButton(page, 'Preview', 'Event Sign-ups')).click();
    await waitForText(page, '#run-message', 'Finished.');
    const preview = await text(page, '#run-results');
    expect(preview).toContain('Preview: Event Sign-ups (nothing was sent)');
    expect(preview).toContain('Event Sign-ups Preview');
    expect(preview).toContain('2 would be created, 5 would be updated');

    await page.getByRole('button', { name: 'Run all enabled jobs' }).click();
    await waitForText(page, '#run-message', 'Finished. Members: OK; Event Sign-ups: OK.');
    expect((await calls(page, 'startRun')).map((c) => c.args)).toEqual([
      ['Event Sign-ups', true],
      ['', false],
    ]);
    expect(await text(page, '#results-title')).toBe('Results: all enabled jobs');
  });

  it('shows a refused server call in the server’s own sentence, and Google’s failures in one plain one, never their text', async () => {
    await open();
    await fake.refuseNext(page, 'testConnection', { refused: true, code: 'network', message: 'iMIS at https://myorg.imiscloud.com/ could not be reached; check the URL in the Connections tab' });
    await connectionCard(page, 'iMIS').getByRole('button', { name: 'Test connection iMIS' }).click();
    await page.locator('#notice .error-box').waitFor();
    expect(await text(page, '#notice')).toBe('Problem: Could not test iMIS: iMIS at https://myorg.imiscloud.com/ could not be reached; check the URL in the Connections tab.');
    expect(await page.locator('#notice').getAttribute('role')).toBe('alert');

    await fake.failNext(
      page,
      'testConnection',
      'Exception: Request failed for https://myorg.imiscloud.com/token returned code 500\n    at fetchToken (Code:1234:15)\n    at testConnection (Code:77:3)',
    );
    await connectionCard(page, 'iMIS').getByRole('button', { name: 'Test connection iMIS' }).click();
    await waitForText(page, '#notice', 'Google could not run that just now');
    expect(await text(page, '#notice')).not.toMatch(/Code:|\bat\b|Exception|Request failed/);

    // A run that fails part-way says so and gives the buttons back.
    await fake.failNext(page, 'continueRun', 'Exception: Exceeded maximum execution time');
    await (await jobButton(page, 'Run now', 'Members')).click();
    await waitForText(page, '#notice', 'Running Members stopped');
    expect(await text(page, '#notice')).toContain('Google could not run that just now');
    expect(await text(page, '#run-message')).toBe('The run stopped.');
    await (await jobButton(page, 'Run now', 'Members')).waitFor();
    expect(await (await jobButton(page, 'Run now', 'Members')).isEnabled()).toBe(true);
    expect(await page.getByRole('progressbar').isHidden()).toBe(true);
  });

  it('says so when the page cannot load at all', async () => {
    await open();
    await fake.failNext(page, 'sidebarState', 'ScriptError: Authorization is required to perform that action.');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('#notice .error-box').waitFor();
    expect(await text(page, '#notice')).toContain('may need your permission again');
  });

  it('switches the hourly sync on and shows who it runs as', async () => {
    await open();
    const toggle = page.getByRole('switch', { name: 'Hourly sync' });
    expect(await text(page, '#hourly-state')).toContain('Off.');
    await toggle.click();
    await waitForText(page, '#hourly-state', 'Runs as pat@example.org');
    expect((await calls(page, 'setHourly')).map((c) => c.args)).toEqual([[true]]);
    expect(await toggle.isChecked()).toBe(true);
    expect(await text(page, '#hourly-onoff')).toBe('On');
    expect(await text(page, '#hourly-state')).toContain('On. Runs as pat@example.org (you).');
  });

  it('explains that only the owner can turn off an hourly sync someone else set up', async () => {
    const state = baseState();
    state.schedule = { on: true, owner: 'sam@example.org', me: 'pat@example.org' };
    await open(state);
    const toggle = page.getByRole('switch', { name: 'Hourly sync' });
    expect(await toggle.isChecked()).toBe(true);
    const before = await text(page, '#hourly-state');
    expect(before).toContain('Runs as sam@example.org');
    expect(before).toContain('Only sam@example.org can turn it off.');

    await toggle.press('Space');
    await waitForText(page, '#hourly-state', 'Still on');
    expect((await calls(page, 'setHourly')).map((c) => c.args)).toEqual([[false]]);
    expect(await text(page, '#hourly-state')).toContain('Still on: only sam@example.org can turn it off.');
    expect(await toggle.isChecked()).toBe(true);
  });

  it('lists a job target\'s field names for the Mappings tab', async () => {
    await open();
    const select = page.getByLabel('Job', { exact: true });
    expect(await select.inputValue()).toBe('Event Sign-ups');
    await page.getByRole('button', { name: 'Show field names' }).click();
    await page.getByRole('list', { name: 'Field names for Event Sign-ups' }).waitFor();
    expect(await page.getByRole('list', { name: 'Field names for Event Sign-ups' }).getByRole('listitem').allTextContents()).toEqual([
      'ID',
      'FirstName',
      'LastName',
      'Email',
      'Phone',
      'Organization',
    ]);
    expect(await text(page, '#fields-out')).toContain('6 field names for Event Sign-ups (Contact)');

    await select.selectOption('Volunteers');
    await page.getByRole('button', { name: 'Show field names' }).click();
    await waitForText(page, '#fields-out', 'cannot list the field names for Volunteers');
    expect((await calls(page, 'fieldNames')).map((c) => c.args)).toEqual([['Event Sign-ups'], ['Volunteers']]);
  });

  it('shows setup problems prominently', async () => {
    const state = baseState();
    state.problems = ['Jobs row 4, Connection: "iMIS Live" is not in the Connections tab.', 'Mappings row 7, Field: "Emial" is not a field of Contact.'];
    await open(state);
    const alert = page.locator('#problems');
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await alert.isVisible()).toBe(true);
    const said = await text(page, '#problems');
    expect(said).toContain('Nothing is sent to iMIS or EveryAction until these are fixed');
    expect(said).toContain('"iMIS Live" is not in the Connections tab.');
    expect(said).toContain('"Emial" is not a field of Contact.');
    // First thing on the page.
    const box = await alert.boundingBox();
    expect(box?.y).toBeLessThan(40);
  });

  it('can be used with the keyboard alone, in reading order, with visible focus', async () => {
    await open();
    const focused = () =>
      page.evaluate(() => {
        const d = (globalThis as unknown as { document: { activeElement: { id: string; textContent: string | null; labels?: { textContent: string | null }[] | null } | null } }).document;
        const a = d.activeElement;
        if (!a) return '';
        const label = a.labels && a.labels[0] ? a.labels[0].textContent : a.textContent;
        return (label ?? a.id).replace(/\s+/g, ' ').trim();
      });
    const order: string[] = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      order.push((await focused()).split(',')[0]!);
    }
    // These, in this order (the connection and job forms' own controls may come between).
    const wanted = [
      'iMIS password for iMIS',
      'Save iMIS password for iMIS',
      'Test connection iMIS',
      'EveryAction API key for EveryAction',
      'Save EveryAction API key for EveryAction',
      'Test connection EveryAction',
      'Members',
      'Event Sign-ups',
      'Volunteers',
      'Run all enabled jobs',
      'Hourly sync',
      'Job',
      'Show field names',
      'Refresh',
    ];
    const at = wanted.map((w) => order.indexOf(w));
    expect(at.every((i) => i >= 0), `${wanted.filter((_, k) => at[k]! < 0).join(', ')} not reached in ${order.join(' | ')}`).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    // The job lines come one after another: details are shown on demand, not tabbed through.
    expect(at[7]! - at[6]!).toBe(1);
    expect(at[8]! - at[7]!).toBe(1);

    // Focus is visible on a button reached by Tab.
    await (await jobButton(page, 'Run now', 'Members')).focus();
    const outline = await page.evaluate(() => {
      const w = globalThis as unknown as { document: { activeElement: unknown }; getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string } };
      const s = w.getComputedStyle(w.document.activeElement);
      return `${s.outlineStyle} ${s.outlineWidth}`;
    });
    expect(outline).toBe('solid 2px');

    // Enter runs the job; focus stays on the button throughout, visibly.
    await fake.hold(page, 'continueRun');
    await page.keyboard.press('Enter');
    await fake.release(page, 'continueRun');
    await page.locator('[role=progressbar][aria-valuenow="33"]').waitFor();
    expect(await focused()).toBe('Run now Members');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { matches(s: string): boolean } } }).document.activeElement.matches(':focus-visible'))).toBe(true);
    expect(await page.getByRole('button', { name: 'Run now Members', exact: true }).getAttribute('aria-disabled')).toBe('true');
    await fake.release(page, 'continueRun');
    await fake.release(page, 'continueRun');
    await waitForText(page, '#run-message', 'Finished. Members: OK.');
    expect((await calls(page, 'startRun')).map((c) => c.args)).toEqual([['Members', false]]);
    expect(await focused()).toBe('Run now Members');

    // Space previews.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Preview Members');
    await page.keyboard.press('Space');
    for (let i = 0; i < 3; i++) await fake.release(page, 'continueRun'); // still held from above
    await waitForText(page, '#run-message', 'Finished. Members: Preview.');
    expect((await calls(page, 'startRun')).map((c) => c.args)).toEqual([
      ['Members', false],
      ['Members', true],
    ]);
  });

  it('passes axe-core WCAG 2.0 A and AA checks, idle and mid-run, and looks tidy at 300 px', async () => {
    const state = baseState();
    state.problems = ['Jobs row 4, Connection: "iMIS Live" is not in the Connections tab.'];
    state.schedule = { on: true, owner: 'sam@example.org', me: 'pat@example.org' };
    state.connections[0]!.status = 'Sign-in failed: the user name or password is wrong.';
    await open(state, 1200);
    await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
    const axe = async () =>
      page.evaluate(async () => {
        type Violation = { id: string; help: string; nodes: { target: string[]; failureSummary?: string }[] };
        const a = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Violation[] }> } }).axe;
        const doc = (globalThis as unknown as { document: unknown }).document;
        const r = await a.run(doc, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
        return r.violations.map((v) => `${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('\n')}`);
      });

    // Fill everything in: a saved secret, a test result, an error, field names, run results.
    await connectionCard(page, 'iMIS').getByLabel('iMIS password').fill('pw');
    await connectionCard(page, 'iMIS').getByRole('button', { name: /^Save/ }).click();
    await waitForText(page, '#connections > li:first-child .result', 'Saved');
    await page.getByRole('button', { name: 'Show field names' }).click();
    await page.getByRole('list', { name: /Field names for/ }).waitFor();
    await (await jobButton(page, 'Preview', 'Event Sign-ups')).click();
    await waitForText(page, '#run-message', 'Finished.');
    await fake.failNext(page, 'testConnection', 'Exception: Address unavailable: https://myorg.imiscloud.com/token');
    await connectionCard(page, 'EveryAction').getByRole('button', { name: 'Test connection EveryAction' }).click();
    await page.locator('#notice .error-box').waitFor();

    const idle = await axe();
    if (idle.length) console.log(idle.join('\n'));
    expect(idle).toEqual([]);
    await page.screenshot({ path: '/tmp/sidebar.png', fullPage: true });

    // Mid-run: progress bar, disabled buttons.
    await fake.hold(page, 'continueRun');
    await (await jobButton(page, 'Run now', 'Members')).click();
    await fake.release(page, 'continueRun');
    await page.locator('[role=progressbar][aria-valuenow="33"]').waitFor();
    const running = await axe();
    if (running.length) console.log(running.join('\n'));
    expect(running).toEqual([]);
    await page.screenshot({ path: '/tmp/sidebar-running.png', fullPage: true });
  });
});

describe('first contact (issue 10)', () => {
  function noTabs(): SidebarState {
    return {
      connections: [],
      jobs: [],
      schedule: { on: false, owner: '', me: 'pat@example.org' },
      problems: ['Connections: the tab "Connections" is missing', 'Jobs: the tab "Jobs" is missing'],
      tabsSetUp: false,
    };
  }

  it('without the tabs offers Set up tabs alone, then says what to do next', async () => {
    await open(noTabs());
    expect(await page.locator('#setup').isVisible()).toBe(true);
    expect(await page.locator('#content').isHidden()).toBe(true);
    // A missing tab is not a problem to fix by hand: the one action fixes it.
    expect(await page.locator('#problems').isHidden()).toBe(true);
    const offered = [];
    for (const b of await page.getByRole('button').all()) if (await b.isVisible()) offered.push(((await b.textContent()) ?? '').trim());
    expect(offered).toEqual(['Set up tabs', 'Refresh']);
    expect(await page.locator('button.action:visible').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Set up tabs' }).click();
    await page.locator('#next').waitFor({ state: 'visible' });
    await page.locator('#content').waitFor({ state: 'visible' });
    expect(await calls(page, 'setUpTabsFromSidebar')).toEqual([{ name: 'setUpTabsFromSidebar', args: [] }]);
    const next = await text(page, '#next');
    expect(next).toContain('Set up: created Connections; created Jobs; created Mappings; created Constants.');
    expect(next).toContain('Add a connection.');
    expect(next).toContain('Test it.');
    expect(next).toContain('Add a job.');
    expect(await page.locator('#setup').isHidden()).toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('next');
    expect(await connectionCard(page, 'iMIS').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('a sidebar that never contradicts itself (issue 10)', () => {
  it('a "no password is set" problem goes once the password is saved', async () => {
    const state = baseState();
    state.problems = ['Connections row 2, Name: no password is set for "iMIS" (open Extensions → Sheets Sync → Open sidebar and enter it there)'];
    await open(state);
    expect(await page.locator('#problems').isVisible()).toBe(true);
    await connectionCard(page, 'iMIS').getByLabel('iMIS password').fill('s3cret');
    await connectionCard(page, 'iMIS').getByRole('button', { name: /^Save/ }).click();
    await waitForText(page, '#connections > li:first-child .result', 'Saved');
    await page.locator('#problems').waitFor({ state: 'hidden' });
    expect(await text(page, '#problems-list')).toBe('');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('a run that could not start says why, not "No job ran"', async () => {
    await open();
    const busy = 'Another sync (started 2026-11-23T14:00:00Z) is still running; try again in a few minutes.';
    await fake.answerNext(page, 'startRun', { done: true, token: '', fraction: null, message: busy, results: [] });
    await (await jobButton(page, 'Run now', 'Members')).click();
    await waitForText(page, '#run-message', 'still running');
    await page.getByRole('progressbar').waitFor({ state: 'hidden' });
    expect(await text(page, '#run-message')).toBe(busy);
    expect(await visibleText(page)).not.toContain('No job ran');
    expect(await page.locator('#run-results').isHidden()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('a job that is off offers no Run now or Preview, and says how to turn it on', async () => {
    await open();
    const off = jobCard(page, 'Volunteers');
    expect(await off.textContent()).toContain('Off. To run it, tick Enabled in the Jobs tab, then press Refresh.');
    await jobToggle(page, 'Volunteers').click();
    expect(await jobToggle(page, 'Volunteers').getAttribute('aria-expanded')).toBe('true');
    expect(await off.getByRole('button').count()).toBe(1); // its line's disclosure only
    expect(await page.getByRole('button', { name: 'Run now Volunteers' }).count()).toBe(0);
    expect(await (await jobButton(page, 'Run now', 'Members')).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('a long error appears once: a failed test beside Status, a failed run beside Last Result', async () => {
    const long = `iMIS at https://myorg.imiscloud.com/ refused the sign-in for user "sync.user": ${'the account is locked until an administrator unlocks it, '.repeat(4)}and nothing was tested.`;
    await open();
    // The server writes a failed test's message into the Status cell as well as answering it.
    await page.evaluate((m) => {
      const f = (globalThis as unknown as FakeWindow).__fake;
      f.state.connections[0]!.status = m;
      f.answerNext('testConnection', { ok: false, code: 'auth', message: m });
    }, long);
    await connectionCard(page, 'iMIS').getByRole('button', { name: 'Test connection iMIS' }).click();
    await waitForText(page, '#connections > li:first-child', 'Last test failed');
    expect(occurrences(await text(page, '#connections > li:first-child'), long)).toBe(1);
    expect(await text(page, '#connections > li:first-child .result')).toContain(long);

    // The engine writes "<status>: <message>" into Last Result; the results list gives the message.
    await page.evaluate((m) => {
      const f = (globalThis as unknown as FakeWindow).__fake;
      f.state.jobs[0]!.lastRun = '2026-11-23 14:10';
      f.state.jobs[0]!.lastResult = `Failed: ${m}`;
      f.answerNext('startRun', {
        done: true,
        token: '',
        fraction: 1,
        message: 'Members: Failed',
        results: [{ job: 'Members', status: 'Failed', read: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, message: m, code: 'auth' }],
      });
    }, long);
    await (await jobButton(page, 'Run now', 'Members')).click();
    await waitForText(page, '#jobs > li:first-child', 'Last run today at 2:10 PM: Failed (see Results below)');
    const all = await visibleText(page);
    expect(occurrences(all.replace(/\s+/g, ' '), long)).toBe(2); // once for the connection, once for the run
    expect(occurrences(await text(page, '#run-results'), long)).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('never shows a program’s own error text, whichever way it arrives', async () => {
    const raw = "TypeError: Cannot read properties of null (reading 'getRange')";
    const state = baseState();
    state.connections[0]!.status = raw;
    state.jobs[0]!.lastResult = `Failed: The sync stopped unexpectedly: ${raw}`;
    await open(state);
    const clean = async () => expect(await visibleText(page)).not.toMatch(/getRange|Cannot read|TypeError/);
    await clean();

    await fake.answerNext(page, 'testConnection', { ok: false, message: raw });
    await connectionCard(page, 'EveryAction').getByRole('button', { name: 'Test connection EveryAction' }).click();
    await waitForText(page, '#connections > li:nth-child(2) .result', 'did not expect');
    await clean();

    await fake.answerNext(page, 'startRun', {
      done: true,
      token: '',
      fraction: 1,
      message: `Sync: Failed`,
      results: [{ job: '', status: 'Failed', read: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, message: `The sync stopped unexpectedly: ${raw}` }],
    });
    await page.getByRole('button', { name: 'Run all enabled jobs' }).click();
    await page.locator('#run-results').waitFor({ state: 'visible' });
    await clean();
    expect(await text(page, '#run-results')).toContain('Sheets Sync ran into something it did not expect');

    await fake.answerNext(page, 'startRun', { done: false, token: 'run-x', fraction: 0.5, message: raw, results: [] });
    await fake.hold(page, 'continueRun');
    await (await jobButton(page, 'Run now', 'Members')).click();
    await page.locator('[role=progressbar][aria-valuenow="50"]').waitFor();
    await clean();
    await fake.release(page, 'continueRun');
    await page.getByRole('progressbar').waitFor({ state: 'hidden' });

    await fake.refuseNext(page, 'setHourly', { refused: true, message: `Exception: ${raw}` });
    await page.getByRole('switch', { name: 'Hourly sync' }).click();
    await page.locator('#notice .error-box').waitFor();
    await clean();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('a connection no enabled job uses, without its key, is not shown as a problem', async () => {
    const state = baseState();
    // As Set up tabs leaves it: the EveryAction example row, used only by a job that is off.
    state.connections[1] = { name: 'EveryAction', system: 'EveryAction', status: '', hasSecret: false };
    await open(state);
    const idle = connectionCard(page, 'EveryAction').locator('.pill');
    const needed = connectionCard(page, 'iMIS').locator('.pill');
    expect(await idle.textContent()).toBe('Not set');
    expect(await needed.textContent()).toBe('Not set');
    const colour = (l: typeof idle) => l.evaluate((e) => (globalThis as unknown as { getComputedStyle(x: unknown): { color: string } }).getComputedStyle(e).color);
    expect(await colour(needed)).toBe('rgb(165, 14, 14)');
    expect(await colour(idle)).not.toBe('rgb(165, 14, 14)');
    expect(await idle.getAttribute('class')).not.toMatch(/\b(unset|bad)\b/);
    expect(await axeViolations(page)).toEqual([]);
  });
});
