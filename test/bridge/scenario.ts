/**
 * The bridge scenario the ABCI-level tests share: three listeners (two needed), three
 * approvers (two needed), a processor, and two external chains; plus readers of the
 * bridge queries and helpers that attest and approve through signed txs.
 */
import * as Q from '../../proto/gen/sekai/bridge/v1/query';
import type { BridgeEvent } from '../../proto/gen/sekai/bridge/v1/bridge';
import { BridgeQueryPaths, signBridgeBytes } from '../../x/bridge';
import { BridgeChain, closeBridgeApp, genesis, key, msg, openBridgeApp, type BridgeApp, type Key } from './helpers';

export const L = [key('listener-0'), key('listener-1'), key('listener-2')];
export const A = [key('approver-0'), key('approver-1'), key('approver-2')];
export const P = key('processor');
export const outsider = key('outsider');
export const U = key('user-u');
export const V = key('user-v');
export const WALLET_U = 'eth:0x' + '11'.repeat(20);
export const WALLET_V = 'eth:0x' + '22'.repeat(20);

/**
 * Ethereum carries usdc (6 decimals, as its local denom), wkex (minted as ukex), weth (18
 * decimals, 6 locally) and cents (2 decimals, 6 locally); solana carries usdc.
 */
export function bridgeSection(): Record<string, unknown> {
  return {
    validator_set: { processor: P.hex, listeners: L.map((k) => k.hex), needed_listeners: 2, approvers: A.map((k) => k.hex), needed_approvers: 2 },
    chains: [
      {
        name: 'ethereum',
        contract: '0xbridge',
        assets: [
          { external_denom: 'usdc', decimals: 6, local_denom: 'uusdc' },
          { external_denom: 'wkex', decimals: 6, local_denom: 'ukex' },
          { external_denom: 'weth', decimals: 18, local_denom: 'uweth' },
          { external_denom: 'cents', decimals: 2, local_denom: 'ucent', local_decimals: 6 },
        ],
      },
      { name: 'solana', contract: 'So1Bridge', assets: [{ external_denom: 'usdc', decimals: 6, local_denom: 'uusdc' }] },
    ],
  };
}

/** A fresh app and chain at height 1 with the scenario's genesis. */
export async function openScenario(): Promise<{ n: BridgeApp; chain: BridgeChain }> {
  const n = await openBridgeApp();
  const chain = new BridgeChain(n);
  chain.initChain(genesis([...L, ...A, P, outsider].map((k) => k.address), bridgeSection()));
  await chain.block([]);
  return { n, chain };
}

export { closeBridgeApp };

export const deposit = (wallet: string, funds: [string, string][], keys: Key[]): BridgeEvent => ({
  regular: { wallet, funds: funds.map(([denom, amount]) => ({ denom, amount })), keys: keys.map((k) => Buffer.from(k.pub)) },
});

/** Query readers and tx helpers over the chain `get` returns (a new one per test). */
export function views(get: () => BridgeChain) {
  const q = <Res>(path: string, data: Uint8Array, codec: { decode(b: Uint8Array): Res }) => codec.decode(get().query(path, data));
  const chainState = (name: string): Q.QueryChainsResponse['chains'][number] =>
    q(BridgeQueryPaths.chains, Q.QueryChainsRequest.encode({}).finish(), Q.QueryChainsResponse).chains.find((c) => c.config!.name === name)!;
  const actions = (name: string) => q(BridgeQueryPaths.actions, Q.QueryActionsRequest.encode({ chain: name, startId: 0n, limit: 0 }).finish(), Q.QueryActionsResponse);
  const payloadOf = (name: string, id: bigint): Uint8Array => actions(name).actions.find((a) => a.actionId === id)!.payload;
  return {
    chainState,
    actions,
    payloadOf,
    events: (name: string) => q(BridgeQueryPaths.events, Q.QueryEventsRequest.encode({ chain: name, startId: 0n, limit: 0 }).finish(), Q.QueryEventsResponse),
    queue: (name: string) => q(BridgeQueryPaths.pendingWithdrawals, Q.QueryPendingWithdrawalsRequest.encode({ chain: name }).finish(), Q.QueryPendingWithdrawalsResponse).withdrawals,
    config: () => q(BridgeQueryPaths.config, Q.QueryConfigRequest.encode({}).finish(), Q.QueryConfigResponse),
    proposals: () => q(BridgeQueryPaths.proposals, Q.QueryProposalsRequest.encode({}).finish(), Q.QueryProposalsResponse).proposals,
    history: () => q(BridgeQueryPaths.history, Q.QueryHistoryRequest.encode({}).finish(), Q.QueryHistoryResponse).entries,
    /** The chain's tracked balance of a local denom. */
    balanceOf: (name: string, denom: string) => BigInt(chainState(name).balances.find((b) => b.denom === denom)?.amount ?? '0'),
    /** Attests event `id` on `name` by `listeners` (one tx each, one block). */
    attestBy: async (listeners: Key[], name: string, id: bigint, event: BridgeEvent): Promise<void> => {
      const c = get();
      await c.ok(...listeners.map((k) => [k, [msg.attest(k, name, id, event, c.nextMs())]] as [Key, ReturnType<typeof msg.attest>[]]));
    },
    /** Approver signatures over an action's stored payload (one tx each, one block). */
    approveAction: async (name: string, id: bigint, approvers: Key[]): Promise<void> => {
      const c = get();
      const payload = payloadOf(name, id);
      await c.ok(...approvers.map((k) => [k, [msg.approve(k, name, id, signBridgeBytes(k.priv, payload), c.nextMs())]] as [Key, ReturnType<typeof msg.approve>[]]));
    },
    /** The processor completes an action (one block). */
    processorApprove: async (name: string, id: bigint): Promise<void> => {
      const c = get();
      await c.ok([P, [msg.processorApprove(P, name, id, signBridgeBytes(P.priv, payloadOf(name, id)), c.nextMs())]]);
    },
    /** Listeners `voters` vote to revert `id`, then the processor confirms (one block each). */
    revertBy: async (voters: Key[], name: string, id: bigint): Promise<void> => {
      const c = get();
      await c.ok(...voters.map((k) => [k, [msg.revert(k, name, id, c.nextMs())]] as [Key, ReturnType<typeof msg.revert>[]]));
      await c.ok([P, [msg.revert(P, name, id, c.nextMs())]]);
    },
  };
}
