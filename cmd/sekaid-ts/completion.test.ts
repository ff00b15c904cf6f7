import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bashCompletion, fishCompletion, zshCompletion } from './completion';
import { buildCli } from './root';
import { sekaiExtensions } from './sekaiCli';
import { versionInfo } from './version';

const { program } = buildCli(sekaiExtensions());

describe('completion scripts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'completion-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** What bash completes for the words typed so far (the last one being completed). */
  function complete(...words: string[]): string[] {
    const script = join(dir, 'c.bash');
    writeFileSync(script, bashCompletion(program));
    const line = words.map((w) => `'${w}'`).join(' ');
    const out = execFileSync('bash', ['-c', `source ${script}; COMP_WORDS=(sekaid-ts ${line}); COMP_CWORD=${words.length}; _sekaid_ts; printf '%s\\n' "\${COMPREPLY[@]}"`]).toString();
    return out.split('\n').filter((l) => l !== '');
  }

  test('bash completes commands, subcommands and inherited flags at every depth', () => {
    expect(complete('key')).toEqual(['keys']);
    expect(complete('tx', 'bank', '')).toContain('send');
    expect(complete('--home', '/x', 'tx', 'customslashing', '')).toEqual(expect.arrayContaining(['pause', 'unpause', 'activate']));
    expect(complete('tx', 'customslashing', 'pause', '--f')).toEqual(['--from', '--fees']);
    expect(complete('q', 'bank', '')).toEqual(expect.arrayContaining(['balances', 'total']));
    expect(complete('completion', '--')).toContain('--output');
  });

  test('zsh loads the bash script through bashcompinit; fish gets one line per command and flag', () => {
    expect(zshCompletion(program)).toMatch(/^#compdef sekaid-ts\n#.*\nautoload -U \+X bashcompinit && bashcompinit\n/);
    const fish = fishCompletion(program);
    expect(fish).toContain(`complete -c sekaid-ts -n 'test (__sekaid_ts_path) = '\\''tx bank'\\''' -a 'send'`);
    expect(fish).toContain(`complete -c sekaid-ts -n 'test (__sekaid_ts_path) = '\\''tx customslashing pause'\\''' -l 'from'`);
  });
});

test('version --long names the release, commit, app and CometBFT versions, Node.js and every dependency', () => {
  const info = versionInfo('v9.9.9');
  expect(info).toMatchObject({ name: 'sekai-ts', server_name: 'sekaid-ts', version: expect.stringMatching(/^\d+\.\d+\.\d+/), app_version: 'v9.9.9', node: process.version });
  expect(info.cometbft_version).toMatch(/^0\.38\./);
  expect(info.build_deps).toEqual(expect.arrayContaining([expect.stringMatching(/^commander@\d+\.\d+\.\d+$/), expect.stringMatching(/^yaml@\d/)]));
  expect(info.build_deps.some((d) => d.endsWith('@missing'))).toBe(false);
});
