// A fake PropertiesService with Apps Script's limits: a value over 9 KB is refused ("Argument too
// large: value"), and so is anything that would take a store past 500 KB. Document properties
// belong to the spreadsheet, user properties to each user, script properties to everyone.

import { counted } from './calls';
import type { Execution } from './execution';

export const VALUE_LIMIT_BYTES = 9 * 1024;
export const STORE_LIMIT_BYTES = 500 * 1024;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export class PropertyStore {
  readonly map = new Map<string, string>();

  get(key: string): string | null {
    return this.map.get(key) ?? null;
  }

  set(key: string, value: string): void {
    this.map.set(key, value);
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  size(): number {
    let n = 0;
    for (const [k, v] of this.map) n += bytes(k) + bytes(v);
    return n;
  }

  /** Every key and value, for assertions. */
  all(): Record<string, string> {
    return Object.fromEntries(this.map);
  }
}

export interface PropertyStores {
  document: PropertyStore;
  script: PropertyStore;
  user(email: string): PropertyStore;
}

export function newPropertyStores(): PropertyStores {
  const users = new Map<string, PropertyStore>();
  return {
    document: new PropertyStore(),
    script: new PropertyStore(),
    user: (email) => {
      let s = users.get(email);
      if (!s) users.set(email, (s = new PropertyStore()));
      return s;
    },
  };
}

export function fakePropertiesService(exec: Execution, stores: PropertyStores) {
  const fail = (m: string) => exec.realm.exception(m);
  const api = (store: PropertyStore) => {
    const check = (key: string, value: string) => {
      if (bytes(value) > VALUE_LIMIT_BYTES) throw fail('Argument too large: value');
      const old = store.get(key);
      const after = store.size() - (old === null ? 0 : bytes(key) + bytes(old)) + bytes(key) + bytes(value);
      if (after > STORE_LIMIT_BYTES) throw fail('You have exceeded the property storage quota. Please remove some properties and try again.');
    };
    const impl = {
      getProperty: (key: string) => store.get(String(key)),
      setProperty: (key: string, value: unknown) => {
        const v = String(value);
        check(String(key), v);
        store.set(String(key), v);
        return impl;
      },
      deleteProperty: (key: string) => {
        store.delete(String(key));
        return impl;
      },
      getProperties: () => exec.realm.object(store.all()),
      getKeys: () => exec.realm.array([...store.map.keys()]),
      setProperties: (props: Record<string, unknown>, deleteAllOthers = false) => {
        if (deleteAllOthers) store.map.clear();
        for (const [k, v] of Object.entries(props)) {
          check(k, String(v));
          store.set(k, String(v));
        }
        return impl;
      },
      deleteAllProperties: () => {
        store.map.clear();
        return impl;
      },
    };
    return counted(exec, 'Properties', impl);
  };
  return counted(exec, 'PropertiesService', {
    getDocumentProperties: () => api(stores.document),
    getScriptProperties: () => api(stores.script),
    getUserProperties: () => api(stores.user(exec.user)),
  });
}
