import { Ed25519 } from '@cosmjs/crypto';

import { CodedError } from '../types/errors';
import { ErrInvalidKeyJson, ErrInvalidPrivateKey, ErrInvalidPublicKey } from './errors';
import {
  ed25519FromJson,
  ed25519FromSeed,
  ed25519ToCometJson,
  ed25519ToCosmosJson,
  formatKeyFile,
  generateEd25519,
  nodeIdFromEd25519,
  nodeKeyJson,
  parseNodeKey,
  parsePrivValidatorKey,
  privValidatorKeyJson,
  secp256k1ToCosmosJson,
  signEd25519,
  verifyEd25519,
} from './keys';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fromHex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

function codeOf(fn: () => unknown): CodedError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CodedError) return e;
    throw e;
  }
  throw new Error('expected a CodedError');
}

// RFC 8032 section 7.1, TEST 1 and TEST 2.
const RFC1 = {
  seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  pub: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  msg: '',
  sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
};
const RFC2 = {
  seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
  pub: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
  msg: '72',
  sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
};

describe('ed25519', () => {
  it('reproduces the RFC 8032 vectors', () => {
    for (const v of [RFC1, RFC2]) {
      const key = ed25519FromSeed(fromHex(v.seed));
      expect(hex(key.pubkey)).toBe(v.pub);
      expect(hex(signEd25519(key.seed, fromHex(v.msg)))).toBe(v.sig);
      expect(verifyEd25519(key.pubkey, fromHex(v.msg), fromHex(v.sig))).toBe(true);
    }
  });

  it('agrees with @cosmjs/crypto in both directions', async () => {
    for (let i = 0; i < 10; i++) {
      const key = generateEd25519();
      const pair = await Ed25519.makeKeypair(key.seed);
      expect(hex(pair.pubkey)).toBe(hex(key.pubkey));
      const msg = Buffer.from(`vote ${i}`);
      const theirs = await Ed25519.createSignature(msg, pair);
      expect(verifyEd25519(key.pubkey, msg, theirs)).toBe(true);
      expect(await Ed25519.verifySignature(signEd25519(key.seed, msg), msg, key.pubkey)).toBe(true);
    }
  });

  it('rejects wrong message, wrong key, non-canonical S and malformed input without throwing', () => {
    const key = ed25519FromSeed(fromHex(RFC2.seed));
    const sig = fromHex(RFC2.sig);
    expect(verifyEd25519(key.pubkey, fromHex('73'), sig)).toBe(false);
    expect(verifyEd25519(fromHex(RFC1.pub), fromHex(RFC2.msg), sig)).toBe(false);
    // S + L: the same signature with a non-canonical scalar; RFC 8032 requires rejecting it.
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const s = BigInt('0x' + Buffer.from(sig.subarray(32)).reverse().toString('hex'));
    const sPlusL = Buffer.from((s + L).toString(16).padStart(64, '0'), 'hex').reverse();
    expect(verifyEd25519(key.pubkey, fromHex(RFC2.msg), Uint8Array.from([...sig.subarray(0, 32), ...sPlusL]))).toBe(false);
    for (const bad of [undefined, 'x', new Uint8Array(31), new Uint8Array(33)] as unknown as Uint8Array[]) {
      expect(verifyEd25519(bad, fromHex(RFC2.msg), sig)).toBe(false);
      expect(verifyEd25519(key.pubkey, fromHex(RFC2.msg), bad)).toBe(false);
    }
    expect(verifyEd25519(key.pubkey, 'x' as unknown as Uint8Array, sig)).toBe(false);
    // y = 2 is not the encoding of a curve point.
    const notAPoint = new Uint8Array(32);
    notAPoint[0] = 2;
    expect(verifyEd25519(notAPoint, fromHex(RFC2.msg), sig)).toBe(false);
  });

  it('throws a typed error for a bad seed', () => {
    expect(codeOf(() => ed25519FromSeed(new Uint8Array(31))).is(ErrInvalidPrivateKey)).toBe(true);
    expect(codeOf(() => signEd25519(new Uint8Array(64), new Uint8Array(1))).is(ErrInvalidPrivateKey)).toBe(true);
  });
});

describe('public key JSON', () => {
  const key = ed25519FromSeed(fromHex(RFC1.seed));
  const b64 = Buffer.from(key.pubkey).toString('base64');

  it('writes the CometBFT and Cosmos forms and parses both back', () => {
    expect(ed25519ToCometJson(key.pubkey)).toEqual({ type: 'tendermint/PubKeyEd25519', value: b64 });
    expect(ed25519ToCosmosJson(key.pubkey)).toEqual({ '@type': '/cosmos.crypto.ed25519.PubKey', key: b64 });
    expect(hex(ed25519FromJson(ed25519ToCometJson(key.pubkey)))).toBe(RFC1.pub);
    expect(hex(ed25519FromJson(ed25519ToCosmosJson(key.pubkey)))).toBe(RFC1.pub);
  });

  it('reads the validator pubkey of a real sekai genesis export', () => {
    const json = { '@type': '/cosmos.crypto.ed25519.PubKey', key: 'FENMOAnaO2TAXP86dt7wVAhZG/Zs09f/En9AHhUVrZ4=' };
    expect(ed25519FromJson(json)).toHaveLength(32);
  });

  it('refuses wrong types, lengths and non-canonical base64', () => {
    for (const bad of [
      null,
      'str',
      { type: 'tendermint/PubKeySecp256k1', value: b64 },
      { '@type': '/cosmos.crypto.secp256k1.PubKey', key: b64 },
      { type: 'tendermint/PubKeyEd25519', value: Buffer.alloc(33).toString('base64') },
      { type: 'tendermint/PubKeyEd25519', value: b64 + '!' },
      { type: 'tendermint/PubKeyEd25519', value: 7 },
    ]) {
      expect(codeOf(() => ed25519FromJson(bad)).is(ErrInvalidKeyJson)).toBe(true);
    }
    expect(codeOf(() => ed25519ToCometJson(new Uint8Array(33))).is(ErrInvalidPublicKey)).toBe(true);
  });

  it('writes the Cosmos form of secp256k1 keys', () => {
    const pub = Buffer.from('AtQaCqFnshaZQp6rIkvAPyzThvCvXSDO+9AzbxVErqJP', 'base64');
    expect(secp256k1ToCosmosJson(pub)).toEqual({ '@type': '/cosmos.crypto.secp256k1.PubKey', key: 'AtQaCqFnshaZQp6rIkvAPyzThvCvXSDO+9AzbxVErqJP' });
    expect(codeOf(() => secp256k1ToCosmosJson(new Uint8Array(65))).is(ErrInvalidPublicKey)).toBe(true);
  });
});

describe('CometBFT key files', () => {
  const key = ed25519FromSeed(fromHex(RFC1.seed));

  it('writes priv_validator_key.json in the CometBFT shape', () => {
    const file = privValidatorKeyJson(key);
    expect(Object.keys(file)).toEqual(['address', 'pub_key', 'priv_key']);
    expect(file.address).toMatch(/^[0-9A-F]{40}$/);
    expect(file.pub_key).toEqual({ type: 'tendermint/PubKeyEd25519', value: Buffer.from(key.pubkey).toString('base64') });
    expect(file.priv_key.type).toBe('tendermint/PrivKeyEd25519');
    expect(hex(Buffer.from(file.priv_key.value, 'base64'))).toBe(RFC1.seed + RFC1.pub);
    const text = formatKeyFile(file);
    expect(text.split('\n')[1]).toBe(`  "address": "${file.address}",`);
    expect(hex(parsePrivValidatorKey(text).seed)).toBe(RFC1.seed);
  });

  it('derives node_key.json and the node ID', () => {
    const file = nodeKeyJson(key);
    expect(Object.keys(file)).toEqual(['priv_key']);
    const id = nodeIdFromEd25519(key.pubkey);
    expect(id).toMatch(/^[0-9a-f]{40}$/);
    expect(id).toBe(privValidatorKeyJson(key).address.toLowerCase());
    expect(hex(parseNodeKey(formatKeyFile(file)).pubkey)).toBe(RFC1.pub);
  });

  it('refuses files whose parts disagree', () => {
    const good = privValidatorKeyJson(key);
    const other = privValidatorKeyJson(ed25519FromSeed(fromHex(RFC2.seed)));
    const cases: unknown[] = [
      'not json',
      '[]',
      { ...good, address: good.address.toLowerCase() },
      { ...good, pub_key: other.pub_key },
      { ...good, priv_key: { ...good.priv_key, type: 'tendermint/PrivKeySecp256k1' } },
      { ...good, priv_key: { ...good.priv_key, value: Buffer.from(key.seed).toString('base64') } },
      // seed of one key with the public half of another
      { ...good, priv_key: { ...good.priv_key, value: Buffer.concat([key.seed, fromHex(RFC2.pub)]).toString('base64') } },
    ];
    for (const c of cases) expect(codeOf(() => parsePrivValidatorKey(c)).is(ErrInvalidKeyJson)).toBe(true);
    expect(codeOf(() => parseNodeKey({})).is(ErrInvalidKeyJson)).toBe(true);
  });
});
