// The `KeyValueStore` port for the command line: what Apps Script keeps in document properties
// (checkpoints, leases, last-success times) lives in one small JSON file in the workbook folder.
// The file is re-read on every call so that a second `sheets-sync` process sees the first one's
// lease, and replaced atomically so an interrupted run never leaves it half-written.

import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { KeyValueStore } from '../core/ports';
import { writeFileAtomic } from './csv-workbook';

export const STATE_FILE_NAME = '.sheets-sync-state.json';

const StateFile = z.record(z.string(), z.string());

export class JsonFileStore implements KeyValueStore {
  readonly file: string;

  /** Keeps the state in `<dir>/<fileName>`; the file is created by the first `set`. */
  constructor(dir: string, fileName: string = STATE_FILE_NAME) {
    this.file = path.join(dir, fileName);
  }

  get(key: string): string | null {
    return this.load()[key] ?? null;
  }

  set(key: string, value: string): void {
    const state = this.load();
    if (state[key] === value) return;
    state[key] = value;
    this.save(state);
  }

  delete(key: string): void {
    const state = this.load();
    if (!(key in state)) return;
    delete state[key];
    this.save(state);
  }

  private load(): Record<string, string> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT') {
        return Object.create(null) as Record<string, string>;
      }
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`${this.file} is not valid JSON. Delete it to start from a clean state.`);
    }
    const parsed = StateFile.safeParse(json);
    if (!parsed.success) {
      throw new Error(`${this.file} does not hold sheets-sync state. Delete it to start from a clean state.`);
    }
    // A null prototype so keys like "__proto__" or "constructor" are plain keys.
    return Object.assign(Object.create(null) as Record<string, string>, parsed.data);
  }

  private save(state: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileAtomic(this.file, JSON.stringify(state, null, 2) + '\n');
  }
}
