import { ESLint } from 'eslint';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The determinism rules are what keep nodes from computing different AppHashes; these
// cases pin that each forbidden construct is reported in state-machine folders only.
const root = path.resolve(__dirname, '../..');
// The config is passed in rather than discovered: ESLint loads config files with a dynamic
// import, which Jest's module sandbox does not provide.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require('../../eslint.config.js');
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config });

// Typed rules need the probe to exist on disk inside the TypeScript project.
const probeDirs = new Set<string>();
async function problems(file: string, code: string): Promise<string[]> {
  const filePath = path.join(root, file.replace('lintprobe', `lintprobe_${process.pid}`));
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  probeDirs.add(path.dirname(filePath));
  fs.writeFileSync(filePath, code);
  try {
    const [result] = await eslint.lintFiles([filePath]);
    return result.messages.map((m) => m.ruleId ?? m.message);
  } finally {
    fs.rmSync(filePath);
  }
}
afterAll(() => {
  for (const dir of probeDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const cases: [string, string, string][] = [
  ['wall clock', 'export const t = Date.now();', 'no-restricted-syntax'],
  ['new Date', 'export const t = new Date();', 'no-restricted-syntax'],
  ['randomness', 'export const r = Math.random();', 'no-restricted-syntax'],
  ['float literal', 'export const r = 0.5;', 'no-restricted-syntax'],
  ['for...in', 'export function f(o: object): number { let n = 0; for (const k in o) n += k.length; return n; }', 'no-restricted-syntax'],
  ['Object.keys', 'export const k = Object.keys({ a: 1 });', 'no-restricted-syntax'],
  ['number division', 'export function f(a: number, b: number): number { return a / b; }', 'determinism/no-float-division'],
  ['Map iteration', 'export function f(m: Map<string, number>): number { let s = 0; for (const [, v] of m) s += v; return s; }', 'determinism/no-unordered-iteration'],
  ['Set spread', 'export function f(s: Set<string>): string[] { return [...s]; }', 'determinism/no-unordered-iteration'],
];

describe('determinism lint rules', () => {
  test.each(cases)('%s is reported in x/', async (_name, code, rule) => {
    expect(await problems('x/lintprobe/probe.ts', code)).toContain(rule);
  });

  test('bigint division and sorted iteration pass', async () => {
    const code = [
      "import { sortedEntries } from '../../types/sorted';",
      'export function f(m: Map<string, bigint>, a: bigint): bigint {',
      '  let s = 0n;',
      '  for (const [, v] of sortedEntries(m)) s += v;',
      '  return s / a;',
      '}',
    ].join('\n');
    expect(await problems('x/lintprobe/probe.ts', code)).toEqual([]);
  });

  test('tests and tools outside the state machine may read the clock', async () => {
    expect(await problems('cmd/lintprobe/probe.ts', 'export const t = Date.now();')).toEqual([]);
    expect(await problems('x/lintprobe/probe.test.ts', 'export const t = Date.now();')).not.toContain('no-restricted-syntax');
  });
});
