import { Dec, ErrDivisionByZero, ErrInvalidDecimal } from './dec';

const d = Dec.fromString;

describe('Dec', () => {
  test('parses and prints with 18 fractional digits, as LegacyDec', () => {
    expect(d('0.05').toString()).toBe('0.050000000000000000');
    expect(d('1').toString()).toBe('1.000000000000000000');
    expect(d('-2.5').toString()).toBe('-2.500000000000000000');
    expect(d('0.000000000000000001').scaled).toBe(1n);
    expect(Dec.fromScaled(50n, 2).eq(d('0.5'))).toBe(true);
  });

  test.each(['', '.5', '1.', '1e5', '0x10', 'abc', '1.0000000000000000001', '--1'])('refuses %p', (text) => {
    expect(() => d(text)).toThrow(ErrInvalidDecimal.description);
  });

  test('mul and quo round half to even at the 18th digit; truncating variants drop digits', () => {
    expect(d('0.5').mul(d('0.5')).toString()).toBe('0.250000000000000000');
    expect(d('1').quo(d('3')).toString()).toBe('0.333333333333333333');
    expect(d('2').quo(d('3')).toString()).toBe('0.666666666666666667');
    expect(d('2').quoTruncate(d('3')).toString()).toBe('0.666666666666666666');
    // 1e-18 / 2 = 0.5e-18: half, rounds to the even neighbour 0; 3e-18 / 2 = 1.5e-18 rounds to 2e-18
    expect(d('0.000000000000000001').quo(d('2')).scaled).toBe(0n);
    expect(d('0.000000000000000003').quo(d('2')).scaled).toBe(2n);
    expect(d('-0.000000000000000003').quo(d('2')).scaled).toBe(-2n);
    expect(d('0.000000000000000003').mulTruncate(d('0.5')).scaled).toBe(1n);
    expect(() => d('1').quo(Dec.ZERO)).toThrow(ErrDivisionByZero.description);
  });

  test('integer conversions', () => {
    expect(d('2.5').truncateInt()).toBe(2n);
    expect(d('2.5').roundInt()).toBe(2n);
    expect(d('3.5').roundInt()).toBe(4n);
    expect(d('2.1').ceilInt()).toBe(3n);
    expect(d('-2.1').ceilInt()).toBe(-2n);
    expect(d('0.5').mulInt(101n).truncateInt()).toBe(50n);
  });

  test('comparisons', () => {
    expect(d('0.33').lt(d('0.34'))).toBe(true);
    expect(d('0.330').eq(d('0.33'))).toBe(true);
    expect(d('1').cmp(d('0.9'))).toBe(1);
    expect(d('-1').isNegative()).toBe(true);
  });
});
