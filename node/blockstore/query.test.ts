import { compareDecimal, matchesQuery, parseQuery, txEventMap } from './query';

describe('query language', () => {
  const events = {
    'tm.event': ['Tx'],
    'tx.height': ['12'],
    'message.sender': ['kira1abc', 'kira1def'],
    'transfer.amount': ['10ukex'],
    'block.time': ['2024-05-03T10:00:00Z'],
  };

  it('parses conditions joined by AND', () => {
    const q = parseQuery("message.sender='kira1abc' AND tx.height>5 AND transfer.amount EXISTS");
    expect(q.conditions).toEqual([
      { tag: 'message.sender', op: '=', operand: { kind: 'string', value: 'kira1abc' } },
      { tag: 'tx.height', op: '>', operand: { kind: 'number', value: '5' } },
      { tag: 'transfer.amount', op: 'EXISTS', operand: undefined },
    ]);
  });

  it.each([
    ["message.sender='kira1def'", true],
    ["message.sender='kira1xyz'", false],
    ['tx.height=12', true],
    ['tx.height>=12 AND tx.height<=12', true],
    ['tx.height<12', false],
    ['tx.height>11.5', true],
    ['transfer.amount>9', true],
    ['transfer.amount>10', false],
    ["message.sender CONTAINS 'def'", true],
    ["message.sender CONTAINS 'zzz'", false],
    ['missing.key EXISTS', false],
    ["tm.event='Tx' AND message.sender='kira1abc' AND tx.height>5", true],
    ['block.time > TIME 2024-05-03T09:00:00Z', true],
    ['block.time < DATE 2024-05-03', false],
  ])('%s -> %s', (q, want) => {
    expect(matchesQuery(q, events)).toBe(want);
  });

  it.each(["a='x", 'a =', "a='x' OR b='y'", '', '=5', "a CONTAINS 5"])('rejects %j with a typed error', (q) => {
    expect(() => parseQuery(q)).toThrow(/invalid query/);
  });

  it('compares decimals exactly', () => {
    expect(compareDecimal('10', '9')).toBe(1);
    expect(compareDecimal('-1.5', '-1.25')).toBe(-1);
    expect(compareDecimal('123456789012345678901234567890', '123456789012345678901234567891')).toBe(-1);
    expect(compareDecimal('2.50', '2.5')).toBe(0);
  });

  it('builds tx event maps with the automatic keys', () => {
    const m = txEventMap(3, new Uint8Array([0xab, 0xcd]), [
      { type: 'message', attributes: [{ key: 'action', value: 'send', index: true }, { key: 'note', value: 'x', index: false }] },
    ], { indexedOnly: true });
    expect(m).toEqual({ 'tm.event': ['Tx'], 'tx.hash': ['ABCD'], 'tx.height': ['3'], 'message.action': ['send'] });
  });
});
