// Builds the sidebar into one self-contained dist/Sidebar.html: esbuild bundles app.ts (an IIFE
// for older browsers' sake, es2019), and the bundle and styles.css are inlined into index.html in
// place of its <script src> and <link rel=stylesheet>. HtmlService serves a single file and the
// page must load nothing from the network. The output is plain (not a scriptlet template), so
// serve it with HtmlService.createHtmlOutputFromFile('Sidebar').
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SCRIPT_TAG = '<script src="./app.ts"></script>';
const STYLE_TAG = '<link rel="stylesheet" href="./styles.css">';

/** Replaces exactly one occurrence of `tag`, or fails the build. */
function inline(html, tag, replacement) {
  const at = html.indexOf(tag);
  if (at < 0 || html.indexOf(tag, at + 1) >= 0) throw new Error(`sidebar/index.html must contain ${tag} exactly once`);
  return html.slice(0, at) + replacement + html.slice(at + tag.length);
}

/** The finished page as a string. */
export async function renderSidebar(root) {
  const dir = join(root, 'sidebar');
  const bundle = await build({
    entryPoints: [join(dir, 'app.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'warning',
  });
  const js = bundle.outputFiles[0].text
    // Text that would end the inline <script> early or start an HTML comment inside it.
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '\\x3C!--');
  const css = readFileSync(join(dir, 'styles.css'), 'utf8').replace(/<\/(style)/gi, '<\\/$1');
  let html = readFileSync(join(dir, 'index.html'), 'utf8');
  html = inline(html, STYLE_TAG, `<style>\n${css}</style>`);
  html = inline(html, SCRIPT_TAG, `<script>\n${js}</script>`);
  return html;
}

/** Writes dist/Sidebar.html and returns its path. */
export async function buildSidebar(root, dist = join(root, 'dist')) {
  mkdirSync(dist, { recursive: true });
  const out = join(dist, 'Sidebar.html');
  writeFileSync(out, await renderSidebar(root));
  return out;
}
