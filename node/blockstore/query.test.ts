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
    expect(compareDecimal('007', '7.000')).toBe(0);
    expect(compareDecimal('-0', '0')).toBe(0);
    expect(compareDecimal('-2', '1')).toBe(-1);
    expect(compareDecimal('1', '-2')).toBe(1);
    expect(compareDecimal('0.5', '0.45')).toBe(1);
    expect(compareDecimal('0.05', '0.5')).toBe(-1);
    expect(compareDecimal('-0.05', '-0.5')).toBe(1);
  });

  it('agrees with exact arithmetic on random decimals', () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const dec = () => `${rnd(2) ? '-' : ''}${'0'.repeat(rnd(2))}${rnd(1000)}${rnd(2) ? '.' + String(rnd(1000)).padStart(rnd(4) + 1, '0') : ''}`;
    const exact = (s: string) => {
      const neg = s.startsWith('-');
      const [i, f = ''] = (neg ? s.slice(1) : s).split('.');
      const v = BigInt(i + f.padEnd(6, '0'));
      return neg ? -v : v;
    };
    for (let k = 0; k < 2000; k++) {
      const x = dec();
      const y = dec();
      const want = exact(x) < exact(y) ? -1 : exact(x) > exact(y) ? 1 : 0;
      expect({ x, y, cmp: compareDecimal(x, y) }).toEqual({ x, y, cmp: want });
    }
  });

  it('refuses queries over the limits before running them, by their size', () => {
    expect(() => parseQuery(`a.b>${'9'.repeat(900_000)}`)).toThrow(/limit is 2048/);
    expect(() => parseQuery(`a.b>${'9'.repeat(100)}`)).toThrow(/number operand of 100 characters; the limit is 80/);
    expect(() => parseQuery(`a.b='${'x'.repeat(600)}'`)).toThrow(/string operand of 600 characters; the limit is 512/);
    expect(() => parseQuery(Array.from({ length: 17 }, (_, i) => `a.k${i} EXISTS`).join(' AND '))).toThrow(/more than 16 conditions/);
    // The largest number allowed compares at once against a long event value.
    expect(matchesQuery(`a.b<${'9'.repeat(80)}`, { 'a.b': ['1'.repeat(80)] })).toBe(true);
  });

  it('builds tx event maps with the automatic keys', () => {
    const m = txEventMap(3, new Uint8Array([0xab, 0xcd]), [
      { type: 'message', attributes: [{ key: 'action', value: 'send', index: true }, { key: 'note', value: 'x', index: false }] },
    ], { indexedOnly: true });
    expect(m).toEqual({ 'tm.event': ['Tx'], 'tx.hash': ['ABCD'], 'tx.height': ['3'], 'message.action': ['send'] });
  });
});
