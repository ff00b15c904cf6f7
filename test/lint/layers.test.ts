import { ESLint } from 'eslint';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The layers keep each folder reusable: the store and ABCI serve any state machine, the runtime
// any chain, the node any ABCI app. The lint rule enforces the table file by file; this test
// reads the whole source tree and checks the table and the absence of folder cycles, so a
// cycle through a folder the table does not list (x → node → x) is caught too.
const root = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const layers = require('../../eslint/layers.js') as { table: Record<string, { forbid: string[] }> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require('../../eslint.config.js');

const SKIP = new Set(['node_modules', 'dist', 'coverage', '.git', 'gen']);
function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name) || e.name.startsWith('lintprobe')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g;
const topFolder = (file: string): string => path.relative(root, file).split(path.sep)[0];

/** Folder-level import edges, each with one file that makes it. */
function folderEdges(includeTests: boolean): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const file of sources(root)) {
    const from = topFolder(file);
    if (!includeTests && (file.endsWith('.test.ts') || from === 'test' || from === 'bench')) continue;
    for (const m of fs.readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const to = topFolder(path.resolve(path.dirname(file), m[1]));
      if (to === from || to.startsWith('..')) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, path.relative(root, file));
    }
  }
  return edges;
}

/** A cycle in the graph as a list of folders (first = last), or undefined. */
function findCycle(edges: Map<string, Map<string, string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const next of [...(edges.get(n)?.keys() ?? [])].sort()) {
      const c = visit(next);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of [...edges.keys()].sort()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

describe('layers', () => {
  it('no file imports a folder its layer forbids (tests included)', () => {
    const edges = folderEdges(true);
    const violations: string[] = [];
    for (const [from, { forbid }] of Object.entries(layers.table)) {
      for (const to of forbid) {
        const file = edges.get(from)?.get(to);
        if (file) violations.push(`${from} → ${to} (${file})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the folder import graph of the product code has no cycle', () => {
    const edges = folderEdges(false);
    // The graph is not trivially empty: the layers this test is about are all in it.
    expect(edges.get('x')?.has('runtime')).toBe(true);
    expect(edges.get('app')?.has('x')).toBe(true);
    expect(edges.get('runtime')?.has('store')).toBe(true);
    expect(findCycle(edges)).toBeUndefined();
  });

  it('finds a cycle when there is one', () => {
    const g = new Map([
      ['app', new Map([['x', 'app/app.ts']])],
      ['x', new Map([['runtime', 'x/a.ts'], ['app', 'x/b.ts']])],
    ]);
    expect(findCycle(g)).toEqual(['app', 'x', 'app']);
  });

  describe('the lint rule', () => {
    const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config });
    const probes: string[] = [];
    async function rules(dir: string, code: string): Promise<string[]> {
      const file = path.join(root, dir, `lintprobe_${process.pid}`, 'probe.ts');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      probes.push(path.dirname(file));
      fs.writeFileSync(file, code);
      try {
        const [result] = await eslint.lintFiles([file]);
        return result.messages.map((m) => m.ruleId ?? m.message);
      } finally {
        fs.rmSync(file);
      }
    }
    afterAll(() => {
      for (const dir of probes) fs.rmSync(dir, { recursive: true, force: true });
    });

    const cases: [string, string, boolean][] = [
      ['runtime', "import { createApp } from '../../app/app';\nexport const f = createApp;", true],
      ['runtime', "export { bankModule } from '../../x/bank';", true],
      ['runtime', "export const m = import('../../node/node');", true],
      ['store', "import type { Context } from '../../runtime/context';\nexport type C = Context;", true],
      ['types', "import { sha256 } from '../../crypto/hash';\nexport const h = sha256;", true],
      ['node', "import { bankModule } from '../../x/bank';\nexport const m = bankModule;", true],
      ['x', "import { createApp } from '../../app/app';\nexport const f = createApp;", true],
      ['x', "import { nowTimestamp } from '../../node/engine/engine';\nexport const n = nowTimestamp;", true],
      ['x', "import type { Context } from '../../runtime/context';\nexport type C = Context;", false],
      ['runtime', "import { sha256 } from '../../crypto/hash';\nexport const h = sha256;", false],
    ];
    it.each(cases)('%s: %s', async (dir, code, reported) => {
      const found = await rules(dir, code);
      expect(found.includes('layers/no-layer-violation')).toBe(reported);
    }, 60_000);

    // Inside x/, another module is reached through its index.ts only (the probe is its own module).
    const internals: [string, boolean][] = [
      ["import { checkSender } from '../accountid/msgServer';\nexport const c = checkSender;", true],
      ["import type { ValidatorProperties } from '../customstaking/types/params';\nexport type V = ValidatorProperties;", true],
      ["import { checkSender } from '../accountid';\nexport const c = checkSender;", false],
      ["import { checkSender } from '../accountid/index';\nexport const c = checkSender;", false],
    ];
    it.each(internals)('x: %s', async (code, reported) => {
      const found = await rules('x', code);
      expect(found.includes('layers/no-module-internals')).toBe(reported);
    }, 60_000);

    // The wiring and the tools reach a module through its index.ts too (genesis tooling uses the module's own parsers).
    const outside: [string, string, boolean][] = [
      ['cmd', "import { parsePermissionText } from '../../x/gov/genesisEditor';\nexport const p = parsePermissionText;", true],
      ['app', "import { GovKeeper } from '../../x/gov/keeper';\nexport const k = GovKeeper;", true],
      ['cmd', "import { parsePermissionText } from '../../x/gov';\nexport const p = parsePermissionText;", false],
    ];
    it.each(outside)('%s: %s', async (dir, code, reported) => {
      const found = await rules(dir, code);
      expect(found.includes('layers/no-module-internals')).toBe(reported);
    }, 60_000);
  });
});
