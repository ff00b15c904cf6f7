// Every module under x/ has the one anatomy CONTRIBUTING.md describes: the same files, a
// module.ts built with defineModule, and files small enough to read. The few places that do
// not follow it yet are listed in KNOWN_GAPS; the test fails when one of them is fixed and
// still listed, so the list only shrinks and stays true.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const xDir = path.join(root, 'x');
const modules = fs
  .readdirSync(xDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** The files every module has (`keeper.ts` or a `keeper/` folder counts as `keeper`). */
const REQUIRED = [
  'module.ts',
  'keeper',
  'msgServer.ts',
  'queryServer.ts',
  'genesis.ts',
  'cli.ts',
  'index.ts',
  'README.md',
  'types/keys.ts',
  'types/errors.ts',
  'types/events.ts',
];
const MAX_LINES = 600;

/** `<module>: <what>` for each known departure from the anatomy (none today; add one only with a reason). */
const KNOWN_GAPS = new Set<string>([]);

function has(mod: string, file: string): boolean {
  if (file === 'keeper') return fs.existsSync(path.join(xDir, mod, 'keeper.ts')) || fs.existsSync(path.join(xDir, mod, 'keeper', 'index.ts'));
  return fs.existsSync(path.join(xDir, mod, file));
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return /\.tsx?$/.test(d.name) && !/\.test\.tsx?$/.test(d.name) ? [p] : [];
  });
}

function gaps(): string[] {
  const found: string[] = [];
  for (const mod of modules) {
    for (const file of REQUIRED) if (!has(mod, file)) found.push(`${mod}: missing ${file}`);
    const moduleFile = path.join(xDir, mod, 'module.ts');
    if (fs.existsSync(moduleFile) && !/\bdefineModule\(/.test(fs.readFileSync(moduleFile, 'utf8'))) found.push(`${mod}: module.ts does not call defineModule`);
    for (const file of sources(path.join(xDir, mod))) {
      const lines = fs.readFileSync(file, 'utf8').split('\n').length;
      if (lines > MAX_LINES) found.push(`${mod}: ${path.relative(path.join(xDir, mod), file)} has more than ${MAX_LINES} lines`);
    }
  }
  return found.sort();
}

/** Tracked source files outside tests, generated protobuf code and vendored code. */
function trackedSources(): string[] {
  const listed = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n');
  return listed.filter((f) => /\.(ts|tsx|js|mjs|cjs)$/.test(f) && !/\.test\.tsx?$/.test(f) && !/^(proto\/gen|test|third_party)\//.test(f));
}

describe('file sizes', () => {
  it(`no source file outside tests and generated code has more than ${MAX_LINES} lines`, () => {
    const files = trackedSources();
    expect(files.length).toBeGreaterThan(100);
    const long = files.filter((f) => fs.existsSync(path.join(root, f)) && fs.readFileSync(path.join(root, f), 'utf8').split('\n').length > MAX_LINES);
    expect(long).toEqual([]);
  });
});

describe('module anatomy', () => {
  it('finds the modules', () => {
    expect(modules).toEqual(expect.arrayContaining(['accountid', 'bank', 'bridge', 'customslashing', 'customstaking', 'gov', 'multistaking', 'notarypay']));
  });

  it('every module has the files, defineModule and sizes CONTRIBUTING.md lists (known gaps aside)', () => {
    const found = gaps();
    expect(found.filter((g) => !KNOWN_GAPS.has(g))).toEqual([]);
  });

  it('every known gap is still a gap (remove it from the list once fixed)', () => {
    const found = new Set(gaps());
    expect([...KNOWN_GAPS].filter((g) => !found.has(g))).toEqual([]);
  });

  it("CONTRIBUTING.md's module table lists exactly the required files", () => {
    const text = fs.readFileSync(path.join(root, 'CONTRIBUTING.md'), 'utf8');
    const section = text.slice(text.indexOf('## A module'), text.indexOf('## A message'));
    const listed = [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1].replace(/ .*$/, ''));
    const normalise = (f: string) => (f === 'keeper.ts' ? 'keeper' : f);
    const optional = new Set(['types/params.ts', 'types/expectedKeepers.ts']);
    expect(listed.map(normalise).filter((f) => !optional.has(f)).sort()).toEqual([...REQUIRED].sort());
  });
});
