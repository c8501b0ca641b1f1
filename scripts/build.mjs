// Builds everything from src/: the Apps Script bundle (dist/Code.js + dist/appsscript.json) and
// the sheets-sync CLI (dist/cli/). Apps Script has no modules, so Code.js is one IIFE plus real
// top-level functions that delegate into it (menus and triggers look functions up by name).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const GLOBAL = 'SheetsSync';

/**
 * zod re-exports every language's error messages (about 340 KB); the add-on only needs English,
 * and every Apps Script execution pays for loading the bundle.
 */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(b) {
    b.onResolve({ filter: /locales\/index\.js$/ }, (args) =>
      /zod[\/]v4[\/](classic|core)[\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'zod-en' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-en' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(join(root, 'node_modules/zod/v4/locales/en.js'))};`,
      resolveDir: root,
    }));
  },
};

/** papaparse asks for Node's `stream` only for Node stream input, which Apps Script never uses. */
const noNodeStream = {
  name: 'no-node-stream',
  setup(b) {
    b.onResolve({ filter: /^stream$/ }, () => ({ path: 'stream', namespace: 'empty' }));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};' }));
  },
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'cli'), { recursive: true });

// Every export of src/gas/main.ts becomes a top-level function delegating into the bundle.
const gas = await build({
  entryPoints: [join(root, 'src/gas/main.ts')],
  write: false,
  outfile: join(dist, 'Code.js'),
  bundle: true,
  format: 'iife',
  globalName: GLOBAL,
  platform: 'neutral',
  target: 'es2020',
  mainFields: ['module', 'main'],
  plugins: [englishOnlyZod, noNodeStream],
  logLevel: 'warning',
});
// An IIFE's metafile lists no exports; an ESM build of the same entry (not written) does.
const esm = await build({ entryPoints: [join(root, 'src/gas/main.ts')], write: false, metafile: true, outdir: dist, bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], plugins: [englishOnlyZod, noNodeStream], logLevel: 'warning' });
const exported = Object.values(esm.metafile.outputs).find((o) => o.entryPoint).exports.sort();
const stubs = exported.map((name) => `function ${name}() { return ${GLOBAL}.${name}.apply(this, arguments); }`).join('\n');
writeFileSync(join(dist, 'Code.js'), `${gas.outputFiles[0].text}\n// Entry points Apps Script can see.\n${stubs}\n`);
copyFileSync(join(root, 'appsscript.json'), join(dist, 'appsscript.json'));

/** A Node bundle in dist/cli/. */
const nodeBundle = (entry, outfile, extra = {}) =>
  build({
    entryPoints: [join(root, entry)],
    outfile: join(dist, 'cli', outfile),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    ...extra,
  });

await nodeBundle('src/cli/main.ts', 'sheets-sync.mjs', {
  // The worker is loaded by path at run time, and synckit resolves it next to this file.
  external: ['synckit'],
  // Bundled CommonJS dependencies (papaparse) call require for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
copyFileSync(join(root, 'src/cli/http-worker.mjs'), join(dist, 'cli/http-worker.mjs'));
// The simulators on their own, for the demo and the benchmark.
await nodeBundle('src/simulators/server.ts', 'simulators.mjs');
writeFileSync(join(dist, 'cli/package.json'), '{ "type": "module" }\n');
// The sidebar page, one self-contained file: dist/Sidebar.html.
await (await import('../sidebar/build.mjs')).buildSidebar(root, dist);
