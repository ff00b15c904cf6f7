/**
 * x/multistaking on the whole app: vault shares, equal rewards to the signers, commission,
 * lazy claims, MAX_DELEGATORS with pushout, Kroma's delegation rules, and inflation's
 * per-block cap. Inflation is 0 elsewhere so that every expected amount is plain arithmetic
 * on the fees (100ukex per tx).
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { EconChain } from '../../test/economics/chain';
import { finalizeCommissionMsg, initCommissionMsg } from '../customstaking';
import { claimCommissionMsg, claimRewardsMsg, delegateMsg, undelegateMsg } from './cli';
import { MULTISTAKING_CODESPACE } from './types/errors';
import { MAX_INFLATION_STEP, REWARD_SCALE } from './types/params';

const DAY = 86_400;
const any = (m: { typeUrl: string; value: Uint8Array }): Any => ({ typeUrl: m.typeUrl, value: m.value });

describe('x/multistaking', () => {
  let c: EconChain;
  afterEach(async () => c?.close());

  async function open(props: Record<string, string> = {}): Promise<EconChain> {
    c = await EconChain.open({
      operators: 3,
      seated: 2,
      users: 4,
      properties: { inflation_rate: '0', min_delegation_period: String(7 * DAY), commission_change_delay: '1000', ...props },
      validatorFields: (i) => ({ commission_rate: ['0.1', '0'][i] }),
      app: { multistakingAtGenesis: true },
    });
    await c.block();
    return c;
  }

  const claimable = (who: string) => {
    const k = c.s.keepers.multistaking;
    const ctx = c.readContext();
    return k.delegationsOf(ctx, c.accountId(who)!).map((d) => k.claimable(ctx, d));
  };
  const commission = (valKey: Uint8Array) => BigInt(c.s.keepers.multistaking.vault(c.readContext(), valKey)?.commission || '0');

  it('credits each signer an equal part, splits it by commission, and pays delegators pro rata to shares on claim', async () => {
    await open();
    const [v0, v1] = c.ops;
    const [a, b] = c.users;
    expect((await c.deliver(a, [any(delegateMsg(a.address, v0.valAddr, '3000'))])).code).toBe(0);
    // This block sweeps the previous tx's fee: 50 per signer; v0 keeps 10 % (5), a (alone) gets 45.
    expect((await c.deliver(b, [any(delegateMsg(b.address, v0.valAddr, '1000ukex'))])).code).toBe(0);
    // 45 more for v0's delegators, now a:b = 3:1 → 33.75 and 11.25.
    await c.block();
    expect(claimable(a.address)).toEqual([78n]);
    expect(claimable(b.address)).toEqual([11n]);
    expect(commission(v0.valKey)).toBe(10n);
    // v1 has no delegators: its whole part is commission.
    expect(commission(v1.valKey)).toBe(100n);
    expect(c.invariants()).toEqual([]);

    const before = c.balance(a.address);
    const r = await c.deliver(a, [any(claimRewardsMsg(a.address))]);
    expect(r.code).toBe(0);
    expect(c.balance(a.address) - before).toBe(78n - 100n);
    // The 0.75ukex a's claim rounded off is dust on its way to the community pool.
    expect(c.s.keepers.multistaking.pool(c.readContext()).dust).toBe('750000000000000000');
    await c.block();
    expect(claimable(b.address)).toEqual([22n]); // 11.25 + 11.25
    expect(c.invariants()).toEqual([]);

    // Nothing more to claim right after a claim: its own code.
    await c.block();
    const again = await c.deliver(a, [any(claimRewardsMsg(a.address))]);
    expect(again.code).toBe(0); // the claim fee of block n was credited meanwhile
    const none = await c.deliver(c.users[3], [any(claimRewardsMsg(c.users[3].address))]);
    expect([none.codespace, none.code]).toEqual([MULTISTAKING_CODESPACE, 12]);

    // A validator without a withdraw account: its operator claims its commission.
    await c.block(); // credits the previous tx's fee, so nothing more arrives with the claim
    const v1Before = c.balance(v1.address);
    const owed = commission(v1.valKey);
    const claim = await c.deliver(v1, [any(claimCommissionMsg(v1.address, v1.valAddr))]);
    expect(claim.code).toBe(0);
    expect(c.balance(v1.address) - v1Before).toBe(owed - 100n);
    // Anyone else is refused.
    const stranger = await c.deliver(b, [any(claimCommissionMsg(b.address, v0.valAddr))]);
    expect([stranger.codespace, stranger.code]).toEqual([MULTISTAKING_CODESPACE, 11]);
    expect(c.invariants()).toEqual([]);
  });

  it('undelegates only after MIN_DELEGATION_PERIOD, at most what was delegated; refuses delegating to a jailed validator', async () => {
    await open();
    const [v0, v1] = c.ops;
    const [a] = c.users;
    expect((await c.deliver(a, [any(delegateMsg(a.address, v0.valAddr, '3000'))])).code).toBe(0);
    const at = c.now;
    let r = await c.deliver(a, [any(undelegateMsg(a.address, v0.valAddr, '1000'))]);
    expect([r.codespace, r.code]).toEqual([MULTISTAKING_CODESPACE, 9]);
    expect(r.log).toContain(`${at + 7 * DAY - c.now} seconds remaining`);
    await c.block([], { dt: 7 * DAY });
    r = await c.deliver(a, [any(undelegateMsg(a.address, v0.valAddr, '3001'))]);
    expect([r.codespace, r.code]).toEqual([MULTISTAKING_CODESPACE, 10]);
    const before = c.balance(a.address);
    r = await c.deliver(a, [any(undelegateMsg(a.address, v0.valAddr, '1000'))]);
    expect(r.code).toBe(0);
    expect(c.balance(a.address) - before).toBe(1000n - 100n);
    expect(c.s.keepers.multistaking.vault(c.readContext(), v0.valKey)!.totalAssets).toBe('2000');
    // Jailed: no new delegation; accrued rewards stay claimable.
    await c.block([], { doubleSigners: [v1.consAddr] });
    r = await c.deliver(a, [any(delegateMsg(a.address, v1.valAddr, '10'))]);
    expect([r.codespace, r.code]).toEqual([MULTISTAKING_CODESPACE, 5]);
    await c.block([], { doubleSigners: [v0.consAddr] }); // skipped: v0 is the last ACTIVE validator
    r = await c.deliver(a, [any(claimRewardsMsg(a.address))]);
    expect(r.code).toBe(0);
    expect(c.invariants()).toEqual([]);
  });

  it('a commission change affects only rewards credited after it is finalized', async () => {
    await open();
    const [v0] = c.ops;
    const [a] = c.users;
    expect((await c.deliver(a, [any(delegateMsg(a.address, v0.valAddr, '1000'))])).code).toBe(0);
    await c.block();
    expect((await c.deliver(v0, [any(initCommissionMsg(v0.address, '0.5'))])).code).toBe(0);
    // Pending: the block crediting the init tx's fee still takes 10 % (5 of 50).
    const c0 = commission(v0.valKey);
    await c.block();
    expect(commission(v0.valKey) - c0).toBe(5n);
    await c.block([], { dt: 1000 });
    expect((await c.deliver(v0, [any(finalizeCommissionMsg(v0.address))])).code).toBe(0);
    const c1 = commission(v0.valKey);
    await c.block();
    expect(commission(v0.valKey) - c1).toBe(25n);
    expect(c.invariants()).toEqual([]);
  });

  it('a full vault takes a newcomer only with MIN_DELEGATION_PUSHOUT × the smallest delegation, which is pushed out', async () => {
    await open({ max_delegators: '2', min_delegation_pushout: '10' });
    const [v0] = c.ops;
    const [a, b, d] = c.users;
    expect((await c.deliver(a, [any(delegateMsg(a.address, v0.valAddr, '100'))])).code).toBe(0);
    expect((await c.deliver(b, [any(delegateMsg(b.address, v0.valAddr, '200'))])).code).toBe(0);
    let r = await c.deliver(d, [any(delegateMsg(d.address, v0.valAddr, '999'))]);
    expect([r.codespace, r.code]).toEqual([MULTISTAKING_CODESPACE, 6]);
    expect(r.log).toContain('delegate at least 1000ukex');
    // An existing delegator may always add.
    expect((await c.deliver(a, [any(delegateMsg(a.address, v0.valAddr, '1'))])).code).toBe(0);
    const aBefore = c.balance(a.address);
    const owed = claimable(a.address)[0];
    r = await c.deliver(d, [any(delegateMsg(d.address, v0.valAddr, '1010'))]);
    expect(r.code).toBe(0);
    expect(r.events.find((e) => e.type === 'delegation_pushout')).toBeDefined();
    expect(c.balance(a.address) - aBefore).toBe(101n);
    // a's rewards survive the pushout.
    expect(claimable(a.address)[0]).toBeGreaterThanOrEqual(owed);
    expect(c.s.keepers.multistaking.vault(c.readContext(), v0.valKey)!.delegators).toBe(2n);
    expect((await c.deliver(a, [any(claimRewardsMsg(a.address))])).code).toBe(0);
    expect(c.invariants()).toEqual([]);
  });

  it('inflation accrues for the seconds since the previous block, at most MAX_INFLATION_STEP (600 s) for a block after a halt', async () => {
    await open({ inflation_rate: '0.18', inflation_period: '31557600' });
    const k = c.s.keepers.multistaking;
    const supply = () => c.s.keepers.bank.supplyOf(c.readContext(), 'ukex');
    const mintedBy = async (dt: number): Promise<{ minted: bigint; expected: bigint }> => {
      const [before, carry] = [supply(), BigInt(k.pool(c.readContext()).inflationCarry || '0')];
      const { events } = await c.block([], { dt });
      const step = BigInt(Math.min(dt, Number(MAX_INFLATION_STEP)));
      const expected = (before * 180_000_000_000_000_000n * step + carry) / (REWARD_SCALE * 31_557_600n);
      const minted = BigInt(events.find((e) => e.type === 'block_rewards')!.attributes.find((a) => a.key === 'minted')!.value.replace('ukex', ''));
      return { minted, expected };
    };
    const normal = await mintedBy(5);
    expect(normal.minted).toBe(normal.expected);
    expect(normal.minted).toBeGreaterThan(0n);
    // The chain was down for an hour: its first block mints 600 s worth, and the next one only its own 5 s.
    const afterHalt = await mintedBy(3600);
    expect(afterHalt.minted).toBe(afterHalt.expected);
    expect(afterHalt.minted).toBeLessThan(normal.minted * 121n);
    expect(afterHalt.minted).toBeGreaterThan(normal.minted * 119n);
    const next = await mintedBy(5);
    expect(next.minted).toBe(next.expected);
    expect(next.minted).toBeLessThanOrEqual(normal.minted + 1n);
    expect(c.invariants()).toEqual([]);
  });
});
