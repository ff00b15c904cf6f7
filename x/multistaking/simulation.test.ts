/**
 * Randomized economics: delegations, undelegations, claims, commission changes, pauses,
 * missed blocks (inactivation) and jail, with the "multistaking" upgrade partway. After
 * every block every invariant holds (x/bank supply, x/multistaking's exact books); no
 * claim pays more than the delegation accrued; the chain restarts every 7 blocks, and a
 * second app replaying the same blocks from genesis computes identical AppHashes.
 * ECON_BLOCKS=<n> runs longer (default 60).
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { CODE_VERSION, EconChain } from '../../test/economics/chain';
import { finalizeCommissionMsg, initCommissionMsg } from '../customstaking';
import { pauseMsg, unpauseMsg, activateMsg } from '../customslashing/cli';
import { softwareUpgradeContent, voteMsg } from '../gov/cli';
import { submitProposalMsg } from '../../client/cliEnv';

import type { RootMultiStore } from '../../store/rootmulti';
import { MULTISTAKING_STORE_KEY } from './types/keys';
import { claimCommissionMsg, claimRewardsMsg, delegateMsg, undelegateMsg } from './cli';

const BLOCKS = Number(process.env.ECON_BLOCKS ?? 60);
const any = (m: { typeUrl: string; value: Uint8Array }): Any => ({ typeUrl: m.typeUrl, value: m.value });

/** xorshift32: a fixed seed gives the same run everywhere. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

const options = {
  operators: 4,
  seated: 4,
  users: 6,
  properties: { min_delegation_period: '20', commission_change_delay: '30', max_delegators: '4', min_delegation_pushout: '2', unjail_max_time: '600' },
  validatorFields: (i: number) => ({ commission_rate: ['0.1', '0.05', '0', '0.25'][i] }),
};

it(`${BLOCKS} random blocks keep the books exact, survive restarts and replay to the same AppHashes`, async () => {
  const c = await EconChain.open(options);
  const replay = await EconChain.open(options);
  const r = rng(18);
  try {
    await c.block();
    const [op0] = c.ops;
    const H = 12;
    const submit = await c.deliver(op0, [submitProposalMsg(op0.address, 'Delegation', 'Add x/multistaking', softwareUpgradeContent('multistaking', CODE_VERSION, String(H)))]);
    const id = /"proposal_id","value":"(\d+)"/.exec(JSON.stringify(submit.events))![1];
    await c.deliver(op0, [voteMsg(op0.address, id, 'yes')]);
    const claimed = new Map<string, bigint>();
    let accepted = 0;
    const isActive = () => (c.s.store as unknown as RootMultiStore).storesAt(c.height).includes(MULTISTAKING_STORE_KEY);
    while (c.height < BLOCKS) {
      const txs: Uint8Array[] = [];
      const active0 = isActive();
      if (active0) {
        for (let n = r(4); n > 0; n--) {
          const u = c.users[r(c.users.length)];
          const op = c.ops[r(c.ops.length)];
          const pick = r(10);
          const m =
            pick < 4 ? delegateMsg(u.address, op.valAddr, String(1 + r(5000)))
            : pick < 6 ? undelegateMsg(u.address, op.valAddr, String(1 + r(3000)))
            : pick < 8 ? claimRewardsMsg(u.address)
            : claimCommissionMsg(op.address, op.valAddr);
          txs.push(c.tx(pick === 8 || pick === 9 ? op : u, [any(m)]));
        }
        const op = c.ops[r(c.ops.length)];
        const v = r(12);
        if (v === 0) txs.push(c.tx(op, [any(initCommissionMsg(op.address, ['0', '0.1', '0.5'][r(3)]))]));
        if (v === 1) txs.push(c.tx(op, [any(finalizeCommissionMsg(op.address))]));
        if (v === 2) txs.push(c.tx(op, [any(pauseMsg(op.address))]));
        if (v === 3) txs.push(c.tx(op, [any(unpauseMsg(op.address))]));
        if (v === 4) txs.push(c.tx(op, [any(activateMsg(op.address))]));
      }
      // Someone misses blocks now and then (mischance, inactivation); rarely a double sign.
      const active = c.activeConsAddrs();
      const signers = r(3) === 0 ? active.filter(() => r(4) !== 0) : active;
      const doubleSigners = r(40) === 0 ? [c.ops[r(c.ops.length)].consAddr] : [];
      const before = new Map(!active0 ? [] : c.users.map((u) => [u.address, c.s.keepers.multistaking.delegationsOf(c.readContext(), c.accountId(u.address)!).reduce((s, d) => s + c.s.keepers.multistaking.claimable(c.readContext(), d), 0n)]));
      let res;
      try {
        // Before the upgrade, proposal time passes quickly (the plan must be enacted before H).
        res = await c.block(txs, { signers, doubleSigners, dt: c.height < H ? 301 : 1 + r(30) });
      } catch (err) {
        if (!String(err).includes('restart the node')) throw err;
        await c.restart();
        res = await c.block(txs, { signers, doubleSigners, dt: 301 });
      }
      accepted += res.results.filter((x) => x.code === 0).length;
      // A claim never pays more than the delegation had accrued by the end of that block.
      for (const e of res.results.flatMap((x) => (x.code === 0 ? x.events : []))) {
        if (e.type !== 'claim_rewards') continue;
        const attr = Object.fromEntries(e.attributes.map((a) => [a.key, a.value]));
        claimed.set(attr.delegator, (claimed.get(attr.delegator) ?? 0n) + BigInt(attr.amount.replace('ukex', '')));
      }
      for (const [who, had] of before) {
        const gained = claimed.get(who) ?? 0n;
        // What one block can add to what was claimable: at most the block's whole reward.
        expect(gained).toBeLessThanOrEqual(had + 10n ** 12n);
        claimed.delete(who);
      }
      expect(c.invariants()).toEqual([]);
      if (c.height % 7 === 0) await c.restart();
    }
    expect(accepted).toBeGreaterThan(BLOCKS / 2);
    expect(isActive()).toBe(true);
    expect(c.s.keepers.multistaking.vaults(c.readContext()).length).toBeGreaterThan(0);
    for (const b of c.blocks) {
      try {
        await replay.block(b.input.txs, b.input);
      } catch (err) {
        if (!String(err).includes('restart the node')) throw err;
        await replay.restart();
        await replay.block(b.input.txs, b.input);
      }
    }
    expect(replay.blocks.map((b) => b.appHash)).toEqual(c.blocks.map((b) => b.appHash));
  } finally {
    await c.close();
    await replay.close();
  }
}, 300_000);
