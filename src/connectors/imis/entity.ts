// GenericEntityData, the shape panel rows and activities travel in (research/imis-api.md §4.2, §6):
// the $type names iMIS expects, a sheet value typed as a property's PropertyTypeName asks, and an
// entity's properties read back by name.

import { cellText } from '../../core/cells';
import type { FieldValue } from '../../core/push/types';
import { applyTransform } from '../../core/transforms';
import { GenericEntity } from './schemas';

export const ENTITY_TYPES = {
  entity: 'Asi.Soa.Core.DataContracts.GenericEntityData, Asi.Contracts',
  identity: 'Asi.Soa.Core.DataContracts.IdentityData, Asi.Contracts',
  elements: 'System.Collections.ObjectModel.Collection`1[[System.String, mscorlib]], mscorlib',
  properties: 'Asi.Soa.Core.DataContracts.GenericPropertyDataCollection, Asi.Contracts',
  property: 'Asi.Soa.Core.DataContracts.GenericPropertyData, Asi.Contracts',
} as const;

const text = (v: unknown) => cellText(v === undefined ? null : (v as FieldValue));

/**
 * A value as the property's type wants it, or why it cannot be. Numbers and yes/no go out wrapped,
 * as ASI's own examples send them; dates as ISO date-times without a zone.
 */
export function typed(type: string, value: FieldValue): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (value === null) return { ok: true, value: null };
  switch (type.toLowerCase()) {
    case 'integer': {
      const n = applyTransform('number', value);
      if (!n.ok || !Number.isInteger(n.value)) return { ok: false, reason: `"${text(value)}" is not a whole number` };
      return { ok: true, value: { $type: 'System.Int32', $value: n.value } };
    }
    case 'decimal':
    case 'monetary':
    case 'double': {
      const n = applyTransform('number', value);
      return n.ok ? { ok: true, value: { $type: 'System.Decimal', $value: n.value } } : { ok: false, reason: n.reason };
    }
    case 'boolean': {
      const b = applyTransform('boolean', value);
      return b.ok ? { ok: true, value: { $type: 'System.Boolean', $value: b.value } } : { ok: false, reason: b.reason };
    }
    case 'date':
    case 'datetime': {
      const d = applyTransform('datetime', value);
      return d.ok ? { ok: true, value: d.value } : { ok: false, reason: d.reason };
    }
    default:
      return { ok: true, value: text(value) };
  }
}

/** An entity's properties by name (values still wrapped) and its identity elements; null when it is not an entity. */
export function readEntityJson(item: unknown): { props: Record<string, unknown>; identity: string[] } | null {
  const e = GenericEntity.safeParse(item);
  if (!e.success) return null;
  const props: Record<string, unknown> = {};
  for (const p of e.data.Properties.$values) props[p.Name] = p.Value;
  const identity = (e.data.Identity?.IdentityElements?.$values ?? []).map((v) => text(v));
  return { props, identity };
}
