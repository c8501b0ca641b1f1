// The layering of DESIGN §7, enforced rather than only followed: core imports only core, the
// connectors only core, and neither names a Node or Apps Script global (they run in both places).
// The per-layer tsconfig files catch the same from the type side; this reads the sources, so it
// also catches a global that someone declares by hand to get past the type check.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const SRC = join(ROOT, 'src');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourcesUnder(path);
    return /\.(ts|mts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module a file names in an import, export … from, import() or require(), type-only ones included. */
function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.push(m[1]!);
  return found;
}

/** Whether the byte before a "/" means a regular expression starts there (not a division). */
const regexCanStart = (before: string) => before === '' || /[(,=:[!&|?{};+\-*%<>~^]$/.test(before) || /\b(?:return|typeof|case|in|of)$/.test(before);

/**
 * The code of a TypeScript file with comments, string and template text and regular expressions
 * blanked out, so that only identifiers the code really uses remain (a `URL` header name in a
 * string or "Buffer" in a comment is not a use).
 */
function codeOnly(typescript: string): string {
  const js = transformSync(typescript, { loader: 'ts', legalComments: 'none' }).code;
  let out = '';
  let i = 0;
  const depth: number[] = []; // open braces inside each ${ } of the templates we are in
  while (i < js.length) {
    const c = js[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < js.length && js[j] !== c) j += js[j] === '\\' ? 2 : 1;
      out += ' ';
      i = j + 1;
    } else if (c === '`' || (c === '}' && depth.length > 0 && depth[depth.length - 1] === 0)) {
      if (c === '}') depth.pop();
      let j = i + 1;
      while (j < js.length && js[j] !== '`' && !(js[j] === '$' && js[j + 1] === '{')) j += js[j] === '\\' ? 2 : 1;
      out += ' ';
      if (js[j] === '$') {
        depth.push(0);
        i = j + 2;
      } else i = j + 1;
    } else if (c === '/' && js[i + 1] === '/') {
      while (i < js.length && js[i] !== '\n') i++;
    } else if (c === '/' && js[i + 1] === '*') {
      i = js.indexOf('*/', i + 2) + 2;
    } else if (c === '/' && regexCanStart(out.trimEnd())) {
      let j = i + 1;
      let inClass = false;
      while (j < js.length && (js[j] !== '/' || inClass)) {
        if (js[j] === '[') inClass = true;
        else if (js[j] === ']') inClass = false;
        j += js[j] === '\\' ? 2 : 1;
      }
      out += ' ';
      i = j + 1;
    } else {
      if (depth.length > 0 && c === '{') depth[depth.length - 1]!++;
      if (depth.length > 0 && c === '}') depth[depth.length - 1]!--;
      out += c;
      i++;
    }
  }
  return out;
}

/** Globals of Node or of Apps Script that the other runtime lacks (DESIGN §7). */
const FOREIGN_GLOBALS = [
  'process', 'Buffer', 'require', '__dirname', '__filename', 'setTimeout', 'setInterval', 'setImmediate', 'fetch',
  'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'atob', 'btoa',
  'UrlFetchApp', 'SpreadsheetApp', 'PropertiesService', 'LockService', 'ScriptApp', 'Utilities', 'HtmlService', 'CacheService',
  'Session', 'Logger', 'DriveApp', 'MailApp', 'GmailApp', 'CardService',
];

/** Foreign globals the code uses: a bare name, not a property (`x.URL`) or an object key (`{ URL: … }`). */
function foreignGlobalsIn(typescript: string): string[] {
  const code = codeOnly(typescript);
  const used = new Set<string>();
  for (const name of FOREIGN_GLOBALS) {
    for (const m of code.matchAll(new RegExp(`(?<![\\w$.])${name}(?![\\w$])`, 'g'))) {
      const before = code.slice(0, m.index).trimEnd().slice(-1);
      const after = code.slice(m.index + name.length).trimStart();
      const isKey = (before === '{' || before === ',') && after.startsWith(':');
      if (!isKey) used.add(name);
    }
  }
  return [...used];
}

interface Layer {
  dir: string;
  /** Folders under src/ that relative imports may reach. */
  mayImport: readonly string[];
  /** Packages it may import by name. */
  packages: readonly string[] | 'any';
  /** Whether it runs in Apps Script and Node alike, so may name neither's globals. */
  portable: boolean;
}

/** Pure JavaScript packages, bundled into Apps Script as they are. */
const PORTABLE_PACKAGES = ['zod', 'papaparse'];

const LAYERS: readonly Layer[] = [
  { dir: 'core', mayImport: ['core'], packages: PORTABLE_PACKAGES, portable: true },
  { dir: 'connectors', mayImport: ['connectors', 'core'], packages: PORTABLE_PACKAGES, portable: true },
  { dir: 'gas', mayImport: ['gas', 'core', 'connectors'], packages: PORTABLE_PACKAGES, portable: false },
  { dir: 'cli', mayImport: ['cli', 'core', 'connectors', 'simulators'], packages: 'any', portable: false },
  { dir: 'simulators', mayImport: ['simulators', 'core', 'connectors'], packages: 'any', portable: false },
];

/** What is wrong with one file of a layer, as "path: problem" lines. */
function layeringProblems(layer: Layer, file: string, source: string): string[] {
  const name = relative(ROOT, file);
  const problems: string[] = [];
  for (const spec of importsOf(source)) {
    if (spec.startsWith('.')) {
      const target = relative(SRC, resolve(dirname(file), spec)).split(/[\\/]/)[0]!;
      if (!layer.mayImport.includes(target)) problems.push(`${name}: imports ${spec} (src/${layer.dir} may import only ${layer.mayImport.map((d) => `src/${d}`).join(', ')})`);
    } else if (layer.packages !== 'any' && !layer.packages.includes(spec)) {
      problems.push(`${name}: imports the package ${spec} (src/${layer.dir} may import only ${layer.packages.join(', ')})`);
    }
  }
  if (layer.portable && /\.(ts|mts)$/.test(file)) {
    for (const g of foreignGlobalsIn(source)) problems.push(`${name}: uses ${g}, which Apps Script or Node lacks`);
  }
  return problems;
}

describe('layering (DESIGN §7)', () => {
  for (const layer of LAYERS) {
    it(`src/${layer.dir} imports only what it may${layer.portable ? ' and names no Node or Apps Script global' : ''}`, () => {
      const files = sourcesUnder(join(SRC, layer.dir));
      expect(files.length).toBeGreaterThan(0);
      expect(files.flatMap((f) => layeringProblems(layer, f, readFileSync(f, 'utf8')))).toEqual([]);
    });
  }

  it('bites: a Node import, an Apps Script global or a reach into another layer in core is caught', () => {
    const core = LAYERS[0]!;
    const file = join(SRC, 'core', 'example.ts');
    const said = (source: string) => layeringProblems(core, file, source);
    expect(said(`import fs from 'node:fs';\nexport const x = fs;`)).toEqual(['src/core/example.ts: imports the package node:fs (src/core may import only zod, papaparse)']);
    expect(said(`import { urlFetchHttp } from '../gas/http';`)).toEqual(['src/core/example.ts: imports ../gas/http (src/core may import only src/core)']);
    expect(said(`import type { X } from '../connectors';`)).toEqual(['src/core/example.ts: imports ../connectors (src/core may import only src/core)']);
    expect(said(`export const tab = () => SpreadsheetApp.getActive();`)).toEqual(['src/core/example.ts: uses SpreadsheetApp, which Apps Script or Node lacks']);
    expect(said(`declare const process: any;\nexport const env = process.env;`)).toEqual(['src/core/example.ts: uses process, which Apps Script or Node lacks']);
    expect(said(`export const u = new URL('https://x/');`)).toEqual(['src/core/example.ts: uses URL, which Apps Script or Node lacks']);
  });

  it('does not mistake words in strings, comments, regular expressions or keys for uses', () => {
    const source = [
      `// Regex, not the URL class: process the Buffer later`,
      `const header = 'URL';`,
      `const t = \`fetch \${header} from SpreadsheetApp\`;`,
      `const r = /process|Buffer/;`,
      `const o = { URL: 1, fetch: 2 };`,
      `export const v = o.URL + t + String(r);`,
    ].join('\n');
    expect(foreignGlobalsIn(source)).toEqual([]);
  });
});
