import { Coins } from '../types/coins';
import { checkMempoolFeeFloor, isEmptyFloor, parseMempoolFeeFloor } from './mempoolFees';

const fee = (text: string) => Coins.from(text === '' ? [] : text.split(',').map((c) => ({ denom: c.replace(/^[0-9]+/, ''), amount: BigInt(/^[0-9]+/.exec(c)![0]) })));

describe('mempool fee floor', () => {
  test('parses app.toml values; empty means no floor', () => {
    expect(isEmptyFloor(parseMempoolFeeFloor('', ''))).toBe(true);
    expect(isEmptyFloor(parseMempoolFeeFloor('', '0ukex'))).toBe(true);
    const f = parseMempoolFeeFloor('200ukex', '0.01ukex, 0.5uatom');
    expect(f.minimumFees.toString()).toBe('200ukex');
    expect(f.minimumGasPrices.map((p) => `${p.price.toString()}${p.denom}`)).toEqual(['0.010000000000000000ukex', '0.500000000000000000uatom']);
    expect(() => parseMempoolFeeFloor('', 'cheap')).toThrow('minimum-gas-prices: "cheap" is not a decimal coin');
  });

  test('a flat floor passes at or above it in any of its denoms', () => {
    const f = parseMempoolFeeFloor('200ukex,5uatom', '');
    expect(() => checkMempoolFeeFloor(f, fee('200ukex'), 0n)).not.toThrow();
    expect(() => checkMempoolFeeFloor(f, fee('5uatom'), 0n)).not.toThrow();
    expect(() => checkMempoolFeeFloor(f, fee('199ukex'), 0n)).toThrow("insufficient fees; got: 199ukex required: 5uatom,200ukex (this node's minimum-fees)");
    expect(() => checkMempoolFeeFloor(f, fee(''), 0n)).toThrow('got: 0 required');
  });

  test('a gas price floor requires ceil(price x gas limit)', () => {
    const f = parseMempoolFeeFloor('', '0.001ukex');
    expect(() => checkMempoolFeeFloor(f, fee('201ukex'), 200_001n)).not.toThrow();
    expect(() => checkMempoolFeeFloor(f, fee('200ukex'), 200_001n)).toThrow(
      "insufficient fees; got: 200ukex required: 201ukex (this node's minimum-gas-prices at gas 200001)",
    );
  });
});
