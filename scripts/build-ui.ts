/**
 * Builds the web UI (web/) into dist/ui with esbuild: one minified ES module and one
 * stylesheet, content-hashed, plus index.html pointing at them and a .gz of each file that the
 * node's UI server sends to browsers that accept gzip. `npm run build` runs this; so do
 * `npm start` and the browser tests, since a build takes well under a second.
 *
 *   node -r @swc-node/register scripts/build-ui.ts [outDir]
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(__dirname, '..');
export const DEFAULT_UI_DIR = join(ROOT, 'dist', 'ui');

export interface UiBuild {
  outDir: string;
  /** File name → { bytes, gzip bytes } of what the page loads. */
  files: Record<string, { bytes: number; gzip: number }>;
}

export async function buildUi(outDir = DEFAULT_UI_DIR): Promise<UiBuild> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(ROOT, 'web', 'src', 'main.tsx'), style: join(ROOT, 'web', 'src', 'style.css') },
    outdir: outDir,
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    // The generated protobuf code names Node's Buffer for bytes fields; a 1 kB stand-in replaces it.
    inject: [join(ROOT, 'web', 'src', 'shims', 'buffer.ts')],
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const js = outputs.find((f) => f.startsWith('app-') && f.endsWith('.js'));
  const css = outputs.find((f) => f.startsWith('style-') && f.endsWith('.css'));
  if (!js || !css) throw new Error(`UI build produced ${outputs.join(', ')}: expected app-*.js and style-*.css`);
  // esbuild emits an empty style-*.js for the CSS entry: the page never loads it.
  for (const f of outputs) if (f.startsWith('style-') && f.endsWith('.js')) rmSync(join(outDir, f));
  const html = readFileSync(join(ROOT, 'web', 'index.html'), 'utf8').replace('%JS%', `./${js}`).replace('%CSS%', `./${css}`);
  writeFileSync(join(outDir, 'index.html'), html);
  const files: UiBuild['files'] = {};
  for (const f of readdirSync(outDir)) {
    const body = readFileSync(join(outDir, f));
    const gz = gzipSync(body, { level: 9 });
    writeFileSync(join(outDir, `${f}.gz`), gz);
    files[f] = { bytes: body.length, gzip: gz.length };
  }
  return { outDir, files };
}

if (require.main === module) {
  buildUi(process.argv[2] ? resolve(process.argv[2]) : DEFAULT_UI_DIR).then(
    ({ outDir, files }) => {
      const total = Object.values(files).reduce((s, f) => s + f.gzip, 0);
      console.log(`UI built in ${outDir}: ${Object.entries(files).map(([f, s]) => `${f} ${s.bytes} B (${s.gzip} B gzipped)`).join(', ')}; ${total} B gzipped in all`);
    },
    (err: unknown) => {
      console.error(`UI build failed: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
