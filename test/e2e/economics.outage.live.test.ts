/**
 * Rewards through a network outage (KuChain's Kratos halt, issue 18), on a live
 * 3-validator CometBFT network (test/network.ts) whose genesis starts x/multistaking:
 * two delegators each hold the only delegation of a vault; blocks credit rewards; two of
 * the three nodes stop (the network halts: one third of the power cannot commit), then the
 * last one; after a while every node restarts and the chain resumes.
 *
 * Checked from the chain's own records (block results and queries at past heights of the
 * archive nodes), exactly, in integers:
 *  - each block's delegators' part of a vault (`validator_reward` events) adds up, with the
 *    vault's carried division remainder, to what its delegator can claim — at the last height
 *    before the halt, and in the claim sent after the restart, which pays what accrued before
 *    the halt plus what accrued after, to the unit;
 *  - every block mints INFLATION_RATE × supply × min(seconds since the previous block, 600)
 *    / INFLATION_PERIOD (plus the carried remainder): the first block after the halt mints
 *    for its gap only up to the per-block cap, and nothing is minted later to catch up.
 *    (A gap beyond the 600 s cap cannot be waited for here; x/multistaking/multistaking.test.ts
 *    shows the cap binding after an hour's gap.)
 */
import { QuerySupplyOfRequest, QuerySupplyOfResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import {
  QueryDelegationsRequest,
  QueryDelegationsResponse,
  QueryPoolRequest,
  QueryPoolResponse,
  QueryRewardsRequest,
  QueryRewardsResponse,
  QueryVaultRequest,
  QueryVaultResponse,
} from '../../proto/gen/sekai/multistaking/v1/query';
import { MAX_INFLATION_STEP, MultistakingQueryPaths, REWARD_SCALE } from '../../x/multistaking';
import { Dec } from '../../types/dec';
import { describeWithCometBFT } from '../cometbft';
import { startNetwork, type Network } from '../network';

jest.setTimeout(300_000);

const INFLATION_RATE = '0.18';
const INFLATION_PERIOD = 31_557_600n;
/** How long the whole network stays down (wall clock): long against the ~0.5 s block interval. */
const OUTAGE_MS = 12_000;

type Events = { type: string; attributes: { key: string; value: string }[] }[];
const ukex = (s: string): bigint => BigInt(s.replace(/ukex$/, ''));
const attr = (e: Events[number], key: string) => e.attributes.find((a) => a.key === key)?.value ?? '';
const big = (s: string): bigint => (s === '' ? 0n : BigInt(s));

describeWithCometBFT('rewards through a halt of a live 3-validator network', () => {
  let net: Network;

  beforeAll(async () => {
    net = await startNetwork({
      validators: 3,
      chainId: 'sekai-outage-1',
      properties: [
        ['INFLATION_RATE', INFLATION_RATE],
        ['INFLATION_PERIOD', INFLATION_PERIOD.toString()],
        ['MIN_DELEGATION_PERIOD', '1'],
      ],
      editGenesis: (g) => {
        g.app_state.multistaking = { vaults: [], delegations: [] };
      },
    });
    await net.waitForHeight(2);
  }, 300_000);

  afterAll(async () => {
    await net?.stop();
  });

  /** An ABCI query at a committed height through the first running node. */
  async function ask<T>(path: string, data: Uint8Array, decode: (b: Uint8Array) => T, height: number): Promise<T> {
    const r = await net.rpc<{ response: { code: number; value: string; log: string } }>(`abci_query?path="${path}"&data=0x${Buffer.from(data).toString('hex')}&height=${height}`);
    if (r.response.code !== 0) throw new Error(`${path} at ${height}: ${r.response.log}`);
    return decode(Buffer.from(r.response.value ?? '', 'base64'));
  }
  const vault = async (valoper: string, h: number) => (await ask(MultistakingQueryPaths.vault, QueryVaultRequest.encode({ valKey: valoper }).finish(), (b) => QueryVaultResponse.decode(b), h)).vault!;
  const pool = async (h: number) => (await ask(MultistakingQueryPaths.pool, QueryPoolRequest.encode({}).finish(), (b) => QueryPoolResponse.decode(b), h)).pool!;
  const claimable = async (address: string, h: number) => BigInt((await ask(MultistakingQueryPaths.rewards, QueryRewardsRequest.encode({ delegator: address }).finish(), (b) => QueryRewardsResponse.decode(b), h)).total);
  const shares = async (address: string, h: number) =>
    BigInt((await ask(MultistakingQueryPaths.delegations, QueryDelegationsRequest.encode({ delegator: address }).finish(), (b) => QueryDelegationsResponse.decode(b), h)).delegations[0].delegation!.shares);
  const supply = async (h: number) => BigInt((await ask('/cosmos.bank.v1beta1.Query/SupplyOf', QuerySupplyOfRequest.encode({ denom: 'ukex' }).finish(), (b) => QuerySupplyOfResponse.decode(b), h)).amount.amount);
  const blockTime = async (h: number) => BigInt(Math.floor(Date.parse((await net.header(net.live().index, h) as unknown as { time: string }).time) / 1000));
  const blockEvents = async (h: number) => (await net.rpc<{ finalize_block_events?: Events }>(`block_results?height=${h}`)).finalize_block_events ?? [];

  /** What a vault's only delegator accrued from the block after `from` to `to`: Σ delegators' parts, with the carried remainders. */
  async function accrued(valoper: string, from: number, to: number): Promise<bigint> {
    let parts = 0n;
    for (let h = from + 1; h <= to; h++) {
      for (const e of await blockEvents(h)) if (e.type === 'validator_reward' && attr(e, 'validator') === valoper) parts += ukex(attr(e, 'delegators'));
    }
    const [a, b] = [await vault(valoper, from), await vault(valoper, to)];
    // shares × Δ reward-per-share = 10^18 × Σ parts + carry(from) − carry(to), and the claim floors it.
    return (parts * REWARD_SCALE + big(a.rewardCarry) - big(b.rewardCarry)) / REWARD_SCALE;
  }

  test('delegators claim exactly what accrued before the halt plus after it; the first block after it mints only up to the per-block cap', async () => {
    // node0's operator delegates to node1, node2's to node0: each the only delegator of its vault.
    const delegators = [
      { who: 0, to: 1, amount: '1000000ukex' },
      { who: 2, to: 0, amount: '2500000ukex' },
    ];
    const since: number[] = [];
    for (const d of delegators) {
      const r = await net.txCommitted(d.who, ['multistaking', 'delegate', net.nodes[d.to].valoper, d.amount]);
      expect(r.tx_result.code).toBe(0);
      since.push(Number(r.height));
    }
    await net.waitForHeight(Math.max(...since) + 4);

    // The outage: two of three nodes stop and the last stops committing; then it stops too.
    await Promise.all([net.nodes[1].proc.stop(), net.nodes[2].proc.stop()]);
    const halted = await net.waitFor('the network to halt', async () => {
      const h = await net.height(0);
      await new Promise((r) => setTimeout(r, 3_000));
      return h !== undefined && (await net.height(0)) === h ? h : undefined;
    });
    const beforeHalt = await Promise.all(delegators.map((d) => claimable(net.nodes[d.who].address, halted)));
    for (const c of beforeHalt) expect(c).toBeGreaterThan(0n);
    await net.nodes[0].proc.stop();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    for (const n of net.nodes) await n.proc.startApp();
    for (const n of net.nodes) n.proc.startComet();
    await net.waitForHeight(halted + 3);

    // What accrued before the halt is what the chain held claimable at its last height.
    for (const [i, d] of delegators.entries()) expect(await accrued(net.nodes[d.to].valoper, since[i], halted)).toBe(beforeHalt[i]);

    // After the restart each claims: the rewards of before the halt plus those accrued after, to the unit.
    for (const [i, d] of delegators.entries()) {
      const r = await net.txCommitted(d.who, ['multistaking', 'claim-rewards']);
      expect(r.tx_result.code).toBe(0);
      const paid = (r.tx_result.events ?? []).filter((e) => e.type === 'claim_rewards').reduce((s, e) => s + ukex(attr(e, 'amount')), 0n);
      const at = Number(r.height);
      const after = await accrued(net.nodes[d.to].valoper, halted, at);
      expect(after).toBeGreaterThan(0n);
      expect(paid).toBe(await accrued(net.nodes[d.to].valoper, since[i], at));
      // The two parts, each floored, add up to the claim within the one unit the split may round.
      expect(paid - beforeHalt[i] - after).toBeGreaterThanOrEqual(0n);
      expect(paid - beforeHalt[i] - after).toBeLessThanOrEqual(1n);
      expect(await shares(net.nodes[d.who].address, at)).toBeGreaterThan(0n);
    }

    // Inflation, block by block across the halt: the gap's block mints for min(gap, 600 s) and nothing catches up later.
    const rate = Dec.fromString(INFLATION_RATE).scaled;
    const end = (await net.height(net.live().index))!;
    let gap = 0n;
    for (let h = Math.max(...since) + 1; h <= end; h++) {
      const [prev, now, minted] = [await pool(h - 1), await blockTime(h), (await pool(h)).minted];
      const dt = now - prev.lastDistributionTime;
      if (dt > gap) gap = dt;
      const step = dt < MAX_INFLATION_STEP ? dt : MAX_INFLATION_STEP;
      const expected = ((await supply(h - 1)) * rate * step + big(prev.inflationCarry)) / (REWARD_SCALE * INFLATION_PERIOD);
      expect([h, big(minted) - big(prev.minted)]).toEqual([h, expected]);
      const event = (await blockEvents(h)).find((e) => e.type === 'block_rewards');
      expect(ukex(attr(event!, 'minted'))).toBe(expected);
    }
    // The longest gap is the halt's (node0 may have missed the last block before it, so it is searched for).
    expect(gap).toBeGreaterThanOrEqual(BigInt(Math.floor(OUTAGE_MS / 1000)));
    expect(net.consensusFailures()).toEqual([]);
  });
});
