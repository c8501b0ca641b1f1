// The built Apps Script bundle (dist/Code.js) in a bare node:vm context that holds only fakes of
// the Apps Script services (test/gas/fakes): the entry points must be real top-level functions,
// onOpen must only build the menu, Sync now must run a pull end to end, and nothing Apps Script
// lacks may be used (those globals are traps that record any access). The scenarios a
// coordinator relies on are in addon.test.ts.

import { describe, expect, it } from 'vitest';
import { TAB } from '../../src/core/config/types';
import { DEMO_QUERIES } from '../../src/simulators/imis';
import { GasWorld, MISSING_GLOBALS, seedConfig, setSecrets } from './fakes';

const ENTRY_POINTS = [
  'onOpen', 'onInstall', 'syncNow', 'previewJob', 'openSidebar', 'setUpTabs', 'turnHourlyOn', 'turnHourlyOff', 'hourlySync',
  'sidebarState', 'setSecret', 'testConnection', 'startRun', 'continueRun', 'setHourly', 'fieldNames', 'setUpTabsFromSidebar',
];

describe('dist/Code.js', () => {
  it('declares the entry points as top-level functions', () => {
    const w = new GasWorld();
    for (const name of ENTRY_POINTS) {
      expect(w.code, name).toMatch(new RegExp(`^function ${name}\\(`, 'm'));
      // Each is callable by name in a fresh execution (a missing one fails "Script function not found").
      expect(String(w.run(name, { authMode: 'NONE' }).error ?? ''), name).not.toMatch(/Script function not found/);
    }
    expect(String(w.run('noSuchFunction').error)).toBe('Exception: Script function not found: noSuchFunction');
  });

  it('onOpen only builds the add-on menu', () => {
    const w = new GasWorld();
    w.internet.onRequest = () => {
      throw new Error('onOpen must not call out');
    };
    const e = w.run('onOpen', { authMode: 'NONE' });
    expect(e.error).toBeUndefined();
    expect([...e.services]).toEqual(['SpreadsheetApp']);
    expect(w.ui.menus.map((m) => m.items.map((i) => (i.fn ? `${i.caption}→${i.fn}` : i.caption)))).toEqual([
      ['Open sidebar→openSidebar', 'Sync now→syncNow', 'Preview a job…→previewJob', '---', 'Set up tabs→setUpTabs', 'Turn hourly sync on→turnHourlyOn', 'Turn hourly sync off→turnHourlyOff'],
    ]);
  });

  it('Sync now pulls an IQA query into a tab with whole-range writes, in a context without Node globals', () => {
    const w = new GasWorld();
    seedConfig(w, { jobs: [{ name: 'Members', source: DEMO_QUERIES.activeMembers, target: 'Members', match: 'ID', mode: 'Replace' }] });
    setSecrets(w, { iMIS: 'demo-password' });
    const e = w.run('syncNow');
    expect(e.error).toBeUndefined();
    const members = w.sheet('Members');
    expect(members.lastRow()).toBe(1235);
    expect(members.grid()[0]!.slice(0, 2)).toEqual(['ID', 'FirstName']);
    expect(e.sheetOps.filter((o) => o.sheet === 'Members').map((o) => o.op)).toEqual(['insertRowsAfter', 'setValues']);
    const report = w.sheet(TAB.report).grid();
    expect(report[1]!.slice(3, 7)).toEqual(['Manual', 'Members', 'OK', 1234]);
    expect(w.ui.toasts[0]!.message).toContain('Members: OK');
    expect(w.internet.requests.every((r) => r.headers['Accept-Encoding'] === 'gzip, deflate')).toBe(true);
    expect(e.touched).toEqual([]);
  });

  it('uses nothing Apps Script lacks', () => {
    // Loading and running happen in a context that traps these globals; the bundle must also
    // carry no module loader or Node global of its own.
    const w = new GasWorld();
    const e = w.run('onOpen');
    expect(MISSING_GLOBALS).toEqual(expect.arrayContaining(['require', 'process', 'setTimeout', 'fetch', 'Buffer', 'URL', 'URLSearchParams', 'TextEncoder']));
    expect(e.touched).toEqual([]);
    expect([...e.servicesAtLoad]).toEqual([]);
    const code = w.code;
    expect(/\brequire\(/.test(code), 'require').toBe(false);
    expect(/(?<![\w$])process\./.test(code), 'process').toBe(false);
    expect(/(?<![\w$.])fetch\(/.test(code), 'fetch').toBe(false);
    expect(/\bTextEncoder\b|\bURLSearchParams\b|\bBuffer\./.test(code), 'TextEncoder/URLSearchParams/Buffer').toBe(false);
  });
});
