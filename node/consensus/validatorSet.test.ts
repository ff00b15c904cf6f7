import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import { CodedError } from '../../types/errors';
import type { NodeValidator } from '../types';
import {
  applyValidatorUpdates,
  ErrInvalidValidatorUpdate,
  incrementProposerPriority,
  newValidatorSet,
  nextValidatorSet,
  updateWithChangeSet,
  type NodeValidatorSet,
} from './validatorSet';
import { validatorAddress } from './hashes';

/** A validator with a readable one-byte address (so "A" < "B" < "C" as addresses). */
const val = (name: string, power: bigint, proposerPriority = 0n): NodeValidator => ({
  address: new Uint8Array(20).fill(name.charCodeAt(0)),
  pubKey: new Uint8Array(32).fill(name.charCodeAt(0)),
  power,
  proposerPriority,
});
const name = (a: Uint8Array) => String.fromCharCode(a[0]);
const priorities = (s: NodeValidatorSet | NodeValidator[]) =>
  Object.fromEntries(('validators' in s ? s.validators : s).map((v) => [name(v.address), v.proposerPriority]));

/** Proposers of `n` consecutive heights starting from the genesis set, as CometBFT's state advances. */
function proposers(genesis: NodeValidator[], n: number): string[] {
  let set = newValidatorSet(genesis);
  const out = [name(set.proposer)];
  while (out.length < n) {
    set = nextValidatorSet(set.validators, []);
    out.push(name(set.proposer));
  }
  return out;
}

describe('proposer priority', () => {
  it('rotates powers 1, 2, 3 as worked by hand: C B A C B C, then again', () => {
    // Genesis: priorities centred at 0; round 1: A=1 B=2 C=3, C elected, C = 3 - 6.
    const g = newValidatorSet([val('A', 1n), val('B', 2n), val('C', 3n)]);
    expect(name(g.proposer)).toBe('C');
    expect(priorities(g)).toEqual({ A: 1n, B: 2n, C: -3n });
    expect(g.validators.map((v) => name(v.address))).toEqual(['C', 'B', 'A']); // power order
    // Round 2: 2, 4, 0 -> B; round 3: 3, 0, 3 -> tie A/C, lower address A wins.
    const h2 = nextValidatorSet(g.validators, []);
    expect([name(h2.proposer), priorities(h2)]).toEqual(['B', { A: 2n, B: -2n, C: 0n }]);
    const h3 = nextValidatorSet(h2.validators, []);
    expect([name(h3.proposer), priorities(h3)]).toEqual(['A', { A: -3n, B: 0n, C: 3n }]);
    expect(proposers([val('A', 1n), val('B', 2n), val('C', 3n)], 12).join('')).toBe('CBACBCCBACBC');
  });

  it('rotates equal powers in address order', () => {
    expect(proposers([val('C', 5n), val('A', 5n), val('B', 5n)], 7).join('')).toBe('ABCABCA');
    const g = newValidatorSet([val('A', 1n), val('B', 1n), val('C', 1n)]);
    expect(priorities(g)).toEqual({ A: -2n, B: 1n, C: 1n });
  });

  it('elects each validator in proportion to its power over a long run', () => {
    const counts: Record<string, number> = {};
    for (const p of proposers([val('A', 7n), val('B', 3n), val('C', 1n), val('D', 9n)], 2000)) counts[p] = (counts[p] ?? 0) + 1;
    expect(counts).toEqual({ A: 700, B: 300, C: 100, D: 900 });
  });

  it('starts a new validator at -1.125 x total power and centres with floor division', () => {
    // Existing A (power 1, priority 0) joined by N (power 2): total after updates 3, N starts
    // at -(3 + 3>>3) = -3. Centring: mean of (0, -3) is floor(-1.5) = -2, so A = 2, N = -1.
    const joined = updateWithChangeSet([val('A', 1n)], [val('N', 2n)]);
    expect(joined.map((v) => [name(v.address), v.power, v.proposerPriority])).toEqual([
      ['N', 2n, -1n],
      ['A', 1n, 2n],
    ]);
    // Then one round: mean of (2, -1) floors to 0; A = 3, N = 1 -> A elected, A = 3 - 3.
    const next = incrementProposerPriority(joined);
    expect([name(next.proposer), priorities(next)]).toEqual(['A', { A: 0n, N: 1n }]);
    // 1.125 is visible with a larger total: 16 -> -18, centred against A's 0 -> (9, -9).
    const big = updateWithChangeSet([val('A', 8n)], [val('D', 8n)]);
    expect(priorities(big)).toEqual({ A: 9n, D: -9n });
  });

  it('keeps a changed validator priority and drops removed ones', () => {
    const set = [val('A', 4n, 3n), val('B', 2n, -1n), val('C', 2n, -2n)];
    const out = updateWithChangeSet(set, [val('B', 6n), val('C', 0n)]);
    // B keeps -1 (not reset), C removed; mean of (3, -1) = 1 -> (2, -2), sorted by power.
    expect(out.map((v) => [name(v.address), v.power, v.proposerPriority])).toEqual([
      ['B', 6n, -2n],
      ['A', 4n, 2n],
    ]);
  });

  it('rescales priorities that drift beyond 2 x total power, truncating toward zero', () => {
    // Powers 1 + 1: window 4; spread 201 -> ratio ceil(201/4) = 51; 101/51 = 1, -100/51 = -1.
    const out = incrementProposerPriority([val('A', 1n, 101n), val('B', 1n, -100n)]);
    // After rescale (1, -1), centring (mean 0), round: (2, 0) -> A elected, A = 0.
    expect([name(out.proposer), priorities(out)]).toEqual(['A', { A: 0n, B: 0n }]);
  });

  it('applies ABCI updates (power 0 removes) and refuses bad ones with typed errors', () => {
    const pk = new Uint8Array(32).fill(7);
    const upd = (power: bigint, key = pk): ValidatorUpdate => ({ pubKey: { ed25519: key }, power });
    const base = newValidatorSet([val('A', 10n)]).validators;
    const withNew = applyValidatorUpdates(base, [upd(5n)]);
    expect(withNew.map((v) => v.power)).toEqual([10n, 5n]);
    expect(Buffer.from(withNew[1].address).equals(Buffer.from(validatorAddress(pk)))).toBe(true);
    expect(applyValidatorUpdates(withNew, [upd(0n)]).map((v) => v.power)).toEqual([10n]);
    const fail = (f: () => unknown, re: RegExp) => {
      try {
        f();
      } catch (e) {
        expect(e instanceof CodedError && e.is(ErrInvalidValidatorUpdate)).toBe(true);
        expect((e as Error).message).toMatch(re);
        return;
      }
      throw new Error('expected an error');
    };
    fail(() => applyValidatorUpdates(base, [upd(0n)]), /failed to find validator .* to remove/);
    fail(() => applyValidatorUpdates(base, [upd(1n), upd(2n)]), /duplicate entry/);
    fail(() => applyValidatorUpdates(base, [upd(-1n)]), /can't be negative/);
    fail(() => applyValidatorUpdates(base, [upd(1n, new Uint8Array(33))]), /ed25519/);
    fail(() => updateWithChangeSet([val('A', 1n)], [val('A', 0n)]), /empty set/);
    fail(() => newValidatorSet([]), /at least one validator/);
    fail(() => updateWithChangeSet([], [val('A', 1n, 0n), val('B', 0n)], false), /voting power 0/);
    fail(() => updateWithChangeSet([val('A', 1n)], [val('B', 1n << 61n)]), /exceeds max/);
  });

  it('does not change its input', () => {
    const set = [val('A', 1n, 5n), val('B', 1n, -5n)];
    incrementProposerPriority(set, 3);
    updateWithChangeSet(set, [val('C', 1n)]);
    expect(priorities(set)).toEqual({ A: 5n, B: -5n });
  });
});
