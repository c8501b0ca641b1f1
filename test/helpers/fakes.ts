// Fakes of the engine's ports for tests: a clock that only moves when told (or when slept),
// an in-memory workbook that counts its reads and writes, scripted HTTP, a quiet log.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { patchGrid } from '../../src/core/grid';
import type { Cell, Clock, Grid, Http, HttpRequest, HttpResponse, KeyValueStore, Log, SecretBinding, SecretLookup, Secrets, Workbook } from '../../src/core/ports';

export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private ms = Date.parse('2026-11-23T15:00:00Z')) {}
  now(): Date {
    return new Date(this.ms);
  }
  sleep(ms: number): void {
    this.sleeps.push(ms);
    this.ms += ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export class MemoryWorkbook implements Workbook {
  readonly tabs = new Map<string, Grid>();
  reads = 0;
  writes = 0;
  readonly writesByTab: Record<string, number> = {};
  constructor(initial: Record<string, Grid> = {}) {
    for (const [k, v] of Object.entries(initial)) this.tabs.set(k, v.map((r) => r.slice()));
  }
  read(tab: string): Grid | null {
    this.reads++;
    const g = this.tabs.get(tab);
    return g ? g.map((r) => r.slice()) : null;
  }
  headerReads = 0;
  headerOf(tab: string): { header: Cell[]; dataRows: number } | null {
    this.headerReads++;
    const g = this.tabs.get(tab);
    return g ? { header: (g[0] ?? []).slice(), dataRows: g.slice(1).filter((r) => r.some((c) => c !== null && c !== '')).length } : null;
  }
  write(tab: string, grid: Grid): void {
    this.writes++;
    this.writesByTab[tab] = (this.writesByTab[tab] ?? 0) + 1;
    this.tabs.set(tab, grid.map((r) => r.slice()));
  }
  writeBlock(tab: string, row: number, column: number, values: Grid): void {
    this.blockWrites++;
    this.writes++;
    this.writesByTab[tab] = (this.writesByTab[tab] ?? 0) + 1;
    this.tabs.set(tab, patchGrid(this.tabs.get(tab) ?? [], row, column, values));
  }
  blockWrites = 0;
  /** The tab as text rows, for readable assertions. */
  text(tab: string): string[][] {
    return (this.tabs.get(tab) ?? []).map((r) => r.map((c) => (c === null ? '' : c instanceof Date ? c.toISOString() : typeof c === 'boolean' ? (c ? 'TRUE' : 'FALSE') : String(c))));
  }
}

/** HTTP answered by a function; every request is recorded. */
export class ScriptedHttp implements Http {
  readonly requests: HttpRequest[] = [];
  constructor(private readonly answer: (req: HttpRequest, index: number) => HttpResponse) {}
  fetchAll(requests: HttpRequest[]): HttpResponse[] {
    return requests.map((r) => {
      this.requests.push(r);
      return this.answer(r, this.requests.length - 1);
    });
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

export function memoryLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return { lines, progress: (m) => lines.push(m), warn: (m) => lines.push(m) };
}

/**
 * Secrets by connection name: a string is a secret saved for the connection as it is now; a
 * SecretLookup answers as given (e.g. `{ state: 'changed', what: 'the URL' }`). Every lookup is
 * recorded, with what it was bound to.
 */
export function secrets(values: Record<string, string | SecretLookup>): Secrets & { asked: SecretBinding[] } {
  const asked: SecretBinding[] = [];
  return {
    asked,
    get: (binding) => {
      asked.push(binding);
      const v = values[binding.name];
      if (v === undefined) return { state: 'missing' };
      return typeof v === 'string' ? { state: 'set', value: v } : v;
    },
    howToSet: (n) => `set the secret for ${n}`,
  };
}

/** A real iMIS body, as copied byte for byte from shared/research/imis/ into the simulator. */
export function capture(name: 'iqa-events.json' | 'query-userinfo.json'): unknown {
  return JSON.parse(readFileSync(join(__dirname, '../../src/simulators/imis/captures', name), 'utf8'));
}

export class MemoryStore implements KeyValueStore {
  readonly values = new Map<string, string>();
  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  set(key: string, value: string): void {
    this.values.set(key, value);
  }
  delete(key: string): void {
    this.values.delete(key);
  }
}
