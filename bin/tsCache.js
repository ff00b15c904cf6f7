'use strict';
/**
 * Runs the TypeScript sources without a build: a require hook for `.ts` that transpiles each
 * file with SWC once and keeps the JavaScript in a content-addressed cache
 * (node_modules/.cache/sekaid-ts, or $SEKAID_TS_CACHE_DIR).
 *
 * Why: every CLI line is a new process. Loading SWC's native binding costs ~0.4 s and
 * transpiling ~300 files another ~0.3-0.6 s on each run; with a warm cache a run reads plain
 * JavaScript and never loads SWC. The key is a hash of the file path, its full text, the SWC
 * version and these options, so an edited file is transpiled again and a stale entry can never
 * be served (tests run the source through this hook and see every edit).
 *
 * Source maps are inlined; `--trace` turns on Node's source-map support so stacks point at the
 * TypeScript lines (off otherwise: parsing maps for every module would cost startup time).
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const root = path.resolve(__dirname, '..');
const cacheDir = process.env.SEKAID_TS_CACHE_DIR || path.join(root, 'node_modules', '.cache', 'sekaid-ts');
// Mirrors tsconfig.json (target ES2022, CommonJS output) as Jest's SWC transform does.
const OPTIONS = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

let swc;
let salt;
function keySalt() {
  if (salt === undefined) {
    let version = 'unknown';
    try {
      version = JSON.parse(fs.readFileSync(require.resolve('@swc/core/package.json', { paths: [root] }), 'utf8')).version;
    } catch {
      // Without the version the key still changes with the text and options.
    }
    salt = `${version}\0${JSON.stringify(OPTIONS)}\0`;
  }
  return salt;
}

function transpile(filename, source) {
  const key = crypto.createHash('sha256').update(keySalt()).update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, key + '.js');
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // Miss: transpile below.
  }
  swc ??= require(require.resolve('@swc/core', { paths: [root] }));
  const { code } = swc.transformSync(source, { ...OPTIONS, filename });
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    // Write then rename, so a concurrent run never reads half a file.
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, cached);
  } catch {
    // A read-only checkout still runs, just without the cache.
  }
  return code;
}

if (process.argv.includes('--trace')) process.setSourceMapsEnabled(true);

require.extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(transpile(filename, fs.readFileSync(filename, 'utf8')), filename);
};
