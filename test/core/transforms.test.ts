// The Transform column and the {{tokens}}: conversions a coordinator can predict, and refusals
// with a reason instead of guesses.

import { describe, expect, it } from 'vitest';
import { scanTokens, expandTokens } from '../../src/core/tokens';
import { applyTransform } from '../../src/core/transforms';

const ok = (t: Parameters<typeof applyTransform>[0], v: Parameters<typeof applyTransform>[1]) => {
  const r = applyTransform(t, v);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};
const reason = (t: Parameters<typeof applyTransform>[0], v: Parameters<typeof applyTransform>[1]) => {
  const r = applyTransform(t, v);
  return r.ok ? '' : r.reason;
};

describe('transforms', () => {
  it('text: trim, lower, upper', () => {
    expect(ok('trim', '  Ann  ')).toBe('Ann');
    expect(ok('lower', 'ANN@X.ORG')).toBe('ann@x.org');
    expect(ok('upper', 'cpr')).toBe('CPR');
    expect(ok(null, '  kept as is ')).toBe('  kept as is ');
  });

  it('number reads thousands separators and currency, refuses words', () => {
    expect(ok('number', '1,234.50')).toBe(1234.5);
    expect(ok('number', '$ 12')).toBe(12);
    expect(ok('number', 7)).toBe(7);
    expect(reason('number', 'lots')).toBe('"lots" is not a number');
  });

  it('date accepts ISO, unambiguous slashes and month names; refuses what could be either way', () => {
    expect(ok('date', '2021-02-20T18:00:00')).toBe('2021-02-20');
    expect(ok('date', '2026-3-4')).toBe('2026-03-04');
    expect(ok('date', '25/12/2026')).toBe('2026-12-25');
    expect(ok('date', '12/25/2026')).toBe('2026-12-25');
    expect(ok('date', '4 March 2026')).toBe('2026-03-04');
    expect(ok('date', 'March 4, 2026')).toBe('2026-03-04');
    expect(ok('date', new Date(2026, 2, 4))).toBe('2026-03-04');
    expect(reason('date', '03/04/2026')).toBe('"03/04/2026" could be read as day/month or month/day; write it as yyyy-mm-dd');
    expect(reason('date', '2026-02-30')).toBe('"2026-02-30" is not a real date');
    expect(reason('date', 'soon')).toBe('"soon" is not a date (write it as yyyy-mm-dd)');
  });

  it('datetime keeps the time and never invents a time zone', () => {
    expect(ok('datetime', '2026-03-04 9:05')).toBe('2026-03-04T09:05:00');
    expect(ok('datetime', '2026-03-04')).toBe('2026-03-04T00:00:00');
    expect(ok('datetime', '2026-03-04T09:05:00Z')).toBe('2026-03-04T09:05:00Z');
  });

  it('boolean reads checkbox values and words', () => {
    for (const v of [true, 'TRUE', 'yes', 'Y', '1', 'x']) expect(ok('boolean', v)).toBe(true);
    for (const v of [false, 'FALSE', 'no', 'n', '0']) expect(ok('boolean', v)).toBe(false);
    expect(reason('boolean', 'maybe')).toBe('"maybe" is not TRUE or FALSE');
  });

  it('phone keeps digits, E.164 when the country code is given', () => {
    expect(ok('phone', '(555) 010-2000')).toBe('5550102000');
    expect(ok('phone', '+61 8 8123 4567')).toBe('+61881234567');
    expect(ok('phone', '0044 20 7946 0000')).toBe('+442079460000');
    expect(ok('phone', '555-0100 ext. 12')).toBe('5550100');
    expect(reason('phone', 'call me')).toBe('"call me" is not a phone number');
  });

  it('email trims, lower-cases and validates', () => {
    expect(ok('email', ' Riley.Nguyen@Example.ORG ')).toBe('riley.nguyen@example.org');
    expect(reason('email', 'not-an-email')).toBe('"not-an-email" is not an email address');
  });

  it('a blank cell stays blank whatever the transform', () => {
    for (const t of ['number', 'date', 'boolean', 'email', 'phone'] as const) expect(ok(t, '  ')).toBe('');
  });
});

describe('tokens', () => {
  const values = { today: '2026-11-23', now: '2026-11-23T15:00:00Z', job: 'Sign-ups', sheet: 'Event', run: 'R1', lastSuccess: '', row: 7, column: (h: string) => (h === 'Company' ? 'Harbor Foods' : '') };

  it('expands every token of the design', () => {
    expect(expandTokens('{{today}} {{now}} {{job}} {{sheet}} {{row}} {{run}} [{{lastSuccess}}] {{column:Company}} [{{clear}}]', values)).toBe(
      '2026-11-23 2026-11-23T15:00:00Z Sign-ups Event 7 R1 [] Harbor Foods []',
    );
    expect(expandTokens('Signed up via {{ Sheet }} on {{TODAY}}', values)).toBe('Signed up via Event on 2026-11-23');
  });

  it('finds unknown tokens so the run can stop before sending them', () => {
    expect(scanTokens('{{today}} {{tody}} {{column:}}')).toEqual({ tokens: [{ kind: 'today' }], unknown: ['{{tody}}', '{{column:}}'] });
  });
});
