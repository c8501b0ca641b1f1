// The built Apps Script bundle (dist/Code.js) in a bare node:vm context that holds only fakes of
// the Apps Script services: the entry points must be real top-level functions, onOpen must only
// build the menu, Sync now must run a pull end to end, and nothing Apps Script lacks may be used.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { HEADERS } from '../../src/core/config/types';
import type { Cell } from '../../src/core/ports';
import { ImisSimulator } from '../../src/simulators/imis';
import { inProcessHttp } from '../../src/simulators/router';

const code = readFileSync(join(__dirname, '../../dist/Code.js'), 'utf8');
const MISSING = ['require', 'process', 'setTimeout', 'fetch', 'Buffer', 'URL', 'URLSearchParams', 'TextEncoder', 'module', 'global'];

/** A sheet as Apps Script models it: a grid with Range reads and writes that check dimensions. */
class FakeSheet {
  constructor(
    readonly name: string,
    public cells: Cell[][] = [],
  ) {}
  calls = 0;
  getName() {
    return this.name;
  }
  getLastRow() {
    return this.cells.length;
  }
  getLastColumn() {
    return Math.max(0, ...this.cells.map((r) => r.length));
  }
  getRange(row: number, col: number, rows: number, cols: number) {
    this.calls++;
    const sheet = this;
    return {
      getValues: () => {
        const out: Cell[][] = [];
        for (let r = 0; r < rows; r++) {
          const src = sheet.cells[row - 1 + r] ?? [];
          out.push(Array.from({ length: cols }, (_, c) => src[col - 1 + c] ?? ''));
        }
        return out;
      },
      setValues: (values: Cell[][]) => {
        if (values.length !== rows || values.some((v) => v.length !== cols)) {
          throw new Error(`The number of rows in the data does not match the number of rows in the range. The data has ${values.length} but the range has ${rows}.`);
        }
        values.forEach((v, r) => {
          const target = (sheet.cells[row - 1 + r] ??= []);
          v.forEach((cell, c) => (target[col - 1 + c] = cell));
        });
      },
    };
  }
}

function appsScript(sheets: FakeSheet[], fetch: (req: { url: string; method: string; headers: Record<string, string>; payload?: string }) => { status: number; body: string; headers: Record<string, string> }) {
  const menus: string[][] = [];
  const toasts: string[] = [];
  const props = new Map<string, string>();
  const spreadsheet = {
    getSheetByName: (n: string) => sheets.find((s) => s.name === n) ?? null,
    insertSheet: (n: string) => {
      const s = new FakeSheet(n);
      sheets.push(s);
      return s;
    },
    getSpreadsheetTimeZone: () => 'Australia/Adelaide',
    toast: (msg: string) => toasts.push(msg),
  };
  const context = {
    SpreadsheetApp: {
      getActive: () => spreadsheet,
      flush: () => undefined,
      getUi: () => ({
        createAddonMenu: () => {
          const items: string[] = [];
          const menu = {
            addItem: (label: string, fn: string) => {
              items.push(`${label}→${fn}`);
              return menu;
            },
            addSeparator: () => {
              items.push('---');
              return menu;
            },
            addToUi: () => menus.push(items),
          };
          return menu;
        },
      }),
    },
    UrlFetchApp: {
      fetchAll: (reqs: { url: string; method: string; headers: Record<string, string>; payload?: string; contentType?: string; muteHttpExceptions: boolean; followRedirects: boolean }[]) =>
        reqs.map((r) => {
          expect(r.muteHttpExceptions).toBe(true);
          expect(r.followRedirects).toBe(false);
          const headers = { ...r.headers, ...(r.contentType ? { 'Content-Type': r.contentType } : {}) };
          const res = fetch({ url: r.url, method: r.method.toUpperCase(), headers, payload: r.payload });
          return { getResponseCode: () => res.status, getContentText: () => res.body, getAllHeaders: () => res.headers };
        }),
    },
    PropertiesService: {
      getDocumentProperties: () => ({ getProperty: (k: string) => props.get(k) ?? null, setProperty: (k: string, v: string) => props.set(k, v), deleteProperty: (k: string) => props.delete(k) }),
    },
    LockService: { getDocumentLock: () => ({ tryLock: () => true, releaseLock: () => undefined }) },
    Utilities: { sleep: () => undefined },
    console: { log: () => undefined, warn: () => undefined },
  };
  // Apps Script has none of these: touching one while running is a bug the bundle would ship.
  const touched: string[] = [];
  for (const name of MISSING) {
    Object.defineProperty(context, name, {
      get: () => {
        touched.push(name);
        return undefined;
      },
    });
  }
  vm.createContext(context);
  vm.runInContext(code, context);
  return { context: context as typeof context & Record<string, unknown>, menus, toasts, props, touched };
}

describe('dist/Code.js', () => {
  it('declares the entry points as top-level functions', () => {
    const { context } = appsScript([], () => ({ status: 500, body: '', headers: {} }));
    for (const name of ['onOpen', 'onInstall', 'syncNow', 'previewJob', 'openSidebar', 'setUpTabs', 'turnHourlyOn', 'turnHourlyOff', 'hourlySync', 'sidebarState', 'setSecret', 'testConnection', 'startRun', 'continueRun', 'setHourly', 'fieldNames']) {
      expect(typeof context[name], name).toBe('function');
      expect(code).toMatch(new RegExp(`^function ${name}\\(`, 'm'));
    }
  });

  it('onOpen only builds the add-on menu', () => {
    const { context, menus } = appsScript([], () => {
      throw new Error('onOpen must not call out');
    });
    (context.onOpen as () => void)();
    expect(menus).toEqual([
      ['Sync now→syncNow', 'Preview a job…→previewJob', 'Open sidebar→openSidebar', '---', 'Set up tabs→setUpTabs', 'Turn hourly sync on→turnHourlyOn', 'Turn hourly sync off→turnHourlyOff'],
    ]);
  });

  it('Sync now pulls an IQA query into a tab with whole-range writes, in a context without Node globals', () => {
    const sim = new ImisSimulator();
    const http = inProcessHttp({ '/imis/': sim.handle });
    const sheets = [
      new FakeSheet('Connections', [[...HEADERS.connections], ['iMIS', 'iMIS', 'https://myorg.imiscloud.com/imis/', 'sync.user', 'EMS', '']]),
      new FakeSheet('Jobs', [[...HEADERS.jobs], ['Members', true, 'Pull', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members', 'ID', 'Replace', '', 'Hourly', '', '']]),
    ];
    const { context, toasts, props, touched } = appsScript(sheets, (r) => {
      const [res] = http.fetchAll([{ method: r.method as 'GET', url: r.url, headers: r.headers, body: r.payload }]);
      return res!;
    });
    props.set('secret:iMIS', 'demo-password');
    (context.syncNow as () => void)();
    const members = sheets.find((s) => s.name === 'Members')!;
    expect(members.cells).toHaveLength(1235);
    expect(members.cells[0]!.slice(0, 2)).toEqual(['ID', 'FirstName']);
    expect(members.calls).toBe(1);
    const report = sheets.find((s) => s.name === 'Sync Report')!.cells;
    expect(report[1]!.slice(3, 7)).toEqual(['Manual', 'Members', 'OK', 1234]);
    expect(toasts[0]).toContain('Members: OK');
    expect(http.requests.every((r) => r.headers['Accept-Encoding'] === 'gzip, deflate')).toBe(true);
    expect(touched).toEqual([]);
  });

  it('uses nothing Apps Script lacks', () => {
    // Loading and running above happened in a context that traps these globals; the bundle must
    // also carry no module loader or Node global of its own.
    const { touched } = appsScript([], () => ({ status: 500, body: '', headers: {} }));
    expect(touched).toEqual([]);
    expect(/\brequire\(/.test(code), 'require').toBe(false);
    expect(/(?<![\w$])process\./.test(code), 'process').toBe(false);
    expect(/(?<![\w$.])fetch\(/.test(code), 'fetch').toBe(false);
    expect(/\bTextEncoder\b|\bURLSearchParams\b|\bBuffer\./.test(code), 'TextEncoder/URLSearchParams/Buffer').toBe(false);
  });
});
