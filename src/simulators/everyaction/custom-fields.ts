// The demo committee's contact custom fields, in the wire shape of GET /customFields (research §4,
// Parsons' test mock), and the checks a write of `customFieldValues` goes through.

import { invalid, type ApiError, type JsonObject } from './wire';

export type CustomFieldType = 'B' | 'S' | 'T' | 'D' | 'N' | 'M';

export interface AvailableValue {
  id: number;
  name: string;
  parentValueId: number | null;
}

export interface CustomFieldDefinition {
  customFieldId: number;
  customFieldParentId: number | null;
  customFieldName: string;
  customFieldGroupId: number;
  customFieldGroupName: string;
  customFieldGroupType: 'Contacts';
  customFieldTypeId: CustomFieldType;
  isEditable: boolean;
  isExportable: boolean;
  maxTextboxCharacters: number | null;
  availableValues: AvailableValue[] | null;
}

/** What a person holds for a field: B → boolean, N/M → number, S → the value's id, T/D → text. */
export type StoredFieldValue = boolean | number | string;

export const DEMO_CUSTOM_FIELD_GROUP = { id: 11, name: 'Sheets Sync Demo' } as const;

function field(
  customFieldId: number,
  customFieldName: string,
  customFieldTypeId: CustomFieldType,
  extra: { maxTextboxCharacters?: number; values?: [number, string][] } = {},
): CustomFieldDefinition {
  return {
    customFieldId,
    customFieldParentId: null,
    customFieldName,
    customFieldGroupId: DEMO_CUSTOM_FIELD_GROUP.id,
    customFieldGroupName: DEMO_CUSTOM_FIELD_GROUP.name,
    customFieldGroupType: 'Contacts',
    customFieldTypeId,
    isEditable: true,
    isExportable: true,
    maxTextboxCharacters: extra.maxTextboxCharacters ?? null,
    // Parsons' mock shows availableValues only on a Selection field; other types get null (a guess).
    availableValues: extra.values ? extra.values.map(([id, name]) => ({ id, name, parentValueId: null })) : null,
  };
}

export const DEMO_CUSTOM_FIELDS: readonly CustomFieldDefinition[] = [
  field(101, 'Volunteer Interest', 'S', { values: [[1, 'Phone banking'], [2, 'Canvassing'], [3, 'Event setup'], [4, 'Data entry']] }),
  field(102, 'T-shirt size', 'S', { values: [[5, 'XS'], [6, 'S'], [7, 'M'], [8, 'L'], [9, 'XL']] }),
  field(103, 'Newsletter Topic', 'T', { maxTextboxCharacters: 50 }),
  field(104, 'Joined Chapter On', 'D'),
  field(105, 'Has Own Car', 'B'),
  field(106, 'Shifts Worked', 'N'),
  field(107, 'Pledge Amount', 'M'),
];

export function customFieldWire(def: CustomFieldDefinition): JsonObject {
  return {
    customFieldId: def.customFieldId,
    customFieldParentId: def.customFieldParentId,
    customFieldName: def.customFieldName,
    customFieldGroupId: def.customFieldGroupId,
    customFieldGroupName: def.customFieldGroupName,
    customFieldGroupType: def.customFieldGroupType,
    customFieldTypeId: def.customFieldTypeId,
    isEditable: def.isEditable,
    isExportable: def.isExportable,
    maxTextboxCharacters: def.maxTextboxCharacters,
    availableValues: def.availableValues ? def.availableValues.map((v) => ({ id: v.id, name: v.name, parentValueId: v.parentValueId })) : null,
  };
}

/** A checked value to store, `null` = clear the field, or the refusal. */
export type CheckedValue = { value: StoredFieldValue | null } | { error: ApiError };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T00:00:00(?:\.0+)?Z?)?$/;

export function isCalendarDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * Checks `assignedValue` against the field's type (docs: custom-fields-overview). Only the unknown-id
 * refusal is recorded ("Custom field N does not exist."); the wording of these type refusals is a
 * guess. Open question (research §8.3): whether a Selection takes the value's id or its name. This
 * simulator accepts either (id as number or numeric string; name case-insensitively) and stores the id.
 * Null or "" clears the field (a guess: nothing public shows how a value is removed).
 */
export function checkFieldValue(def: CustomFieldDefinition, raw: unknown, property: string): CheckedValue {
  if (raw === null || raw === undefined || raw === '') return { value: null };
  const refuse = (why: string): CheckedValue => ({
    error: invalid(`'${String(raw)}' is not a valid value for custom field ${def.customFieldId} (${def.customFieldName}): ${why}.`, property),
  });
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : null;
  if (text === null) return refuse('expected a single value');
  switch (def.customFieldTypeId) {
    case 'B': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === 'false') return { value: lower === 'true' };
      return refuse('expected true or false');
    }
    case 'S': {
      const values = def.availableValues ?? [];
      const byId = /^\d+$/.test(text) ? values.find((v) => v.id === Number(text)) : undefined;
      const hit = byId ?? values.find((v) => v.name.toLowerCase() === text.toLowerCase());
      if (hit) return { value: hit.id };
      return refuse(`expected one of ${values.map((v) => `${v.id} (${v.name})`).join(', ')}`);
    }
    case 'T': {
      const max = def.maxTextboxCharacters;
      if (max !== null && text.length > max) return refuse(`at most ${max} characters`);
      return { value: text };
    }
    case 'D': {
      const m = ISO_DATE.exec(text);
      if (m && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return { value: `${m[1]}-${m[2]}-${m[3]}` };
      return refuse('expected a date as YYYY-MM-DD');
    }
    case 'N': {
      if (/^-?\d+(\.\d+)?$/.test(text)) return { value: Number(text) };
      return refuse('expected a number');
    }
    case 'M': {
      if (/^-?\d+(\.\d{1,2})?$/.test(text)) return { value: Number(text) };
      return refuse('expected an amount of money with at most two decimals');
    }
  }
}

/**
 * How a stored value reads back in `customFields` (GET /people/{vanId}?$expand=customFields).
 * Always a string (a guess: the docs type assignedValue as string); a Selection reads back as its id.
 */
export function assignedValueText(def: CustomFieldDefinition | undefined, value: StoredFieldValue): string {
  if (def?.customFieldTypeId === 'M' && typeof value === 'number') return value.toFixed(2);
  return String(value);
}

/** The value as the changed-entity CSV shows it: a Selection by its name (a guess), money with two decimals. */
export function exportValueText(def: CustomFieldDefinition | undefined, value: StoredFieldValue): string {
  if (def?.customFieldTypeId === 'S') return def.availableValues?.find((v) => v.id === value)?.name ?? String(value);
  return assignedValueText(def, value);
}
