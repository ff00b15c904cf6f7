import { parseRef, validateName, validateUserName } from './names';
import { parseWallet, verifyWalletProof } from './wallet';
import { decodeAccountId, encodeAccountId } from './types/keys';
import { CodedError } from '../../types/errors';

function code(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof CodedError) return `${err.codespace}/${err.code}`;
    throw err;
  }
  return 'ok';
}

test('KuChain alphabet, one inner @, 17 characters at most', () => {
  for (const ok of ['a', 'fee_collector@sys', 'bob.team', 'x@y', 'a1_.b']) expect(code(() => validateName(ok))).toBe('ok');
  expect(code(() => validateName(''))).toBe('accountid/3');
  expect(code(() => validateName('abcdefghijklmnopqr'))).toBe('accountid/3');
  for (const bad of ['A', 'a-b', 'a b', 'a@b@c', '@a', 'a@', 'é']) expect(code(() => validateName(bad))).toBe('accountid/2');
});

test('user names: 3–17, start with a letter, not @sys', () => {
  expect(code(() => validateUserName('abc'))).toBe('ok');
  expect(code(() => validateUserName('ab'))).toBe('accountid/3');
  expect(code(() => validateUserName('1abc'))).toBe('accountid/2');
  expect(code(() => validateUserName('.abc'))).toBe('accountid/2');
  expect(code(() => validateUserName('mint@sys'))).toBe('accountid/4');
});

test('references: canonical decimal IDs, wallets, addresses, names', () => {
  expect(parseRef('0')).toEqual({ kind: 'id', id: 0n });
  expect(parseRef('18446744073709551615')).toEqual({ kind: 'id', id: (1n << 64n) - 1n });
  expect(code(() => parseRef('007'))).toBe('accountid/9');
  expect(code(() => parseRef('18446744073709551616'))).toBe('accountid/9');
  expect(code(() => parseRef(''))).toBe('accountid/9');
  expect(parseRef('eth:0xab').kind).toBe('wallet');
  expect(parseRef('kira1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq').kind).toBe('address');
  expect(parseRef('alice')).toEqual({ kind: 'name', name: 'alice' });
  expect(code(() => parseRef('Alice'))).toBe('accountid/9');
});

test('one byte encoding of an AccountID: 8 bytes big-endian, round trip', () => {
  expect(Buffer.from(encodeAccountId(258n)).toString('hex')).toBe('0000000000000102');
  for (const id of [0n, 1n, 255n, 256n, (1n << 64n) - 1n]) expect(decodeAccountId(encodeAccountId(id))).toBe(id);
  expect(code(() => encodeAccountId(1n << 64n))).toBe('runtime/5');
  expect(code(() => decodeAccountId(new Uint8Array(7)))).toBe('runtime/5');
});

test('wallets: syntax, canonical eth form, proofs only for eth', () => {
  expect(parseWallet('eth:0x' + 'ab'.repeat(20))).toEqual({ kind: 'eth', address: '0x' + 'ab'.repeat(20) });
  expect(code(() => parseWallet('eth:0x' + 'AB'.repeat(20)))).toBe('accountid/17');
  expect(code(() => parseWallet('noseparator'))).toBe('accountid/17');
  expect(code(() => parseWallet('btc:bc1 q'))).toBe('accountid/17');
  expect(code(() => verifyWalletProof('c', 1n, 'btc:bc1qxyz', new Uint8Array(65)))).toBe('accountid/20');
  expect(code(() => verifyWalletProof('c', 1n, 'eth:0x' + 'ab'.repeat(20), new Uint8Array(64)))).toBe('accountid/19');
  expect(code(() => verifyWalletProof('c', 1n, 'eth:0x' + 'ab'.repeat(20), new Uint8Array(65).fill(1)))).toBe('accountid/19');
});
