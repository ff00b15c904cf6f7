import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { fromBech32 } from '@cosmjs/encoding';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ok, oneLineError, removeDir, tempDir } from './cli';

// Each step spawns a CLI process (about 1 s on an idle machine, several under load).
jest.setTimeout(180_000);

const MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art';

let dir: string;
beforeAll(() => {
  dir = tempDir('cli-keys-');
});
afterAll(() => removeDir(dir));

describe.each([
  ['test', [] as string[]],
  ['file', ['--keyring-passphrase', 'hunter22']],
])('sekaid-ts keys (%s backend)', (backend, passFlags) => {
  const home = () => join(dir, backend);
  const k = (...args: string[]) => [...args, '--home', home(), '--keyring-backend', backend, ...passFlags];

  test('add, list, show, -a, --bech, rename, delete', async () => {
    const added = JSON.parse((await ok(k('keys', 'add', 'alice', '--output', 'json'))).stdout);
    expect(Object.keys(added).sort()).toEqual(['address', 'mnemonic', 'name', 'pubkey', 'type']);
    expect(added.type).toBe('local');
    expect(added.mnemonic.split(' ')).toHaveLength(24);
    expect(JSON.parse(added.pubkey)['@type']).toBe('/cosmos.crypto.secp256k1.PubKey');
    // The printed mnemonic recovers the printed address (checked with cosmjs).
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(added.mnemonic, { prefix: 'kira' });
    expect((await wallet.getAccounts())[0].address).toBe(added.address);

    await ok(k('keys', 'add', 'bob', '--output', 'json'));
    const list = JSON.parse((await ok(k('keys', 'list', '--output', 'json'))).stdout);
    expect(list.map((x: { name: string }) => x.name)).toEqual(['alice', 'bob']);

    const shown = JSON.parse((await ok(k('keys', 'show', 'alice', '-o', 'json'))).stdout);
    expect(shown).toEqual({ name: 'alice', type: 'local', address: added.address, pubkey: added.pubkey });
    expect((await ok(k('keys', 'show', 'alice', '-a'))).stdout.trim()).toBe(added.address);
    const val = (await ok(k('keys', 'show', 'alice', '-a', '--bech', 'val'))).stdout.trim();
    const cons = (await ok(k('keys', 'show', 'alice', '-a', '--bech', 'cons'))).stdout.trim();
    expect(fromBech32(val, 90).prefix).toBe('kiravaloper');
    expect(fromBech32(cons, 90).prefix).toBe('kiravalcons');
    expect(fromBech32(val, 90).data).toEqual(fromBech32(added.address, 90).data);
    // Lookup by address works too.
    expect(JSON.parse((await ok(k('keys', 'show', val, '-o', 'json'))).stdout).name).toBe('alice');

    await ok(k('keys', 'rename', 'bob', 'carol', '-y'));
    expect(JSON.parse((await ok(k('keys', 'list', '-o', 'json'))).stdout).map((x: { name: string }) => x.name)).toEqual(['alice', 'carol']);
    await ok(k('keys', 'delete', 'carol', '--yes'));
    expect(JSON.parse((await ok(k('keys', 'list', '-o', 'json'))).stdout).map((x: { name: string }) => x.name)).toEqual(['alice']);
    expect(oneLineError(await cli(k('keys', 'show', 'carol')))).toMatch(/no key named "carol"/);
    expect(oneLineError(await cli(k('keys', 'add', 'alice')))).toMatch(/already in the .* keyring/);
    // Without --yes the question is asked on stdin; "n" aborts.
    expect(oneLineError(await cli(k('keys', 'delete', 'alice'), { input: 'n\n' }))).toMatch(/aborted/);
  });

  test('--recover from a known mnemonic gives the address cosmjs derives', async () => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: 'kira' });
    const expected = (await wallet.getAccounts())[0].address;
    const r = JSON.parse((await ok(k('keys', 'add', 'rec', '--recover', '-o', 'json'), { input: MNEMONIC + '\n' })).stdout);
    expect(r.address).toBe(expected);
    expect(r.mnemonic).toBeUndefined();
    expect(oneLineError(await cli(k('keys', 'add', 'rec2', '--recover'), { input: 'abandon abandon\n' }))).toMatch(/invalid mnemonic/);
  });

  test('export and import (armored, passphrase-encrypted)', async () => {
    const addr = (await ok(k('keys', 'show', 'rec', '-a'))).stdout.trim();
    const armored = (await ok(k('keys', 'export', 'rec', '--armor-passphrase', 'export-pw'))).stdout;
    expect(armored).toMatch(/^-----BEGIN TENDERMINT PRIVATE KEY-----/);
    const file = join(dir, `${backend}.armor`);
    writeFileSync(file, armored);
    expect(oneLineError(await cli(k('keys', 'import', 'rec-copy', file, '--armor-passphrase', 'wrong')))).toMatch(/wrong passphrase/);
    const imported = JSON.parse((await ok(k('keys', 'import', 'rec-copy', file, '--armor-passphrase', 'export-pw', '-o', 'json'))).stdout);
    expect(imported.address).toBe(addr);
    expect(oneLineError(await cli(k('keys', 'export', 'rec', '--unarmored-hex')))).toMatch(/--unsafe/);
    expect((await ok(k('keys', 'export', 'rec', '--unarmored-hex', '--unsafe'))).stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('file keyring passphrases', () => {
  test('wrong passphrase is refused; env and stdin passphrases work', async () => {
    const home = join(dir, 'pw');
    const base = ['--home', home, '--keyring-backend', 'file'];
    await ok(['keys', 'add', 'a', ...base, '--keyring-passphrase', 'right-one']);
    expect(oneLineError(await cli(['keys', 'list', ...base, '--keyring-passphrase', 'wrong-one']))).toMatch(/wrong passphrase/);
    expect(oneLineError(await cli(['keys', 'add', 'b', ...base], { env: { SEKAID_KEYRING_PASSPHRASE: 'wrong-one' } }))).toMatch(/wrong passphrase/);
    expect((await ok(['keys', 'list', ...base, '-o', 'json'], { env: { SEKAID_KEYRING_PASSPHRASE: 'right-one' } })).stdout).toContain('"name":"a"');
    expect((await ok(['keys', 'list', ...base, '-o', 'json'], { input: 'right-one\n' })).stdout).toContain('"name":"a"');
    expect(oneLineError(await cli(['keys', 'list', ...base]))).toMatch(/no input on stdin|passphrase/);
  });
});
