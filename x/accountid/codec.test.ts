import { Account } from '../../proto/gen/sekai/accountid/v1/account';
import { rng } from '../../test/fixtures/decodeEquivalence';
import { encodeAccount } from './codec';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function randomBytes(rnd: () => number, max: number): Buffer {
  return Buffer.from(Array.from({ length: Math.floor(rnd() * max) }, () => Math.floor(rnd() * 256)));
}

function randomText(rnd: () => number): string {
  const parts = ['', 'alice', 'kira1qy352eufqy352eufqy352eufqy352eufjjjsp8', 'ünï', '\ud83d\ude00', '\ud800', 'x'.repeat(200)];
  return parts[Math.floor(rnd() * parts.length)] + parts[Math.floor(rnd() * parts.length)];
}

function randomUint64(rnd: () => number): bigint {
  const picks = [0n, 1n, 127n, 128n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 5n, 2n ** 53n + 3n, 2n ** 64n - 1n, BigInt(Math.floor(rnd() * 1e9))];
  return picks[Math.floor(rnd() * picks.length)];
}

test('encodeAccount writes the generated encoder bytes for any record', () => {
  const rnd = rng(5);
  for (let i = 0; i < 2000; i++) {
    const a: Account = {
      id: randomUint64(rnd),
      name: randomText(rnd),
      pubKeys: Array.from({ length: Math.floor(rnd() * 3) }, () => randomBytes(rnd, 40)),
      wallets: Array.from({ length: Math.floor(rnd() * 3) }, () => randomText(rnd)),
      sequence: randomUint64(rnd),
      address: randomBytes(rnd, 33),
      module: rnd() < 0.2 ? randomText(rnd) : '',
    };
    expect(hex(encodeAccount(a))).toBe(hex(Account.encode(a).finish()));
  }
});

test('encodeAccount refuses uint64 overflow exactly as the generated encoder does', () => {
  const base: Account = { id: 1n, name: '', pubKeys: [], wallets: [], sequence: 0n, address: Buffer.alloc(20), module: '' };
  for (const bad of [{ ...base, id: 2n ** 64n }, { ...base, sequence: -1n }]) {
    expect(() => encodeAccount(bad)).toThrow(/too large|negative|uint64/);
    expect(() => Account.encode(bad).finish()).toThrow();
  }
});
