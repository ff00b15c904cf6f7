import { compareDecimal, ErrInvalidQuery, heightBounds, matchesQuery, parseQuery } from './query';
import type { CodedError } from '../../types/errors';

const events = {
  'tm.event': ['Tx'],
  'tx.height': ['12'],
  'transfer.amount': ['100ukex', '7ukex'],
  'message.sender': ['kira1abc'],
  'block.time': ['2024-03-01T10:00:00Z'],
  'price.value': ['0.25'],
};

describe('CometBFT query language', () => {
  it.each([
    ["tm.event='Tx'", true],
    ["tm.event = 'Tx' AND message.sender = 'kira1abc'", true],
    ["tm.event='NewBlock'", false],
    ['tx.height=12', true],
    ['tx.height>12', false],
    ['tx.height>=12 AND tx.height<13', true],
    ['transfer.amount>99', true],
    ['transfer.amount<8', true],
    ['transfer.amount>100', false],
    ["message.sender CONTAINS 'abc'", true],
    ["message.sender CONTAINS 'xyz'", false],
    ['message.sender EXISTS', true],
    ['missing.key EXISTS', false],
    ['constructor EXISTS', false],
    ["__proto__='x'", false],
    ['price.value<0.3', true],
    ['price.value>0.25', false],
    ['block.time>TIME 2024-02-29T00:00:00Z', true],
    ['block.time<DATE 2024-03-01', false],
  ])('%s → %s', (q, expected) => {
    expect(matchesQuery(q, events)).toBe(expected);
  });

  it.each(['', "tm.event='Tx' OR a=1", "a='unterminated", 'a=', '=5', 'a=5 AND', 'a CONTAINS 5', 'a=TIME yesterday', 'a=DATE 2024-3-1'])(
    'refuses %j with ErrInvalidQuery',
    (q) => {
      try {
        parseQuery(q);
        throw new Error('accepted');
      } catch (e) {
        expect((e as CodedError).is(ErrInvalidQuery)).toBe(true);
      }
    },
  );

  it('compares decimals exactly', () => {
    expect(compareDecimal('0.1', '0.10')).toBe(0);
    expect(compareDecimal('-0.5', '0')).toBe(-1);
    expect(compareDecimal('123456789012345678901234567890', '123456789012345678901234567891')).toBe(-1);
    expect(compareDecimal('2.000000000000000001', '2')).toBe(1);
  });

  it('derives height bounds for scans', () => {
    expect(heightBounds(parseQuery('tx.height>5 AND tx.height<=9'), 'tx.height')).toEqual({ min: 6, max: 9 });
    expect(heightBounds(parseQuery("tx.height=3 AND a='x'"), 'tx.height')).toEqual({ min: 3, max: 3 });
    expect(heightBounds(parseQuery("a='x'"), 'tx.height')).toEqual({});
  });
});
