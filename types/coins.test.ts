import { Coins, ErrAmountOverflow, ErrInvalidCoins, ErrInvalidDenom, ErrNegativeAmount, MAX_AMOUNT, parseCoin, parseCoins } from './coins';

describe('coins', () => {
  test('parse, sort and print', () => {
    const c = parseCoins('5utest,100ukex');
    expect(c.toString()).toBe('100ukex,5utest');
    expect(c.amountOf('ukex')).toBe(100n);
    expect(parseCoins('').isZero()).toBe(true);
    expect(parseCoins('0ukex').isZero()).toBe(true);
    expect(parseCoin('1ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2').denom).toMatch(/^ibc\//);
  });

  test.each([
    ['ukex', ErrInvalidCoins],
    ['-5ukex', ErrInvalidCoins],
    ['5.5ukex', ErrInvalidCoins],
    ['5uk', ErrInvalidCoins],
    ['1ukex,2ukex', ErrInvalidCoins],
  ])('refuses %p', (text, err) => {
    expect(() => parseCoins(text)).toThrow(err.description);
  });

  test('validation of constructed coins', () => {
    expect(() => Coins.from([{ denom: '1bad', amount: 1n }])).toThrow(ErrInvalidDenom.description);
    expect(() => Coins.from([{ denom: 'ukex', amount: -1n }])).toThrow(ErrNegativeAmount.description);
    expect(() => Coins.from([{ denom: 'ukex', amount: MAX_AMOUNT + 1n }])).toThrow(ErrAmountOverflow.description);
    expect(() => Coins.fromProto([{ denom: 'ukex', amount: '1e3' }])).toThrow(ErrInvalidCoins.description);
  });

  test('arithmetic', () => {
    const a = parseCoins('100ukex,5utest');
    const b = parseCoins('30ukex,5utest');
    expect(a.add(b).toString()).toBe('130ukex,10utest');
    expect(a.sub(b).toString()).toBe('70ukex');
    expect(() => b.sub(a)).toThrow(ErrNegativeAmount.description);
    expect(a.isAllGTE(b)).toBe(true);
    expect(b.isAllGTE(a)).toBe(false);
    expect(a.equals(parseCoins('5utest,100ukex'))).toBe(true);
    expect(() => Coins.from([{ denom: 'ukex', amount: MAX_AMOUNT }]).add(parseCoins('1ukex'))).toThrow(ErrAmountOverflow.description);
  });
});
