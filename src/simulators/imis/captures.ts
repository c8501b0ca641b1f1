// Seed data taken from real iMIS responses (copied unchanged into captures/ from
// shared/research/imis/), turned into plain rows so the simulator serves them through the same code
// as its generated data, and gives the captured bodies back byte for byte.

import iqaEvents from './captures/iqa-events.json' with { type: 'json' };
import queryUserInfo from './captures/query-userinfo.json' with { type: 'json' };
import type { ColumnType, QueryRow, QueryValue } from './wire';

export interface CapturedQuery {
  rows: QueryRow[];
  types: Record<string, ColumnType>;
  entityTypeName: string;
}

interface CapturedProperty {
  Name: string;
  Value?: string | { $type: string; $value: string | number | boolean };
}

/** GenericEntityData rows → flat rows, remembering each wrapped column's type and dropping ResultRow. */
function fromGenericEntityPage(page: typeof iqaEvents): CapturedQuery {
  const types: Record<string, ColumnType> = {};
  const rows = page.Items.$values.map((item) => {
    const row: QueryRow = {};
    for (const p of item.Properties.$values as CapturedProperty[]) {
      if (p.Name === 'ResultRow') continue;
      let value: QueryValue;
      if (p.Value === undefined) value = null;
      else if (typeof p.Value === 'object') {
        types[p.Name] = p.Value.$type.replace(/^System\./, '') as ColumnType;
        value = p.Value.$value;
      } else value = p.Value;
      row[p.Name] = value;
    }
    return row;
  });
  return { rows, types, entityTypeName: page.Items.$values[0]?.EntityTypeName ?? '9' };
}

/** ExpandoObject rows → flat rows (they already are, less the $type). */
function fromExpandoPage(page: typeof queryUserInfo): CapturedQuery {
  const rows = page.Items.$values.map(({ $type: _type, ...row }) => row as QueryRow);
  return { rows, types: {}, entityTypeName: '9' };
}

export const CAPTURED_EVENTS: CapturedQuery = fromGenericEntityPage(iqaEvents);
export const CAPTURED_USER_INFO: CapturedQuery = fromExpandoPage(queryUserInfo);
