/** Genesis editing of notary eras, checked against x/notarypay's own genesis validation. */
import { run } from './main';
import { addGenesisNotary, notaryCommand, setGenesisNotaryPay } from './notary';
import { parseNotaryPayGenesis } from '../../x/notarypay';

const pk = (i: number) => '02' + i.toString(16).padStart(2, '0').repeat(32);

describe('genesis add-notary / set-notary-pay', () => {
  it('builds eras that x/notarypay accepts', () => {
    const s: Record<string, unknown> = {};
    addGenesisNotary(s, { name: 'alice', pubKeyHex: pk(1), era: 1 });
    addGenesisNotary(s, { name: 'bob', pubKeyHex: pk(2), era: 1, payout: 'kira1payout' });
    setGenesisNotaryPay(s, { amount: '1500000000', era: 1, funding: 'burn-funded' });
    addGenesisNotary(s, { name: 'carol', pubKeyHex: pk(3), era: 2 });
    setGenesisNotaryPay(s, { amount: '10', era: 2, startTime: '1800000000' });
    const g = parseNotaryPayGenesis(s.notarypay);
    expect(g.eras.map((e) => [e.index, e.startTime, e.pay, e.notaries.map((n) => n.name)])).toEqual([
      [1, 0n, '1500000000', ['alice', 'bob']],
      [2, 1800000000n, '10', ['carol']],
    ]);
    expect(g.params.funding).toBe(2);
    expect(g.payouts.map((p) => p.payout)).toEqual(['kira1payout']);
  });

  it('refuses duplicates, gaps in era numbers and bad values with a clear message', () => {
    const s: Record<string, unknown> = {};
    addGenesisNotary(s, { name: 'alice', pubKeyHex: pk(1), era: 1 });
    expect(() => addGenesisNotary(s, { name: 'alice', pubKeyHex: pk(2), era: 1 })).toThrow(/already has a notary named alice/);
    expect(() => addGenesisNotary(s, { name: 'x', pubKeyHex: pk(1), era: 1 })).toThrow(/already has this key/);
    expect(() => addGenesisNotary(s, { name: 'x', pubKeyHex: pk(3), era: 3 })).toThrow(/era 3 cannot be created before era 2/);
    expect(() => addGenesisNotary(s, { name: 'x', pubKeyHex: 'abcd', era: 1 })).toThrow(/66 hex digits/);
    expect(() => setGenesisNotaryPay(s, { amount: '1.5', era: 1 })).toThrow(/non-negative integer/);
    expect(() => setGenesisNotaryPay(s, { amount: '1', era: 1, funding: 'free' })).toThrow(/emission or burn-funded/);
  });
});

describe('notary run flags', () => {
  /** Runs the CLI in process; returns the exit code and what went to stderr. */
  async function runCli(...args: string[]): Promise<{ code: number; stderr: string }> {
    let stderr = '';
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += chunk.toString();
      return true;
    });
    try {
      const code = await run(['node', 'sekaid-ts', ...args], { commands: [notaryCommand] });
      return { code, stderr };
    } finally {
      spy.mockRestore();
    }
  }

  it.each([
    [['--keys', ','], /--keys names no key/],
    [['--keys', 'a', '--every', '0'], /--every must be a positive integer, got 0/],
    [['--keys', 'a', '--gas', 'lots'], /--gas must be a positive integer, got lots/],
    [['--keys', 'a', '--poll', '5'], /--poll must be at least 10 ms, got 5/],
    [['--keys', 'a', '--until', '-3'], /--until must be a positive integer, got -3/],
  ])('refuses %j with one clear line before touching keys or the node', async (flags, message) => {
    const r = await runCli('notary', 'run', ...flags);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
