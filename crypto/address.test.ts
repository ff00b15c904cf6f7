import { pubkeyToAddress } from '@cosmjs/amino';
import { fromBech32, toBech32 } from '@cosmjs/encoding';

import { CodedError, type RegisteredError } from '../types/errors';
import {
  Bech32Prefix,
  accAddressFromSecp256k1,
  addressFromBech32,
  addressToBech32,
  consAddressFromEd25519,
} from './address';
import { decodeBech32, encodeBech32 } from './bech32';
import { ErrInvalidAddressLength, ErrInvalidBech32, ErrInvalidPublicKey, ErrWrongBech32Prefix } from './errors';
import { makeKeys, Stream } from '../test/crypto/secp256k1Cases';

function codedError(fn: () => unknown): CodedError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CodedError) return e;
    throw e;
  }
  throw new Error('expected a CodedError');
}

function expectCode(fn: () => unknown, err: RegisteredError): void {
  const e = codedError(fn);
  expect(e.codespace).toBe('crypto');
  expect(e.is(err)).toBe(true);
}

describe('account addresses', () => {
  it('matches the cosmjs vector for a known key', () => {
    const pub = Buffer.from('AtQaCqFnshaZQp6rIkvAPyzThvCvXSDO+9AzbxVErqJP', 'base64');
    expect(encodeBech32('cosmos', accAddressFromSecp256k1(pub))).toBe('cosmos1h806c7khnvmjlywdrkdgk2vrayy2mmvf9rxk2r');
  });

  it('agrees with @cosmjs/amino pubkeyToAddress under the kira prefix', () => {
    for (const key of makeKeys(20, 'address')) {
      const value = Buffer.from(key.pub).toString('base64');
      const theirs = pubkeyToAddress({ type: 'tendermint/PubKeySecp256k1', value }, 'kira');
      expect(addressToBech32('account', accAddressFromSecp256k1(key.pub))).toBe(theirs);
      expect(theirs.startsWith('kira1')).toBe(true);
    }
  });

  it('refuses keys that are not 33-byte compressed', () => {
    const [key] = makeKeys(1, 'address-bad');
    expectCode(() => accAddressFromSecp256k1(key!.uncompressed), ErrInvalidPublicKey);
    expectCode(() => accAddressFromSecp256k1(new Uint8Array(33)), ErrInvalidPublicKey);
    expectCode(() => accAddressFromSecp256k1('x' as unknown as Uint8Array), ErrInvalidPublicKey);
  });
});

describe('consensus addresses', () => {
  it('is sha256(pubkey)[:20], as CometBFT reports it', () => {
    // A validator from a CometBFT /validators listing.
    const pub = Buffer.from('2w5hxsVqWFTV6/f0swyNVqOhY1vWI42MrfO0xkUqsiA=', 'base64');
    expect(Buffer.from(consAddressFromEd25519(pub)).toString('hex').toUpperCase()).toBe('31D6EBD2A8E40524142613A241CA1D2056159EF4');
    expectCode(() => consAddressFromEd25519(new Uint8Array(33)), ErrInvalidPublicKey);
  });
});

describe('bech32', () => {
  it('accepts the BIP-173 valid strings', () => {
    for (const s of [
      'A12UEL5L',
      'a12uel5l',
      'an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs',
      'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw',
    ]) {
      const { prefix } = decodeBech32(s);
      expect(prefix).toBe(s.slice(0, s.lastIndexOf('1')).toLowerCase());
    }
  });

  it('rejects the BIP-173 invalid strings and mixed case with ErrInvalidBech32', () => {
    for (const s of [
      'pzry9x0s0muk', '1pzry9x0s0muk', 'x1b4n0q5v', 'li1dgmt3', 'A1G7SGD8', '10a06t8', '1qzzfhee',
      'de1lg7wt\u00ff', 'A12uEL5L', 'a12uel5m', '', 'kira1',
    ]) {
      expectCode(() => decodeBech32(s), ErrInvalidBech32);
    }
    expectCode(() => decodeBech32(42 as unknown as string), ErrInvalidBech32);
    expectCode(() => decodeBech32('a1' + 'q'.repeat(1100)), ErrInvalidBech32);
  });

  it('round-trips random data and matches @cosmjs/encoding both ways', () => {
    const s = new Stream('bech32');
    for (let i = 0; i < 300; i++) {
      const data = s.bytes(s.int(64));
      const prefix = ['kira', 'kiravaloper', 'kiravalcons', 'a', 'cosmos'][i % 5]!;
      const ours = encodeBech32(prefix, data);
      expect(ours).toBe(toBech32(prefix, data, 1023));
      const back = decodeBech32(ours);
      expect(back.prefix).toBe(prefix);
      expect(Buffer.from(back.data)).toEqual(Buffer.from(fromBech32(ours, 1023).data));
      expect(Buffer.from(decodeBech32(ours.toUpperCase()).data)).toEqual(Buffer.from(data));
    }
  });

  it('detects every single-character substitution', () => {
    const text = addressToBech32('account', new Uint8Array(20).fill(7));
    for (let i = 5; i < text.length; i++) {
      const c = text[i] === 'q' ? 'p' : 'q';
      expectCode(() => decodeBech32(text.slice(0, i) + c + text.slice(i + 1)), ErrInvalidBech32);
    }
  });
});

describe('typed bech32 addresses', () => {
  const addr = Uint8Array.from({ length: 20 }, (_, i) => i * 13);

  it('round-trips each kind under its prefix', () => {
    for (const kind of ['account', 'validator', 'consensus'] as const) {
      const text = addressToBech32(kind, addr);
      expect(text.startsWith(Bech32Prefix[kind] + '1')).toBe(true);
      expect(Buffer.from(addressFromBech32(kind, text))).toEqual(Buffer.from(addr));
    }
  });

  it('refuses another kind of address with ErrWrongBech32Prefix', () => {
    const valoper = addressToBech32('validator', addr);
    const e = codedError(() => addressFromBech32('account', valoper));
    expect(e.is(ErrWrongBech32Prefix)).toBe(true);
    expect(e.message).toContain('expected prefix kira, got kiravaloper');
    expectCode(() => addressFromBech32('account', encodeBech32('cosmos', addr)), ErrWrongBech32Prefix);
  });

  it('refuses payloads that are not 20 bytes with ErrInvalidAddressLength', () => {
    expectCode(() => addressFromBech32('account', encodeBech32('kira', new Uint8Array(32))), ErrInvalidAddressLength);
    expectCode(() => addressFromBech32('account', encodeBech32('kira', new Uint8Array(19))), ErrInvalidAddressLength);
    expectCode(() => addressToBech32('account', new Uint8Array(21)), ErrInvalidAddressLength);
  });
});
