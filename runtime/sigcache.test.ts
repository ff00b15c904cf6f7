import { VerifiedSignatures } from './sigcache';

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

it('remembers only valid triples, keyed by all three parts, within its capacity', () => {
  const cache = new VerifiedSignatures(2);
  let calls = 0;
  const verify = cache.wrap((pub, digest, sig) => {
    calls++;
    return sig[0] !== 0xff;
  });
  const pub = bytes(33, 2);
  const digest = bytes(32, 1);
  expect(verify(pub, digest, bytes(64, 7))).toBe(true);
  expect(verify(pub, digest, bytes(64, 7))).toBe(true);
  expect(calls).toBe(1);
  // A failure is never remembered; another digest or key is another entry.
  expect(verify(pub, digest, bytes(64, 0xff))).toBe(false);
  expect(verify(pub, digest, bytes(64, 0xff))).toBe(false);
  expect(calls).toBe(3);
  expect(cache.has(pub, bytes(32, 9), bytes(64, 7))).toBe(false);
  expect(cache.has(bytes(33, 3), digest, bytes(64, 7))).toBe(false);
  expect(cache.has(pub, digest, bytes(64, 7))).toBe(true);
  // Two more entries push the oldest out.
  cache.add(pub, digest, bytes(64, 8));
  cache.add(pub, digest, bytes(64, 9));
  expect(cache.size).toBe(2);
  expect(cache.has(pub, digest, bytes(64, 7))).toBe(false);
  expect(cache.has(pub, digest, bytes(64, 9))).toBe(true);
  // Inputs longer than the reused buffer still get exact keys.
  const longPub = bytes(200, 4);
  cache.add(longPub, digest, bytes(64, 1));
  expect(cache.has(longPub, digest, bytes(64, 1))).toBe(true);
  expect(cache.has(bytes(200, 5), digest, bytes(64, 1))).toBe(false);
});

it('once full, keeps between half and all of its capacity, newest entries first', () => {
  const cache = new VerifiedSignatures(1000);
  const pub = bytes(33, 2);
  const digest = bytes(32, 1);
  const sig = (i: number) => {
    const s = new Uint8Array(64);
    new DataView(s.buffer).setUint32(0, i);
    return s;
  };
  for (let i = 0; i < 5000; i++) {
    cache.add(pub, digest, sig(i));
    expect(cache.size).toBeLessThanOrEqual(1000);
  }
  expect(cache.size).toBeGreaterThanOrEqual(500);
  for (let i = 4500; i < 5000; i++) expect(cache.has(pub, digest, sig(i))).toBe(true);
  expect(cache.has(pub, digest, sig(0))).toBe(false);
  expect(cache.has(pub, digest, sig(3000))).toBe(false);
});
