// The {{tokens}} a coordinator may put in Constants values and job Parameters (DESIGN §4).
// Unknown tokens are found while the config is parsed, so a typo stops the run before anything
// is sent instead of reaching iMIS as literal text.

export type Token =
  | { kind: 'today' | 'now' | 'job' | 'sheet' | 'row' | 'run' | 'lastSuccess' | 'clear' }
  | { kind: 'column'; header: string };

const SIMPLE = ['today', 'now', 'job', 'sheet', 'row', 'run', 'lastSuccess', 'clear'] as const;
const TOKEN_RE = /\{\{([^{}]*)\}\}/g;

/** The values tokens stand for in one place (one row of a push, or one pull job). */
export interface TokenValues {
  today: string;
  now: string;
  job: string;
  sheet: string;
  run: string;
  lastSuccess: string;
  /** Present only where a row is being processed. */
  row?: number;
  column?: (header: string) => string;
}

function parseToken(inner: string): Token | null {
  const name = inner.trim();
  const simple = SIMPLE.find((s) => s.toLowerCase() === name.toLowerCase());
  if (simple) return { kind: simple };
  const col = /^column\s*:(.+)$/i.exec(name);
  if (col && col[1]!.trim() !== '') return { kind: 'column', header: col[1]!.trim() };
  return null;
}

/** Every token in the text, and the texts of those that are not tokens we know. */
export function scanTokens(text: string): { tokens: Token[]; unknown: string[] } {
  const tokens: Token[] = [];
  const unknown: string[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    const t = parseToken(m[1]!);
    if (t) tokens.push(t);
    else unknown.push(m[0]);
  }
  return { tokens, unknown };
}

/** The text with each token replaced by its value. `{{clear}}` becomes empty text here. */
export function expandTokens(text: string, values: TokenValues): string {
  return text.replace(TOKEN_RE, (whole, inner: string) => {
    const t = parseToken(inner);
    if (!t) return whole;
    switch (t.kind) {
      case 'column':
        return values.column ? values.column(t.header) : '';
      case 'row':
        return values.row === undefined ? '' : String(values.row);
      case 'clear':
        return '';
      default:
        return values[t.kind];
    }
  });
}
