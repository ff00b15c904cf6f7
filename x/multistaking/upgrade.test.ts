/**
 * The multistaking store joins a running chain at the "multistaking" upgrade: before it the
 * chain's state is today's (the store is outside the AppHash); a node opened before the plan
 * stops before the upgrade height and, restarted, mounts the store; nothing is lost.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { CODE_VERSION, EconChain, openApp } from '../../test/economics/chain';
import { msg } from '../../test/accountid/helpers';
import { softwareUpgradeContent, voteMsg } from '../gov/cli';
import { submitProposalMsg } from '../../client/cliEnv';

import { claimRewardsMsg, delegateMsg } from './cli';
import { MULTISTAKING_CODESPACE } from './types/errors';
import { MULTISTAKING_STORE_KEY } from './types/keys';
import { RootMultiStore } from '../../store/rootmulti';
import { join } from 'node:path';
import { QueryVaultsRequest, QueryVaultsResponse } from '../../proto/gen/sekai/multistaking/v1/query';
import { QueryPaths as MultistakingQueryPaths } from './queryServer';

const any = (m: { typeUrl: string; value: Uint8Array }): Any => ({ typeUrl: m.typeUrl, value: m.value });

it('a chain running without the module upgrades into it at the plan height, keeping every balance', async () => {
  const c = await EconChain.open({ operators: 2, seated: 2, users: 3, properties: { inflation_rate: '0' } });
  try {
    const [op0] = c.ops;
    const [a, b] = c.users;
    await c.block();
    expect((await c.deliver(a, [msg.send(a.address, b.address, '12345')])).code).toBe(0);
    // Before the upgrade: no store in the state, delegation refused with its own code.
    const early = await c.deliver(a, [any(delegateMsg(a.address, op0.valAddr, '100'))]);
    expect([early.codespace, early.code]).toEqual([MULTISTAKING_CODESPACE, 2]);
    expect((c.s.store as unknown as RootMultiStore).storesAt(c.height)).not.toContain(MULTISTAKING_STORE_KEY);

    const H = c.height + 8;
    const submit = await c.deliver(op0, [submitProposalMsg(op0.address, 'Delegation', 'Add x/multistaking', softwareUpgradeContent('multistaking', CODE_VERSION, String(H)))]);
    expect(submit.code).toBe(0);
    const id = /"proposal_id","value":"(\d+)"/.exec(JSON.stringify(submit.events))![1];
    expect((await c.deliver(op0, [voteMsg(op0.address, id, 'yes')])).code).toBe(0);
    const balances = () => [a, b, op0].map((k) => c.balance(k.address));
    // Blocks pass until the node, opened before the plan existed, refuses to run past H − 1.
    let halted = '';
    while (c.height < H) {
      try {
        await c.block([], { dt: 301 });
      } catch (err) {
        halted = (err as Error).message;
        break;
      }
    }
    expect(halted).toContain('restart the node so that it mounts the store');
    expect(c.height).toBe(H - 2);
    const before = balances();
    const hashBefore = c.s.store.lastCommitId().hash;
    const planOpens = jest.spyOn(RootMultiStore, 'open');
    await c.restart();
    // One open: the pending plan read from the committed state decides the store's height.
    expect(planOpens).toHaveBeenCalledTimes(1);
    planOpens.mockRestore();
    expect((c.s.store as unknown as RootMultiStore).activeSince(MULTISTAKING_STORE_KEY)).toBe(H);
    expect(c.s.store.lastCommitId().hash).toEqual(hashBefore);
    await c.block(); // H − 1
    expect((c.s.store as unknown as RootMultiStore).storesAt(c.height)).not.toContain(MULTISTAKING_STORE_KEY);
    const { events } = await c.block(); // H: the store joins
    expect((c.s.store as unknown as RootMultiStore).storesAt(c.height)).toContain(MULTISTAKING_STORE_KEY);
    expect(events.some((e) => e.type === 'multistaking_activated')).toBe(true);
    expect(balances()).toEqual(before);

    expect((await c.deliver(a, [any(delegateMsg(a.address, op0.valAddr, '1000'))])).code).toBe(0);
    await c.block();
    // Restarted after the upgrade, the node mounts the store from the height it joined at,
    // which the multistore reads from its commit infos: the state is opened once.
    const opens = jest.spyOn(RootMultiStore, 'open');
    await c.restart();
    expect(opens).toHaveBeenCalledTimes(1);
    opens.mockRestore();
    const root = c.s.store as unknown as RootMultiStore;
    expect(root.activeSince(MULTISTAKING_STORE_KEY)).toBe(H);
    expect(root.storesAt(H - 1)).not.toContain(MULTISTAKING_STORE_KEY);
    expect(root.availableVersions()[0]).toBe(1);
    await c.block();
    expect((await c.deliver(a, [any(claimRewardsMsg(a.address))])).code).toBe(0);
    expect(c.invariants()).toEqual([]);
    const exported = c.s.app.exportGenesis() as Record<string, { vaults?: unknown[] }>;
    expect(exported.multistaking?.vaults).toHaveLength(2);

    // A new node state-syncs the upgraded chain: its genesis has no multistaking section and
    // it has not seen the plan, yet the snapshot holds the store, which joins at that height.
    const fresh = await openApp({ dbDir: join(c.dir, 'synced'), pruning: { strategy: 'nothing' } });
    try {
      const target = fresh.store as unknown as RootMultiStore;
      const version = root.lastCommitId().version;
      await target.beginRestore(version);
      for (const s of root.exportVersion(version)) await target.restoreStore(s.name, s.nodes as never);
      await target.finishRestore(root.appHash(version));
      expect(target.activeSince(MULTISTAKING_STORE_KEY)).toBe(version);
      const ask = (sekai: typeof fresh) => sekai.app.query({ path: MultistakingQueryPaths.vaults, data: QueryVaultsRequest.encode(QueryVaultsRequest.fromPartial({ pagination: { limit: 10n } })).finish(), height: BigInt(version), prove: false });
      const [mine, theirs] = [ask(fresh), ask(c.s)];
      expect(mine.code).toBe(0);
      expect(Buffer.from(mine.value).toString('hex')).toBe(Buffer.from(theirs.value).toString('hex'));
      expect(QueryVaultsResponse.decode(mine.value).vaults).toHaveLength(2);
    } finally {
      await fresh.app.close();
    }
  } finally {
    await c.close();
  }
});
