import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scryptSync } from 'node:crypto';
import { CodedError } from '../types/errors';
import { armorPrivateKey, crc24, decodeArmor, encodeArmor, PRIVATE_KEY_BLOCK, unarmorPrivateKey } from './armor';
import { ErrInvalidArmor, ErrWrongPassphrase } from './errors';

// The Cosmos SDK's own export test vector (client/keys/import_test.go): written by Go's
// EncryptArmorPrivKey (bcrypt cost 12, xsalsa20poly1305), passphrase 123456789, Go's map
// order for the headers and no `type` header (secp256k1 implied).
const SDK_ARMOR = readFileSync(join(__dirname, '../test/fixtures/keyring/sdk-export.armor'), 'utf8');
const SDK_PASSPHRASE = '123456789';
const SDK_KEY = '2485e33678db4175dc0ecef2d6e1fc493d4a0d7f7ce83324b6ed70afe77f3485';

function codeOf(fn: () => unknown): CodedError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CodedError);
    return err as CodedError;
  }
  throw new Error('expected an error');
}

describe("the Cosmos SDK's armored private key", () => {
  test('the SDK vector decrypts, and exporting it again with its salt and nonce gives the same bytes', () => {
    const key = unarmorPrivateKey(SDK_ARMOR, SDK_PASSPHRASE);
    expect(Buffer.from(key).toString('hex')).toBe(SDK_KEY);
    const block = decodeArmor(SDK_ARMOR);
    const again = armorPrivateKey(key, SDK_PASSPHRASE, { salt: Buffer.from(block.headers.salt, 'hex'), nonce: block.data.subarray(0, 24) });
    // Same body and checksum line for line; headers in sorted order (Go writes map order) plus `type`.
    const body = (text: string) => text.trim().split('\n').slice(-4);
    expect(body(again)).toEqual(body(SDK_ARMOR));
    expect(again.split('\n').slice(0, 5)).toEqual(['-----BEGIN TENDERMINT PRIVATE KEY-----', 'kdf: bcrypt', 'salt: A790BB721D1C094260EA84F5E5B72289', 'type: secp256k1', '']);
    expect(again.endsWith('-----END TENDERMINT PRIVATE KEY-----')).toBe(true);
  });

  test('a scrypt export (the kdf newer SDKs write) imports too', () => {
    // Built from the documented format: key = scrypt(passphrase, salt, n, r, p, 32); body as for bcrypt.
    const salt = Buffer.alloc(16, 0x11);
    const nonce = Buffer.alloc(24, 0x22);
    const key = scryptSync('pw', salt, 32, { N: 1024, r: 8, p: 1 });
    const plain = Buffer.concat([Buffer.from('e1b0f79b20', 'hex'), Buffer.from(SDK_KEY, 'hex')]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- ESM package, loaded through require(esm)
    const { xsalsa20poly1305 } = require('@noble/ciphers/salsa.js') as { xsalsa20poly1305: (k: Uint8Array, n: Uint8Array) => { encrypt(p: Uint8Array): Uint8Array } };
    const data = Buffer.concat([nonce, xsalsa20poly1305(key, nonce).encrypt(plain)]);
    const armored = encodeArmor({ type: PRIVATE_KEY_BLOCK, headers: { kdf: 'scrypt', kdfparams: 'n=1024,r=8,p=1,dklen=32', salt: salt.toString('hex').toUpperCase(), type: 'secp256k1' }, data });
    expect(Buffer.from(unarmorPrivateKey(armored, 'pw')).toString('hex')).toBe(SDK_KEY);
  });

  test('wrong passphrase, changed body, other key types and other blocks are refused with their own errors', () => {
    expect(codeOf(() => unarmorPrivateKey(SDK_ARMOR, 'nope')).code).toBe(ErrWrongPassphrase.code);
    const tampered = SDK_ARMOR.replace('HbP+', 'HbQ+');
    expect(codeOf(() => unarmorPrivateKey(tampered, SDK_PASSPHRASE)).message).toMatch(/checksum does not match/);
    expect(codeOf(() => unarmorPrivateKey(SDK_ARMOR.replace('kdf: bcrypt', 'kdf: bcrypt\ntype: ed25519'), SDK_PASSPHRASE)).message).toMatch(/key type "ed25519"/);
    expect(codeOf(() => unarmorPrivateKey(SDK_ARMOR.replace(/PRIVATE KEY/g, 'PUBLIC KEY'), SDK_PASSPHRASE)).code).toBe(ErrInvalidArmor.code);
    expect(codeOf(() => unarmorPrivateKey(SDK_ARMOR.replace('kdf: bcrypt', 'kdf: argon2'), SDK_PASSPHRASE)).message).toMatch(/kdf "argon2"/);
    expect(codeOf(() => unarmorPrivateKey('garbage', SDK_PASSPHRASE)).code).toBe(ErrInvalidArmor.code);
  });

  test('CRC-24 is the OpenPGP one', () => {
    // RFC 4880's CRC of no data is its initial value.
    expect(crc24(new Uint8Array())).toBe(0xb704ce);
    expect(decodeArmor(SDK_ARMOR).data.length).toBe(24 + 16 + 37);
  });
});
