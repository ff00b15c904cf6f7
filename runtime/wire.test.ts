import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { SignDoc, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { createHash } from 'node:crypto';
import { WireError, encodeSignDoc, encodeTxMsgData, parseCanonicalTxRaw, signDocDigest } from './wire';

function bytes(rnd: () => number, max: number): Uint8Array {
  return Uint8Array.from({ length: rnd() % max }, () => rnd() & 0xff);
}

function rng(seed: number) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('SignDoc, TxMsgData and TxRaw agree byte for byte with the cosmjs-types encoders', () => {
  const rnd = rng(7);
  for (let i = 0; i < 500; i++) {
    const body = bytes(rnd, 300);
    const auth = bytes(rnd, 200);
    const chainId = ['', 'kira-1', 'ünïcode-chain', 'x'.repeat(rnd() % 200)][rnd() % 4];
    // cosmjs-types 0.11 mis-encodes uint64 values in [2^31, 2^32) (e.g. 2^32-5 as fb00000000),
    // so the comparison stays below 2^31 and above 2^32; that range is pinned below.
    const accountNumber = [0n, 1n, 127n, 128n, 300n, 2n ** 63n - 1n, BigInt(rnd() >>> 1), 2n ** 40n + BigInt(rnd())][rnd() % 8];
    expect(hex(encodeSignDoc(body, auth, chainId, accountNumber))).toBe(hex(SignDoc.encode({ bodyBytes: body, authInfoBytes: auth, chainId, accountNumber }).finish()));

    const responses = Array.from({ length: rnd() % 4 }, () => ({ typeUrl: ['', '/a.B', '/cosmos.bank.v1beta1.MsgSendResponse'][rnd() % 3], value: bytes(rnd, 150) }));
    expect(hex(encodeTxMsgData(responses))).toBe(hex(TxMsgData.encode({ data: [], msgResponses: responses }).finish()));

    const sigs = Array.from({ length: rnd() % 3 }, () => bytes(rnd, 70));
    const encoded = TxRaw.encode({ bodyBytes: body, authInfoBytes: auth, signatures: sigs }).finish();
    const parsed = parseCanonicalTxRaw(encoded);
    expect([hex(parsed.bodyBytes), hex(parsed.authInfoBytes), ...parsed.signatures.map(hex)]).toEqual([hex(body), hex(auth), ...sigs.map(hex)]);
  }
});

test('signDocDigest hashes exactly the SignDoc, whatever size the previous one had', () => {
  const rnd = rng(11);
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  // Sizes alternate around the reused buffer's 4 KiB so a shorter SignDoc follows a longer one.
  for (const n of [5000, 10, 4000, 0, 4096, 4200, 3, 300]) {
    const body = Uint8Array.from({ length: n }, () => rnd() & 0xff);
    const auth = bytes(rnd, 90);
    const chainId = ['', 'kira-1'][rnd() % 2];
    const accountNumber = [0n, 7n, 2n ** 40n][rnd() % 3];
    expect(hex(signDocDigest(body, auth, chainId, accountNumber))).toBe(sha(encodeSignDoc(body, auth, chainId, accountNumber)));
  }
});

test('account numbers between 2^31 and 2^32 are encoded as canonical varints', () => {
  expect(hex(encodeSignDoc(new Uint8Array(), new Uint8Array(), '', 2n ** 32n - 5n))).toBe('20fbffffff0f');
  expect(hex(encodeSignDoc(new Uint8Array(), new Uint8Array(), '', 2n ** 31n))).toBe('208080808008');
});

test('non-canonical TxRaw encodings are refused', () => {
  const ok = TxRaw.encode({ bodyBytes: Uint8Array.of(1), authInfoBytes: Uint8Array.of(2), signatures: [Uint8Array.of(3)] }).finish();
  expect(() => parseCanonicalTxRaw(ok)).not.toThrow();
  const bad: [string, number[]][] = [
    ['out of order', [0x12, 1, 2, 0x0a, 1, 1]],
    ['repeated body', [0x0a, 1, 1, 0x0a, 1, 1]],
    ['empty body present', [0x0a, 0, 0x12, 1, 2]],
    ['non-minimal length', [0x0a, 0x81, 0x00, 1]],
    ['unknown field', [0x0a, 1, 1, 0x22, 1, 9]],
    ['varint field type', [0x08, 1]],
    ['length past the end', [0x0a, 5, 1]],
    ['truncated length', [0x0a, 0x80]],
  ];
  for (const [what, b] of bad) {
    expect(() => parseCanonicalTxRaw(Uint8Array.from(b))).toThrow(WireError);
    void what;
  }
});
