import { join } from 'node:path';
import { cli, ok, oneLineError, removeDir, tempDir } from './cli';

// Each step spawns a CLI process (about 1 s on an idle machine, several under load).
jest.setTimeout(180_000);

let dir: string;
beforeAll(() => {
  dir = tempDir('cli-errors-');
});
afterAll(() => removeDir(dir));

describe('errors a person can act on', () => {
  test('usage errors: one line, exit 1', async () => {
    expect(oneLineError(await cli(['frobnicate']))).toBe("Error: unknown command 'frobnicate'");
    expect(oneLineError(await cli(['keys', 'add', 'a', '--frob']))).toBe("Error: unknown option '--frob'");
    expect(oneLineError(await cli(['init', '--chain-id', 'x', '--home', join(dir, 'h')]))).toBe("Error: missing required argument 'moniker'");
    expect(oneLineError(await cli(['keys', 'show', 'a', '--bech', 'xyz', '--home', dir]))).toMatch(/--bech must be acc, val or cons/);
    // os (the SDK's default) is a known backend this build cannot offer: one line saying why and what to use.
    const os = /^Error: keyring-backend "os" \(the system secret service\) is not supported by sekaid-ts, which keeps keys only in files under its home: use file \(encrypted with a passphrase\) or test \(plaintext, development only\)/;
    expect(oneLineError(await cli(['keys', 'list', '--keyring-backend', 'os', '--home', dir]))).toMatch(os);
    expect(oneLineError(await cli(['tx', 'customslashing', 'pause', '--from', 'a', '--keyring-backend', 'os', '--yes', '--home', dir]))).toMatch(os);
    expect(oneLineError(await cli(['keys', 'list', '--keyring-backend', 'kwallet', '--home', dir]))).toMatch(/Allowed choices are os, file, test/);
    expect(oneLineError(await cli(['keys', 'list', '--log_format', 'xml', '--home', dir]))).toBe('Error: --log_format must be plain or json, got "xml": invalid usage');
    expect(oneLineError(await cli(['keys', 'list', '--home', dir], { env: { SEKAID_KEYRING_BACKEND: 'os' } }))).toMatch(os);
  });

  test('missing home files are named', async () => {
    expect(oneLineError(await cli(['comet', 'show-node-id', '--home', join(dir, 'none')]))).toMatch(/none\/config\/node_key\.json: missing file/);
    expect(oneLineError(await cli(['genesis', 'validate', '--home', join(dir, 'none')]))).toMatch(/genesis\.json: missing file/);
  });

  test('--trace adds the stack trace', async () => {
    const r = await cli(['keys', 'show', 'ghost', '--home', dir, '--trace']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Error: no key named "ghost"/);
    expect(lines.some((l) => /^\s+at /.test(l))).toBe(true);
  });

  test('--log_format json writes JSON log lines on stderr; --output json on stdout', async () => {
    const r = await ok(['init', 'n', '--chain-id', 'c-1', '--home', join(dir, 'j'), '--log_format', 'json', '-o', 'json']);
    const log = JSON.parse(r.stderr.trim().split('\n')[0]);
    expect(log).toMatchObject({ level: 'info', module: 'main', msg: 'initialized node home', chain_id: 'c-1' });
    expect(log.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(JSON.parse(r.stdout)).toMatchObject({ moniker: 'n', chain_id: 'c-1' });
    const quiet = await ok(['init', 'n', '--chain-id', 'c-1', '--home', join(dir, 'q'), '--log_level', 'error']);
    expect(quiet.stderr).toBe('');
  });

  test('help exits 0 and lists the extension roots', async () => {
    const r = await ok(['--help']);
    for (const c of ['init', 'keys', 'genesis', 'testnet', 'tx', 'query', 'comet']) expect(r.stdout).toContain(c);
  });
});
