import { DirectSecp256k1HdWallet, makeSignDoc } from '@cosmjs/proto-signing';
import { stringToPath } from '@cosmjs/crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodedError } from '../../types/errors';
import { ErrKeyExists, ErrKeyNotFound, ErrWrongPassphrase, ErrInvalidMnemonic, ErrInvalidArmor, ErrInvalidKeyName } from '../../keyring/errors';
import { decodeAddress, toBech } from '../../keyring/address';
import { openKeyring } from '../../keyring/keyring';
import { parseHdPath } from '../../keyring/hd';

// BIP39 test vector mnemonic (24 words), widely used in Cosmos tests.
const MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'keyring-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

async function expectCode(p: Promise<unknown>, registered: { codespace: string; code: number }): Promise<CodedError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CodedError);
    expect((err as CodedError).codespace).toBe(registered.codespace);
    expect((err as CodedError).code).toBe(registered.code);
    return err as CodedError;
  }
  throw new Error('expected a rejection');
}

describe('keyring', () => {
  test('recover gives the address and signatures cosmjs gives for the same mnemonic', async () => {
    const kr = openKeyring({ home, backend: 'test' });
    const info = await kr.recover('alice', MNEMONIC);
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: 'kira' });
    const [account] = await wallet.getAccounts();
    expect(info.address).toBe(account.address);
    expect(Buffer.from(info.pubKey).equals(Buffer.from(account.pubkey))).toBe(true);

    const signer = await kr.signer('alice');
    const [ours] = await signer.getAccounts();
    expect(ours.address).toBe(account.address);
    const doc = makeSignDoc(Uint8Array.from([1, 2, 3]), Uint8Array.from([4, 5]), 'sekai-test', 7n);
    const a = await signer.signDirect(account.address, doc);
    const b = await wallet.signDirect(account.address, doc);
    // RFC 6979 nonces: both implementations must produce the very same bytes.
    expect(a.signature).toEqual(b.signature);
  });

  test('a non-default HD path matches cosmjs for that path', async () => {
    const kr = openKeyring({ home, backend: 'test' });
    const path = "m/44'/118'/0'/0/7";
    const info = await kr.recover('k7', MNEMONIC, { hdPath: path });
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: 'kira', hdPaths: [stringToPath(path)] });
    expect(info.address).toBe((await wallet.getAccounts())[0].address);
    expect(parseHdPath("m/44h/118'/0'/0/0")[0]).toBe(0x8000002c);
    expect(() => parseHdPath('44/1')).toThrow(/must start with m/);
  });

  test('add, list, get by address and valoper, rename, delete', async () => {
    const kr = openKeyring({ home, backend: 'test' });
    const bob = await kr.add('bob');
    expect(bob.mnemonic.split(' ')).toHaveLength(24);
    await kr.recover('alice', MNEMONIC);
    expect((await kr.list()).map((k) => k.name)).toEqual(['alice', 'bob']);
    expect((await kr.get(bob.address)).name).toBe('bob');
    expect((await kr.get(toBech('val', bob.addressBytes))).name).toBe('bob');
    await expectCode(kr.add('bob'), ErrKeyExists);
    await kr.rename('bob', 'carol');
    expect((await kr.get('carol')).address).toBe(bob.address);
    await expectCode(kr.get('bob'), ErrKeyNotFound);
    await kr.delete('carol');
    expect((await kr.list()).map((k) => k.name)).toEqual(['alice']);
    await expectCode(kr.delete('carol'), ErrKeyNotFound);
    await expectCode(kr.recover('x', 'not a mnemonic at all'), ErrInvalidMnemonic);
    await expectCode(kr.add('../evil'), ErrInvalidKeyName);
    expect(decodeAddress(bob.address).kind).toBe('acc');
  });

  test('file backend: nothing readable on disk, wrong passphrase refused', async () => {
    const kr = openKeyring({ home, backend: 'file', passphrase: 'correct horse' });
    const info = await kr.recover('alice', MNEMONIC);
    const files = readdirSync(join(home, 'keyring-file')).sort();
    expect(files).toEqual(['alice.info', 'keyhash']);
    const onDisk = readFileSync(join(home, 'keyring-file', 'alice.info'), 'utf8');
    expect(onDisk).not.toContain(info.address);
    expect(onDisk).not.toContain(Buffer.from(info.pubKey).toString('base64'));
    const wrong = openKeyring({ home, backend: 'file', passphrase: 'wrong horse' });
    await expectCode(wrong.list(), ErrWrongPassphrase);
    await expectCode(wrong.add('bob'), ErrWrongPassphrase);
    const again = openKeyring({ home, backend: 'file', passphrase: async () => 'correct horse' });
    expect((await again.get('alice')).address).toBe(info.address);
  });

  test('file backend: an entry copied under another name does not open', async () => {
    const kr = openKeyring({ home, backend: 'file', passphrase: 'pw' });
    await kr.recover('alice', MNEMONIC);
    const dir = join(home, 'keyring-file');
    writeFileSync(join(dir, 'mallory.info'), readFileSync(join(dir, 'alice.info')));
    await expect(kr.get('mallory')).rejects.toThrow(/does not open/);
  });

  test('export/import round trip across backends; wrong export passphrase refused', async () => {
    const src = openKeyring({ home, backend: 'test' });
    const info = await src.recover('alice', MNEMONIC);
    const armored = await src.export('alice', 'exportpw');
    expect(armored).toMatch(/^-----BEGIN TENDERMINT PRIVATE KEY-----\nkdf: bcrypt\nsalt: [0-9A-F]{32}\ntype: secp256k1\n\n/);
    const dst = openKeyring({ home, backend: 'file', passphrase: 'pw' });
    await expectCode(dst.import('alice2', armored, 'nope'), ErrWrongPassphrase);
    const imported = await dst.import('alice2', armored, 'exportpw');
    expect(imported.address).toBe(info.address);
    await expectCode(dst.import('alice3', 'garbage', 'exportpw'), ErrInvalidArmor);
  });
});
