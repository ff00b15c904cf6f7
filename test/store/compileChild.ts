/**
 * Compiles a child-process entry point and every project file it imports (relative imports,
 * followed transitively) to CommonJS with SWC, once, into a temporary directory. Crash tests
 * fork the child dozens of times; starting plain JS takes a fraction of the time a
 * TypeScript-on-the-fly loader needs to compile the same files in every new process.
 */
import { transformFileSync } from '@swc/core';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

function resolveTs(fromFile: string, spec: string): string | undefined {
  const base = resolve(dirname(fromFile), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return undefined;
}

/** Returns the path of the compiled entry; `NODE_PATH` must point at the project's node_modules. */
export function compileChild(entry: string): { script: string; env: NodeJS.ProcessEnv; outDir: string } {
  const outDir = mkdtempSync(join(tmpdir(), 'child-js-'));
  const seen = new Set<string>();
  const queue = [resolve(entry)];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/(?:from|import|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const dep = resolveTs(file, m[1]);
      if (dep) queue.push(dep);
    }
    const { code } = transformFileSync(file, {
      jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
      module: { type: 'commonjs' },
      sourceMaps: false,
    });
    const out = join(outDir, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, code);
  }
  const script = join(outDir, relative(ROOT, resolve(entry))).replace(/\.ts$/, '.js');
  return { script, env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') }, outDir };
}
