// The connection and job forms of the sidebar (sidebar/forms.ts) in headless Chromium, 300 px wide,
// against the fake google.script.run (fake-google.ts): labelled fields, dropdowns from the starter
// tabs' CHOICES narrowed by system and action, problems tied to their fields, one primary button,
// focus to the first invalid field and back to the opener; axe-core finds nothing to fix with the
// form empty, with errors, and saved.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SidebarState } from '../../src/gas/sidebar-api';
import { CHOICES } from '../../src/core/starter';
import { buildSidebar } from '../../sidebar/build.mjs';
import { CHROMIUM, chromiumProblem } from '../setup/chromium';
import { baseState as sharedState } from './base-state';
import { installFakeGoogle, type FakeCall, type FakeConfig, type FakeControl } from './fake-google';

const root = join(__dirname, '../..');
const PAGE_URL = 'https://sidebar.test/Sidebar.html';

/** The shared spreadsheet without its unrun push: the forms' tests count rows from it. */
function baseState(): SidebarState {
  const state = sharedState();
  return { ...state, jobs: state.jobs.filter((j) => j.name !== 'Event Sign-ups') };
}

let browser: Browser | undefined;
let page: Page;
let html = '';
let errors: string[] = [];

beforeAll(async () => {
  const problem = chromiumProblem(CHROMIUM);
  if (problem) throw new Error(problem);
  html = readFileSync(await buildSidebar(root, mkdtempSync(join(tmpdir(), 'sidebar-forms-'))), 'utf8');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route('**/*', (route) => (route.request().url().split('?')[0] === PAGE_URL ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }) : route.abort()));
  await page.addInitScript({ content: `(${installFakeGoogle.toString()})(JSON.parse(new URLSearchParams(location.search).get('fake')));` });
});

afterAll(async () => {
  await browser?.close();
});

async function open(state: SidebarState = baseState()): Promise<Page> {
  const config: FakeConfig = { state, delayMs: 15, runSteps: 3 };
  errors = [];
  await page.setViewportSize({ width: 300, height: 900 });
  await page.goto(`${PAGE_URL}?fake=${encodeURIComponent(JSON.stringify(config))}`);
  await page.locator('#loading').waitFor({ state: 'hidden' });
  return page;
}

type FakeWindow = { __fake: FakeControl };
const calls = async (name: string): Promise<FakeCall[]> => (await page.evaluate(() => (globalThis as unknown as FakeWindow).__fake.calls)).filter((c) => c.name === name);
const focusedId = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id ?? '');
const options = (label: string) => page.getByLabel(label, { exact: true }).locator('option').allTextContents();

async function axeViolations(): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
  const found = await page.evaluate(async () => {
    type Violation = { id: string; help: string; nodes: { target: string[] }[] };
    const a = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const r = await a.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return found;
}

/** Visible buttons styled as the view's primary action. */
const primaryButtons = () => page.locator('button.action:visible').allTextContents();

describe('connection form', () => {
  it('opens empty with labelled fields, dropdowns from CHOICES, one primary button; axe finds nothing', async () => {
    await open();
    await page.getByRole('button', { name: 'Add connection' }).click();
    await expect.poll(focusedId).toMatch(/^form-name-/);
    expect(await page.getByRole('heading', { name: 'Add connection' }).isVisible()).toBe(true);
    for (const label of ['Name', 'System', 'URL', 'User name', 'Mode', 'iMIS password']) expect(await page.getByLabel(label, { exact: true }).isVisible()).toBe(true);
    expect(await page.getByLabel('iMIS password', { exact: true }).getAttribute('type')).toBe('password');
    expect(await options('System')).toEqual([...CHOICES.System!]);
    expect(await options('Mode')).toEqual(CHOICES['Connection Mode']!.filter((m) => ['EMS', '2017'].includes(m)));
    expect(await primaryButtons()).toEqual(['Save']);
    // The rest of the page (Run all, the cards) is out of the way while the form is open.
    expect(await page.locator('#content').isHidden()).toBe(true);
    expect(await axeViolations()).toEqual([]);

    await page.getByLabel('System', { exact: true }).selectOption('EveryAction');
    expect(await options('Mode')).toEqual(['MyCampaign', 'VoterFile']);
    expect(await page.getByLabel('Application name', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByLabel('EveryAction API key', { exact: true }).isVisible()).toBe(true);
    await page.getByLabel('EveryAction API key', { exact: true }).fill('key');
    expect(await primaryButtons()).toEqual(['Save & test']);
    expect(errors).toEqual([]);
  });

  it('ties each problem to its field, focuses the first, writes nothing; axe finds nothing', async () => {
    await open();
    await page.getByRole('button', { name: 'Add connection' }).click();
    await page.getByLabel('Name', { exact: true }).fill('EveryAction');
    await page.getByLabel('URL', { exact: true }).fill('http://myorg.example.org/');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('[aria-invalid="true"]').first().waitFor();

    const name = page.getByLabel('Name', { exact: true });
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await focusedId()).toBe(await name.getAttribute('id'));
    for (const [label, says] of [
      ['Name', 'Another connection is already called "EveryAction" (row 2).'],
      ['URL', 'is not a web address'],
      ['User name', 'The iMIS user name is required.'],
    ] as const) {
      const input = page.getByLabel(label, { exact: true });
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      const described = (await input.getAttribute('aria-describedby'))!.split(' ');
      const errorId = described.find((id) => id.endsWith('-error'))!;
      expect(await page.locator(`#${errorId}`).textContent()).toContain(says);
    }
    expect(await page.getByLabel('Mode', { exact: true }).getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('.error-box[role="alert"]').textContent()).toContain('3 fields need changing');
    expect(await page.evaluate(() => (globalThis as unknown as FakeWindow).__fake.state.connections.length)).toBe(2);
    expect(await axeViolations()).toEqual([]);

    // Fixing a field and saving again clears its error.
    await name.fill('iMIS Test');
    await page.getByLabel('URL', { exact: true }).fill('https://test.example.org/');
    await page.getByLabel('User name', { exact: true }).fill('sync.user');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#connection-form-status').getByText('Saved:').waitFor();
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(0);
  });

  it('Save & test saves the row and the password in one step, closes, and gives focus back; axe finds nothing', async () => {
    await open();
    await page.getByRole('button', { name: 'Add connection' }).click();
    await page.getByLabel('Name', { exact: true }).fill('iMIS Test');
    await page.getByLabel('URL', { exact: true }).fill('https://test.example.org/');
    await page.getByLabel('User name', { exact: true }).fill('sync.user');
    await page.getByLabel('iMIS password', { exact: true }).fill('s3cret');
    await page.getByRole('button', { name: 'Save & test' }).click();
    await page.locator('#connection-form-status').getByText('Test OK:').waitFor();
    expect((await calls('saveConnection')).map((c) => c.args)).toEqual([
      [{ original: '', name: 'iMIS Test', system: 'iMIS', url: 'https://test.example.org/', username: 'sync.user', mode: 'EMS', secret: 's3cret' }],
    ]);
    expect(await calls('setSecret')).toEqual([]);
    expect(await page.locator('#form-view').isHidden()).toBe(true);
    expect(await focusedId()).toBe('connection-add');
    expect(await page.locator('#connections').textContent()).toContain('iMIS Test');
    expect(await page.locator('#connection-form-status').textContent()).toContain('saved in row 4');
    expect(await axeViolations()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('Edit fills the form from the tab; Cancel and Escape close it and give focus back to Edit', async () => {
    await open();
    await page.getByLabel('Connection to edit').selectOption('EveryAction');
    await page.getByRole('button', { name: 'Edit the chosen connection' }).click();
    await page.getByRole('heading', { name: 'Edit connection EveryAction' }).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('EveryAction');
    expect(await page.getByLabel('System', { exact: true }).inputValue()).toBe('EveryAction');
    expect(await page.getByLabel('Mode', { exact: true }).inputValue()).toBe('MyCampaign');
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await focusedId()).toBe('connection-edit');
    expect(await page.locator('#content').isVisible()).toBe(true);

    await page.getByLabel('Connection to edit').selectOption('iMIS');
    await page.getByRole('button', { name: 'Edit the chosen connection' }).click();
    await page.getByRole('heading', { name: 'Edit connection iMIS' }).waitFor();
    expect(await page.getByLabel('Mode', { exact: true }).inputValue()).toBe('EMS');
    await page.keyboard.press('Escape');
    expect(await focusedId()).toBe('connection-edit');
    expect(await calls('saveConnection')).toEqual([]);
  });
});

describe('job form', () => {
  it('offers Match and Mode as the chosen action and connection take them', async () => {
    await open();
    await page.getByRole('button', { name: 'Add job' }).click();
    await page.getByRole('heading', { name: 'Add job' }).waitFor();
    for (const label of ['Name', 'Enabled', 'Action', 'Connection', 'Source', 'Target', 'Match', 'Mode', 'Parameters', 'Schedule']) {
      expect(await page.getByLabel(label, { exact: true }).count(), label).toBe(1);
    }
    expect(await options('Action')).toEqual([...CHOICES.Action!]);
    expect(await options('Schedule')).toEqual([...CHOICES.Schedule!]);
    expect(await options('Connection')).toEqual(['iMIS', 'EveryAction']);
    // An iMIS pull's Match names its key column: free text.
    expect(await page.getByLabel('Match', { exact: true }).evaluate((n) => n.tagName)).toBe('INPUT');
    expect(await options('Mode')).toEqual(['Replace', 'Merge']);
    await page.getByLabel('Action', { exact: true }).selectOption('Push');
    expect(await options('Match')).toEqual(['ID', 'Email', 'Email+Name']);
    expect(await page.getByLabel('Match', { exact: true }).inputValue()).toBe('Email');
    expect(await options('Mode')).toEqual(['Upsert', 'Update only', 'Create only']);
    await page.getByLabel('Connection', { exact: true }).selectOption('EveryAction');
    expect(await options('Match')).toEqual(['Auto', 'VANID']);
    expect(await options('Mode')).toEqual(['Liberal', 'Conservative']);
    expect(await primaryButtons()).toEqual(['Save']);
    expect(await axeViolations()).toEqual([]);
  });

  it('shows problems by field, then saves one row and gives focus back to Edit', async () => {
    await open();
    await page.getByLabel('Job to edit').selectOption('Volunteers');
    await page.getByRole('button', { name: 'Edit the chosen job' }).click();
    await page.getByRole('heading', { name: 'Edit job Volunteers' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('members');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('[aria-invalid="true"]').first().waitFor();
    expect(await focusedId()).toBe(await page.getByLabel('Name', { exact: true }).getAttribute('id'));
    expect(await page.getByLabel('Source', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await axeViolations()).toEqual([]);

    await page.getByLabel('Name', { exact: true }).fill('Volunteers');
    await page.getByLabel('Source', { exact: true }).fill('Volunteers');
    await page.getByLabel('Enabled', { exact: true }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#job-form-status').getByText('Saved:').waitFor();
    expect(await focusedId()).toBe('job-edit');
    const saved = (await calls('saveJob')).at(-1)!.args[0];
    expect(saved).toMatchObject({ original: 'Volunteers', name: 'Volunteers', enabled: true, action: 'Push', connection: 'EveryAction', match: 'Auto', mode: 'Liberal', schedule: 'Manual' });
    expect(await page.evaluate(() => (globalThis as unknown as FakeWindow).__fake.state.jobs.map((j) => [j.name, j.enabled]))).toEqual([
      ['Members', true],
      ['Volunteers', true],
    ]);
    expect(await axeViolations()).toEqual([]);
    expect(errors).toEqual([]);
  });
});
