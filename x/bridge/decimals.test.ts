import { CodedError } from '../../types/errors';
import { externalToLocal, localToExternal } from './decimals';
import { ErrUnrepresentableAmount } from './types/errors';

const asset = (decimals: number, localDecimals: number) => ({ decimals, localDecimals, externalDenom: 'tok', localDenom: 'utok' });

test('external to local: scales up exactly, scales down with the remainder as dust', () => {
  expect(externalToLocal(asset(6, 6), 123n)).toEqual({ local: 123n, dust: 0n });
  expect(externalToLocal(asset(2, 6), 250n)).toEqual({ local: 2_500_000n, dust: 0n });
  expect(externalToLocal(asset(18, 6), 1_500_000_000_000_000_007n)).toEqual({ local: 1_500_000n, dust: 7n });
  expect(externalToLocal(asset(18, 6), 999_999_999_999n)).toEqual({ local: 0n, dust: 999_999_999_999n });
  // Near 2^256: no precision lost.
  const big = (1n << 256n) - 1n;
  const { local, dust } = externalToLocal(asset(36, 0), big);
  expect(local * 10n ** 36n + dust).toBe(big);
});

test('local to external: exact both ways, refused when finer than the external precision', () => {
  expect(localToExternal(asset(18, 6), 1_000_000n)).toBe(10n ** 18n);
  expect(localToExternal(asset(6, 6), 42n)).toBe(42n);
  expect(localToExternal(asset(2, 6), 10_000n)).toBe(1n);
  expect(localToExternal(asset(2, 6), 2_500_000n)).toBe(250n);
  let err: unknown;
  try {
    localToExternal(asset(2, 6), 10_001n);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CodedError);
  expect((err as CodedError).code).toBe(ErrUnrepresentableAmount.code);
  expect((err as CodedError).message).toMatch(/10001utok is not a multiple of 10000/);
  // Round trip of whatever a deposit minted.
  for (const [d, l, a] of [[18, 6, 123_456_789_000_000_000_000n], [2, 6, 77n], [9, 9, 5n]] as const) {
    const { local, dust } = externalToLocal(asset(d, l), a);
    expect(localToExternal(asset(d, l), local) + dust).toBe(a);
  }
});
