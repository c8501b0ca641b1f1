// Turning one sheet row into what is sent: mapped cells (transformed, Required checked, formula
// errors refused, blanks left out unless {{clear}}) plus the job's constants with their tokens.
// Also the "stable" payload the fingerprint is taken from, where tokens that change every run
// ({{now}}, {{run}}, …) stay unexpanded so they do not make every row look edited.

import { cellText, sheetNumber } from '../cells';
import type { Constant, Mapping } from '../config/types';
import type { Cell } from '../ports';
import { expandTokens, type TokenValues } from '../tokens';
import { applyTransform } from '../transforms';
import type { FieldValue, Payload } from './types';

const FORMULA_ERROR = /^#(N\/A|REF!|VALUE!|DIV\/0!|NAME\?|NUM!|NULL!|ERROR!|SPILL!|CALC!)$/i;
const CLEAR = /^\s*\{\{\s*clear\s*\}\}\s*$/i;
const PER_RUN: (keyof TokenValues)[] = ['now', 'run', 'today', 'lastSuccess'];

export interface PayloadSpec {
  mappings: { mapping: Mapping; column: number; field: string }[];
  constants: { constant: Constant; field: string }[];
}

export type BuiltPayload = { ok: true; payload: Payload; stable: Payload } | { ok: false; reason: string };

function toFieldValue(cell: Cell): FieldValue {
  if (cell === null) return null;
  if (cell instanceof Date) return cellText(cell);
  return typeof cell === 'number' ? sheetNumber(cell) : cell;
}

function isBlank(cell: Cell | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

export function buildPayload(spec: PayloadSpec, cells: Cell[], header: string[], tokens: TokenValues): BuiltPayload {
  const payload: Payload = {};
  const stable: Payload = {};
  for (const { mapping, column, field } of spec.mappings) {
    const raw = cells[column] ?? null;
    if (typeof raw === 'string' && FORMULA_ERROR.test(raw.trim())) {
      return { ok: false, reason: `${mapping.column}: the cell shows the formula error ${raw.trim()}` };
    }
    if (typeof raw === 'string' && CLEAR.test(raw)) {
      if (mapping.required) return { ok: false, reason: `${mapping.column} is Required, so it cannot be {{clear}}` };
      payload[field] = stable[field] = null;
      continue;
    }
    if (isBlank(raw)) {
      if (mapping.required) return { ok: false, reason: `${mapping.column} is empty (Required)` };
      continue;
    }
    const t = applyTransform(mapping.transform, raw);
    if (!t.ok) return { ok: false, reason: `${mapping.column}: ${t.reason}` };
    payload[field] = stable[field] = toFieldValue(t.value);
  }
  const columnOf = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name.trim().toLowerCase());
  const withCells: TokenValues = { ...tokens, column: (h) => cellText(cells[columnOf(h)] ?? null) };
  const literal: TokenValues = { ...withCells };
  for (const k of PER_RUN) (literal as unknown as Record<string, string>)[k] = `{{${k}}}`;
  for (const { constant, field } of spec.constants) {
    if (CLEAR.test(constant.value)) {
      payload[field] = stable[field] = null;
      continue;
    }
    const value = expandTokens(constant.value, withCells);
    if (value === '') continue;
    payload[field] = value;
    stable[field] = expandTokens(constant.value, literal);
  }
  return { ok: true, payload, stable };
}
