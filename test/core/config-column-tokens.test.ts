// {{column:Header}} in a push's Constants is checked against the source tab's header row before
// any request, so a misspelt header stops the run instead of sending blanks.

import { describe, expect, it } from 'vitest';
import { checkColumnTokens } from '../../src/core/config/column-tokens';
import { describeProblem } from '../../src/core/config/types';
import type { Constant } from '../../src/core/config/types';

const job = (...values: string[]) => ({
  name: 'Signups',
  source: 'Event Sign-ups',
  constants: values.map((value, i): Constant => ({ field: `Field${i}`, value, row: i + 2 })),
});
const HEADER = ['Email', ' First Name ', 'Notes', null, 42, 'Signups Status'];
const said = (...values: string[]) => checkColumnTokens(job(...values), HEADER).map(describeProblem);

describe('checkColumnTokens', () => {
  it('names the Constants row, the Value column and the closest header', () => {
    expect(checkColumnTokens(job('Signed up: {{column:Note}}'), HEADER)).toEqual([
      {
        tab: 'Constants',
        row: 2,
        column: 'Value',
        message: '{{column:Note}} reads the column "Note", but the tab "Event Sign-ups" (job "Signups") has no such column; did you mean {{column:Notes}}?',
      },
    ]);
  });

  it('says where to look when no header is close', () => {
    expect(said('x', '{{column:Nope}}')).toEqual([
      'Constants row 3, Value: {{column:Nope}} reads the column "Nope", but the tab "Event Sign-ups" (job "Signups") has no such column; use a header from the first row of "Event Sign-ups"',
    ]);
  });

  it('matches headers as the push does: any case, surrounding spaces ignored, numbers as text', () => {
    expect(said('{{column:email}} {{ column: first name }} {{COLUMN:42}} {{column:Signups Status}}')).toEqual([]);
  });

  it('reports each missing header once per row, and every row that has one', () => {
    expect(said('{{column:Nope}} {{column:nope}} {{column:Emal}}', '{{today}} {{column:Nope}}')).toEqual([
      expect.stringMatching(/^Constants row 2, Value: \{\{column:Nope\}\}/),
      expect.stringMatching(/^Constants row 2, Value: \{\{column:Emal\}\} .* did you mean \{\{column:Email\}\}\?$/),
      expect.stringMatching(/^Constants row 3, Value: \{\{column:Nope\}\}/),
    ]);
  });

  it('finds nothing to say about constants without column tokens, or an empty tab', () => {
    expect(said('{{today}} via {{sheet}}', '{{clear}}', 'plain')).toEqual([]);
    expect(checkColumnTokens(job('{{column:Email}}'), []).map(describeProblem)).toEqual([
      'Constants row 2, Value: {{column:Email}} reads the column "Email", but the tab "Event Sign-ups" (job "Signups") has no such column; use a header from the first row of "Event Sign-ups"',
    ]);
  });
});
