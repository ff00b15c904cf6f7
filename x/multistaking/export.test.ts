/**
 * Export → import of x/multistaking on the whole app: a chain with deposits, vaults,
 * delegations (one pushed out), unclaimed rewards and commission, delegations still inside
 * MIN_DELEGATION_PERIOD and a pending commission change exports its genesis; a new chain
 * started from that document answers every multistaking query as the old one did, holds the
 * same store entries, and then runs the same blocks with the same results as the old chain.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { EconChain } from '../../test/economics/chain';
import type { RootMultiStore } from '../../store/rootmulti';
import { QueryDelegationTotalRewardsRequest } from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import {
  QueryDelegationsRequest,
  QueryPoolRequest,
  QueryRewardsRequest,
  QueryVaultRequest,
  QueryVaultsRequest,
} from '../../proto/gen/sekai/multistaking/v1/query';
import { QueryValidatorsRequest } from '../../proto/gen/sekai/staking/v1/query';
import { depositMsg, finalizeCommissionMsg, initCommissionMsg, StakingQueryPaths } from '../customstaking';
import { claimCommissionMsg, claimRewardsMsg, delegateMsg, undelegateMsg } from './cli';
import { QueryPaths } from './queryServer';
import { MULTISTAKING_CODESPACE } from './types/errors';
import { MULTISTAKING_STORE_KEY } from './types/keys';

const any = (m: { typeUrl: string; value: Uint8Array }): Any => ({ typeUrl: m.typeUrl, value: m.value });
/** The store's record of the height it joined at (types/keys.ts): an imported chain joined at its genesis. */
const ACTIVATED_AT_KEY = '05';

/** Every multistaking (and deposit) query a wallet or operator makes, answered by one chain. */
function answers(c: EconChain): Record<string, string> {
  const out: Record<string, string> = {};
  const ask = (name: string, path: string, data: Uint8Array) => {
    const r = c.query(path, data);
    out[name] = r.code === 0 ? Buffer.from(r.value).toString('hex') : `code ${r.codespace}/${r.code}: ${r.log}`;
  };
  ask('vaults', QueryPaths.vaults, QueryVaultsRequest.encode(QueryVaultsRequest.fromPartial({ pagination: { limit: 100n, countTotal: true } })).finish());
  ask('pool', QueryPaths.pool, QueryPoolRequest.encode({}).finish());
  ask('validators', StakingQueryPaths.validators, QueryValidatorsRequest.encode(QueryValidatorsRequest.fromPartial({ pagination: { limit: 100n } })).finish());
  for (const op of c.ops) ask(`vault ${op.valAddr}`, QueryPaths.vault, QueryVaultRequest.encode({ valKey: op.valAddr }).finish());
  for (const k of [...c.users, ...c.ops]) {
    ask(`delegations ${k.address}`, QueryPaths.delegations, QueryDelegationsRequest.encode({ delegator: k.address }).finish());
    ask(`rewards ${k.address}`, QueryPaths.rewards, QueryRewardsRequest.encode({ delegator: k.address }).finish());
    ask(`total rewards ${k.address}`, QueryPaths.delegationTotalRewards, QueryDelegationTotalRewardsRequest.encode({ delegatorAddress: k.address }).finish());
    out[`balance ${k.address}`] = c.balance(k.address).toString();
  }
  return out;
}

/** The committed entries of the multistaking store, as hex, without the height it joined at. */
function storeEntries(c: EconChain): [string, string][] {
  const root = c.s.store as unknown as RootMultiStore;
  const reader = root.readerAt(MULTISTAKING_STORE_KEY, root.lastCommitId().version);
  const out: [string, string][] = [];
  for (const [k, v] of reader.iterator()) {
    const key = Buffer.from(k).toString('hex');
    if (key !== ACTIVATED_AT_KEY) out.push([key, Buffer.from(v).toString('hex')]);
  }
  return out;
}

const outcome = (r: ExecTxResult) => ({ code: r.code, codespace: r.codespace, log: r.log, events: r.events });

describe('x/multistaking export → import', () => {
  const chains: EconChain[] = [];
  afterAll(async () => {
    for (const c of chains) await c.close();
  });

  it('a chain started from an exported genesis has the same delegations, rewards and locks, and continues identically', async () => {
    const c = await EconChain.open({
      operators: 3,
      seated: 3,
      users: 6,
      // Inflation stays on (0.18 a year): the carried remainder and the last distribution time travel too.
      properties: { min_delegation_period: '100', commission_change_delay: '50', max_delegators: '3', min_delegation_pushout: '2' },
      validatorFields: (i) => ({ commission_rate: ['0.1', '0.05', '0'][i] }),
      app: { multistakingAtGenesis: true },
    });
    chains.push(c);
    const [v0, v1, v2] = c.ops;
    const [a, b, d, e, f, w] = c.users;
    const ok = async (k: (typeof c.users)[number], m: Any) => {
      const r = await c.deliver(k, [m]);
      if (r.code !== 0) throw new Error(`${r.codespace}/${r.code}: ${r.log}`);
    };
    await c.block();
    // A deposit that fixes v1's withdraw account; v2 starts a commission change it will finalize after the export.
    await ok(v1, any(depositMsg(v1.address, '5000ukex', w.address)));
    await ok(v2, any(initCommissionMsg(v2.address, '0.2')));
    await ok(a, any(delegateMsg(a.address, v0.valAddr, '300000')));
    await ok(b, any(delegateMsg(b.address, v0.valAddr, '7000')));
    await ok(d, any(delegateMsg(d.address, v0.valAddr, '90000')));
    await ok(a, any(delegateMsg(a.address, v1.valAddr, '123457')));
    await c.block([], { dt: 40 });
    // v0's vault is full (MAX_DELEGATORS 3): e brings twice the smallest (b's) and pushes it out.
    await ok(e, any(delegateMsg(e.address, v0.valAddr, '20000')));
    await ok(a, any(claimRewardsMsg(a.address)));
    await c.block([], { dt: 120 });
    // a takes part of its v0 delegation back; f delegates and stays locked across the export.
    await ok(a, any(undelegateMsg(a.address, v0.valAddr, '100001')));
    await ok(w, any(claimCommissionMsg(w.address, v1.valAddr)));
    await ok(f, any(delegateMsg(f.address, v2.valAddr, '55555')));
    await c.block([], { dt: 7 });
    expect(c.invariants()).toEqual([]);

    const exported = c.s.app.exportGenesis();
    const section = exported.multistaking as { vaults: unknown[]; delegations: unknown[]; pool: Record<string, string> };
    expect(section.vaults).toHaveLength(3);
    // a (v0, v1), b (pushed out, rewards left to claim), d, e, f.
    expect(section.delegations).toHaveLength(6);
    expect(BigInt(section.pool.minted)).toBeGreaterThan(0n);

    const n = await c.imported(JSON.parse(JSON.stringify(exported)) as Record<string, unknown>);
    chains.push(n);
    // The first block of each: the same input, the same results.
    // The imported chain has no committed block yet to read its validators from: the same votes.
    const signers = c.activeConsAddrs();
    const first = [await c.block([], { signers }), await n.block([], { signers })];
    expect(first[1].events).toEqual(first[0].events);
    const genesisHeight = n.height;
    expect(answers(n)).toEqual(answers(c));
    expect(storeEntries(n)).toEqual(storeEntries(c));
    expect(n.invariants()).toEqual([]);

    // The same blocks on both: f is still locked (same seconds left), claims pay the same,
    // b claims what it accrued before its pushout, v2's commission change finalizes.
    const script: [number, (ch: EconChain) => Uint8Array[]][] = [
      [5, (ch) => [ch.tx(f, [any(undelegateMsg(f.address, v2.valAddr, '1000'))]), ch.tx(b, [any(claimRewardsMsg(b.address))])]],
      [30, (ch) => [ch.tx(v2, [any(finalizeCommissionMsg(v2.address))]), ch.tx(d, [any(claimRewardsMsg(d.address))])]],
      [100, (ch) => [ch.tx(f, [any(undelegateMsg(f.address, v2.valAddr, '55555'))]), ch.tx(v0, [any(claimCommissionMsg(v0.address, v0.valAddr))])]],
      [6, (ch) => [ch.tx(f, [any(claimRewardsMsg(f.address))]), ch.tx(e, [any(delegateMsg(e.address, v1.valAddr, '999'))])]],
      [3600, () => []],
      [5, (ch) => [ch.tx(a, [any(claimRewardsMsg(a.address))])]],
    ];
    const results: ExecTxResult[][] = [];
    for (const [dt, txs] of script) {
      const [rc, rn] = [await c.block(txs(c), { dt }), await n.block(txs(n), { dt })];
      expect(rn.results.map(outcome)).toEqual(rc.results.map(outcome));
      expect(rn.events).toEqual(rc.events);
      results.push(rc.results);
    }
    // f delegated 12 s before the export, MIN_DELEGATION_PERIOD is 100 s: 83 s left after this block.
    expect(outcome(results[0][0])).toMatchObject({ codespace: MULTISTAKING_CODESPACE, code: 9, log: expect.stringContaining('83 seconds remaining') });
    expect(results.slice(1).flat().map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(answers(n)).toEqual(answers(c));
    expect(storeEntries(n)).toEqual(storeEntries(c));
    expect(n.invariants()).toEqual([]);
    expect(c.invariants()).toEqual([]);

    // The imported chain restarts on its one open: the store has been there since its genesis.
    await n.restart();
    expect((n.s.store as unknown as RootMultiStore).activeSince(MULTISTAKING_STORE_KEY)).toBe(genesisHeight);
    await c.block();
    await n.block();
    expect(answers(n)).toEqual(answers(c));
  });

});
