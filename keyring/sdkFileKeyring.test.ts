import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodedError } from '../types/errors';
import { ErrCorruptKeyring, ErrKeyNotFound, ErrWrongPassphrase } from './errors';
import { openKeyring } from './keyring';
import { aminoPrefix, readSdkKeyring } from './sdkFileKeyring';
import { FILE_PASSPHRASE, fixtureKey } from '../test/fixtures/keyring/sdk-file-keyring/generate';

// Written by generate.ts beside them with node:crypto (an independent JWE writer) in the
// formats of the Cosmos SDK's file and test keyrings.
const FIXTURES = join(__dirname, '../test/fixtures/keyring/sdk-file-keyring');
const FILE_DIR = join(FIXTURES, 'keyring-file');
const TEST_DIR = join(FIXTURES, 'keyring-test');

async function codeOf(p: Promise<unknown>): Promise<CodedError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CodedError);
    return err as CodedError;
  }
  throw new Error('expected an error');
}

describe("the Cosmos SDK's file and test keyrings", () => {
  test('Amino prefixes match the known ones (PubKeySecp256k1 eb5ae987, PrivKeySecp256k1 e1b0f79b)', () => {
    expect(aminoPrefix('tendermint/PubKeySecp256k1').toString('hex')).toBe('eb5ae987');
    expect(aminoPrefix('tendermint/PrivKeySecp256k1').toString('hex')).toBe('e1b0f79b');
  });

  test('a file keyring opens with its passphrase: proto Record, legacy Amino info, and a Ledger key that has no private key', async () => {
    const asked: string[] = [];
    const keys = await readSdkKeyring(FILE_DIR, { passphrase: () => (asked.push('x'), FILE_PASSPHRASE) });
    expect(asked).toHaveLength(1);
    expect(keys.map((k) => [k.name, k.kind, k.encoding, k.unsupported === undefined])).toEqual([
      ['alice', 'local', 'proto', true],
      ['bob', 'local', 'amino', true],
      ['carol', 'ledger', 'proto', false],
    ]);
    expect(Buffer.from(keys[0].privateKey!).equals(fixtureKey('alice'))).toBe(true);
    expect(Buffer.from(keys[1].privateKey!).equals(fixtureKey('bob'))).toBe(true);
    expect(keys[2].privateKey).toBeUndefined();
    expect(keys[2].unsupported).toMatch(/ledger key holds no private key/);
  });

  test('a test keyring opens with the fixed passphrase "test" without asking', async () => {
    const keys = await readSdkKeyring(TEST_DIR, { passphrase: () => { throw new Error('must not ask'); } });
    expect(keys.map((k) => k.name)).toEqual(['dave']);
    expect(Buffer.from(keys[0].privateKey!).equals(fixtureKey('dave'))).toBe(true);
  });

  test('a wrong passphrase is refused by the keyhash before any entry is opened', async () => {
    const err = await codeOf(readSdkKeyring(FILE_DIR, { passphrase: () => 'not it' }));
    expect(err.is(ErrWrongPassphrase)).toBe(true);
    expect(err.message).toMatch(/keyhash/);
  });

  test('without keyhash, an entry that does not open is a wrong passphrase; a tampered entry is corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdk-kr-'));
    try {
      cpSync(FILE_DIR, dir, { recursive: true });
      rmSync(join(dir, 'keyhash'));
      expect((await codeOf(readSdkKeyring(dir, { passphrase: () => 'not it' }))).is(ErrWrongPassphrase)).toBe(true);
      expect((await readSdkKeyring(dir, { passphrase: () => FILE_PASSPHRASE })).length).toBe(3);
      writeFileSync(join(dir, 'bob.info'), 'not a jwe');
      const err = await codeOf(readSdkKeyring(dir, { passphrase: () => FILE_PASSPHRASE }));
      expect(err.is(ErrCorruptKeyring)).toBe(true);
      expect(err.message).toMatch(/bob\.info/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a directory with no entries says it is not an SDK keyring', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdk-kr-'));
    try {
      expect((await codeOf(readSdkKeyring(dir, { passphrase: () => '' }))).is(ErrKeyNotFound)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('imported keys land in a sekaid-ts keyring with the SDK address (from the .address entries)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sdk-kr-home-'));
    try {
      const kr = openKeyring({ home, backend: 'test' });
      for (const k of await readSdkKeyring(FILE_DIR, { passphrase: () => FILE_PASSPHRASE })) {
        if (k.privateKey) await kr.importPrivateKey(k.name, k.privateKey);
      }
      const hexAddresses = readdirSync(FILE_DIR).filter((f) => f.endsWith('.address')).map((f) => f.slice(0, 40));
      const imported = await kr.list();
      expect(imported.map((k) => k.name)).toEqual(['alice', 'bob']);
      for (const k of imported) expect(hexAddresses).toContain(Buffer.from(k.addressBytes).toString('hex'));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
