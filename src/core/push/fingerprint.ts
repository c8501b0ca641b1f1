// The fingerprint kept in the hidden `<Job> Hash` column: what was last sent successfully. A row
// whose fingerprint has not changed costs no request. Pure JavaScript (no crypto module in
// Apps Script); collisions only matter within one row's history, so 53 bits is plenty.

import type { Payload } from './types';

/** cyrb53: a fast, well-mixed 53-bit string hash. */
function cyrb53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The same payload for the same target always gives the same text; field order does not matter. */
export function fingerprint(target: string, payload: Payload): string {
  const fields = Object.keys(payload).sort();
  const canonical = JSON.stringify([target, fields.map((f) => [f, payload[f]])]);
  return cyrb53(canonical).toString(36);
}
