/**
 * Typed reads of the chain for the pages: each module query goes out as abci_query with the
 * module's own protobuf messages (proto/gen, the same code the node runs), so the page shows
 * exactly what `sekaid-ts query …` prints.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBech32, encodeBech32 } from '../../crypto/bech32';
import { QueryValidatorRequest, QueryValidatorResponse, QueryValidatorsRequest, QueryValidatorsResponse } from '../../proto/gen/sekai/staking/v1/query';
import { validatorStatusToJSON, type Validator } from '../../proto/gen/sekai/staking/v1/staking';
import type { PageRequest } from '../../proto/gen/cosmos/base/query/v1beta1/pagination';
import { QuerySigningInfosRequest, QuerySigningInfosResponse } from '../../proto/gen/sekai/slashing/v1/query';
import type { ValidatorSigningInfo } from '../../proto/gen/sekai/slashing/v1/slashing';
import { QueryAllBalancesRequest, QueryAllBalancesResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { QueryAccountRequest, QueryAccountResponse } from '../../proto/gen/sekai/accountid/v1/query';
import type { AccountView } from '../../proto/gen/sekai/accountid/v1/account';
import {
  actorStatusToJSON,
  councilorStatusToJSON,
  voteOptionToJSON,
  voteResultToJSON,
  VoteOption,
  type ActorStatus,
  type Councilor,
  type CouncilorStatus,
  type NetworkActor,
  type Proposal,
  type Role,
  type Vote,
  type VoteResult,
} from '../../proto/gen/sekai/gov/v1/gov';
import { networkPropertyToJSON } from '../../proto/gen/sekai/gov/v1/network_properties';
import { permValueToJSON } from '../../proto/gen/sekai/gov/v1/permission';
import {
  QueryCouncilorsResponse,
  QueryNetworkPropertiesResponse,
  QueryPermissionsRequest,
  QueryPermissionsResponse,
  QueryProposalRequest,
  QueryProposalResponse,
  QueryProposalsRequest,
  QueryProposalsResponse,
  QueryRolesResponse,
} from '../../proto/gen/sekai/gov/v1/query';
import { fromBase64, hex, Rpc, RpcError, toBase64, UnreachableError } from './rpc';

export const Paths = {
  validator: '/sekai.staking.v1.Query/Validator',
  validators: '/sekai.staking.v1.Query/Validators',
  signingInfos: '/sekai.slashing.v1.Query/SigningInfos',
} as const;

/** Pages the node serves at most (x/customstaking MAX_PAGE_LIMIT). */
const PAGE = 1000n;

export const valoper = (key: Uint8Array) => encodeBech32('kiravaloper', key);
export const consAddress = (pubKey: Uint8Array) => encodeBech32('kiravalcons', sha256(pubKey).subarray(0, 20));
export const bech32Bytes = (text: string) => decodeBech32(text).data;

/** One row of the ranking: the validator record and its signing counters, as the CLI prints them. */
export interface ValidatorRow {
  valKey: string;
  consAddress: string;
  address: string;
  moniker: string;
  status: string;
  rank: bigint;
  streak: bigint;
  mischance: bigint;
  mischanceConfidence: bigint;
  produced: bigint;
  missed: bigint;
  commission: string;
  jailedUntil: bigint;
  inactiveUntil: bigint;
  startHeight: bigint;
}

export function toRow(v: Validator, info: ValidatorSigningInfo | undefined): ValidatorRow {
  return {
    valKey: valoper(v.valKey),
    consAddress: consAddress(v.pubKey),
    address: v.address,
    moniker: v.moniker,
    status: validatorStatusToJSON(v.status),
    rank: v.rank,
    streak: v.streak,
    mischance: info?.mischance ?? 0n,
    mischanceConfidence: info?.mischanceConfidence ?? 0n,
    produced: info?.producedBlocksCounter ?? 0n,
    missed: info?.missedBlocksCounter ?? 0n,
    commission: v.commissionRate,
    jailedUntil: v.jailedUntil,
    inactiveUntil: v.inactiveUntil,
    startHeight: v.startHeight,
  };
}

/** Every page of a paginated query at one height (the first page's, when none is given). */
async function allPages<T>(
  rpc: Rpc,
  path: string,
  encode: (page: PageRequest) => Uint8Array,
  decode: (bytes: Uint8Array) => { items: T[]; nextKey?: Uint8Array },
  height?: number,
): Promise<{ items: T[]; height: number }> {
  const items: T[] = [];
  let key: Uint8Array = new Uint8Array(0);
  let at = height;
  for (;;) {
    const res = await rpc.queryWithHeight(path, encode({ key: key as Buffer, offset: 0n, limit: PAGE, countTotal: false, reverse: false }), at);
    at = res.height;
    const page = decode(res.value);
    items.push(...page.items);
    key = page.nextKey ?? new Uint8Array(0);
    if (key.length === 0) return { items, height: at };
  }
}

export function allValidators(rpc: Rpc, height?: number): Promise<{ items: Validator[]; height: number }> {
  return allPages(
    rpc,
    Paths.validators,
    (pagination) => QueryValidatorsRequest.encode({ status: '', pagination }).finish(),
    (b) => {
      const r = QueryValidatorsResponse.decode(b);
      return { items: r.validators, nextKey: r.pagination?.nextKey };
    },
    height,
  );
}

export function allSigningInfos(rpc: Rpc, height?: number): Promise<{ items: ValidatorSigningInfo[]; height: number }> {
  return allPages(
    rpc,
    Paths.signingInfos,
    (pagination) => QuerySigningInfosRequest.encode({ pagination }).finish(),
    (b) => {
      const r = QuerySigningInfosResponse.decode(b);
      return { items: r.infos, nextKey: r.pagination?.nextKey };
    },
    height,
  );
}

/** Every validator with its signing counters, joined on the consensus address, both read at one height. */
export async function validatorRows(rpc: Rpc): Promise<{ rows: ValidatorRow[]; height: number }> {
  const validators = await allValidators(rpc);
  const infos = await allSigningInfos(rpc, validators.height);
  const byCons = new Map(infos.items.map((i) => [hex(i.address), i]));
  return { rows: validators.items.map((v) => toRow(v, byCons.get(hex(sha256(v.pubKey).subarray(0, 20))))), height: validators.height };
}

export async function validatorAt(rpc: Rpc, valAddr: string, height?: number): Promise<Validator | undefined> {
  const req = QueryValidatorRequest.encode({ addr: '', valAddr, moniker: '', consAddr: '' }).finish();
  return QueryValidatorResponse.decode(await rpc.query(Paths.validator, req, height)).validator;
}

export interface Status {
  chainId: string;
  height: number;
  time: string;
  earliestHeight: number;
}

export async function status(rpc: Rpc): Promise<Status> {
  const s = await rpc.call<{ node_info: { network: string }; sync_info: { latest_block_height: string; latest_block_time: string; earliest_block_height: string } }>('status');
  return {
    chainId: s.node_info.network,
    height: Number(s.sync_info.latest_block_height),
    time: s.sync_info.latest_block_time,
    earliestHeight: Number(s.sync_info.earliest_block_height),
  };
}

// ---- governance ----

export const GovPaths = {
  proposals: '/sekai.gov.v1.Query/Proposals',
  proposal: '/sekai.gov.v1.Query/Proposal',
  roles: '/sekai.gov.v1.Query/Roles',
  permissions: '/sekai.gov.v1.Query/Permissions',
  properties: '/sekai.gov.v1.Query/NetworkProperties',
  councilors: '/sekai.gov.v1.Query/Councilors',
} as const;

export interface Tally {
  yes: number;
  no: number;
  abstain: number;
  veto: number;
}

export interface ProposalRow {
  proposal: Proposal;
  votes: Vote[];
  tally: Tally;
}

export function tallyOf(votes: Vote[]): Tally {
  const t: Tally = { yes: 0, no: 0, abstain: 0, veto: 0 };
  for (const v of votes) {
    if (v.option === VoteOption.VOTE_OPTION_YES) t.yes++;
    else if (v.option === VoteOption.VOTE_OPTION_NO) t.no++;
    else if (v.option === VoteOption.VOTE_OPTION_ABSTAIN) t.abstain++;
    else if (v.option === VoteOption.VOTE_OPTION_NO_WITH_VETO) t.veto++;
  }
  return t;
}

/** Every proposal, newest first, with its votes (the Proposal query carries them). */
export async function proposals(rpc: Rpc): Promise<ProposalRow[]> {
  const list = QueryProposalsResponse.decode(await rpc.query(GovPaths.proposals, QueryProposalsRequest.encode({ result: 0, voter: '' }).finish())).proposals;
  const newest = list.slice().sort((a, b) => Number(b.proposalId - a.proposalId));
  return Promise.all(
    newest.map(async (proposal) => {
      const r = QueryProposalResponse.decode(await rpc.query(GovPaths.proposal, QueryProposalRequest.encode({ proposalId: proposal.proposalId }).finish()));
      return { proposal: r.proposal ?? proposal, votes: r.votes, tally: tallyOf(r.votes) };
    }),
  );
}

export async function roles(rpc: Rpc): Promise<Role[]> {
  return QueryRolesResponse.decode(await rpc.query(GovPaths.roles, new Uint8Array(0))).roles;
}

export async function councilors(rpc: Rpc): Promise<Councilor[]> {
  return QueryCouncilorsResponse.decode(await rpc.query(GovPaths.councilors, new Uint8Array(0))).councilors;
}

/** The governance actor of an address; undefined when it holds no role or permission. */
export async function actorOf(rpc: Rpc, address: string): Promise<NetworkActor | undefined> {
  try {
    return QueryPermissionsResponse.decode(await rpc.query(GovPaths.permissions, QueryPermissionsRequest.encode({ address }).finish())).actor;
  } catch (err) {
    if (err instanceof RpcError && /not found/i.test(err.message)) return undefined;
    throw err;
  }
}

export async function networkProperties(rpc: Rpc): Promise<{ name: string; value: string }[]> {
  const r = QueryNetworkPropertiesResponse.decode(await rpc.query(GovPaths.properties, new Uint8Array(0)));
  return r.properties.map((p) => ({ name: networkPropertyToJSON(p.property), value: p.value }));
}

export const permissionName = (n: number) => permValueToJSON(n).replace(/^PERMISSION_/, '');
export const voteResultName = (r: VoteResult) => voteResultToJSON(r).replace(/^VOTE_RESULT_/, '');
export const voteOptionName = (o: VoteOption) => voteOptionToJSON(o).replace(/^VOTE_OPTION_/, '');
export const actorStatusName = (s: ActorStatus) => actorStatusToJSON(s).replace(/^ACTOR_STATUS_/, '');
export const councilorStatusName = (s: CouncilorStatus) => councilorStatusToJSON(s).replace(/^COUNCILOR_STATUS_/, '');

// ---- accounts ----

/** An account by any reference x/accountid resolves: kira… address, name or numeric ID. */
export async function account(rpc: Rpc, ref: string): Promise<AccountView | undefined> {
  try {
    return QueryAccountResponse.decode(await rpc.query('/sekai.accountid.v1.Query/Account', QueryAccountRequest.encode({ ref }).finish())).account;
  } catch (err) {
    if (err instanceof RpcError && err.code !== 0) return undefined;
    throw err;
  }
}

export async function balances(rpc: Rpc, address: string): Promise<{ denom: string; amount: string }[]> {
  const req = QueryAllBalancesRequest.encode({ address, pagination: undefined, resolveDenom: false }).finish();
  return QueryAllBalancesResponse.decode(await rpc.query('/cosmos.bank.v1beta1.Query/AllBalances', req)).balances;
}

// ---- blocks and txs (CometBFT RPC) ----

export interface BlockSummary {
  height: number;
  time: string;
  hash: string;
  txs: number;
  proposer: string;
}

export async function latestBlocks(rpc: Rpc, count = 20): Promise<BlockSummary[]> {
  const r = await rpc.call<{ last_height: string; block_metas: { block_id: { hash: string }; num_txs: string; header: { height: string; time: string; proposer_address: string } }[] }>('blockchain', {});
  const last = Number(r.last_height);
  const metas = last > 20 ? (await rpc.call<typeof r>('blockchain', { minHeight: String(Math.max(1, last - count + 1)), maxHeight: String(last) })).block_metas : r.block_metas;
  return metas.map((m) => ({ height: Number(m.header.height), time: m.header.time, hash: m.block_id.hash, txs: Number(m.num_txs), proposer: m.header.proposer_address }));
}

export interface TxSummary {
  hash: string;
  height: number;
  code: number;
  log: string;
  messages: string[];
  memo: string;
  events: { type: string; attributes: Record<string, string> }[];
}

interface TxJson {
  hash: string;
  height: string;
  tx: string;
  tx_result: { code: number; log: string; events?: { type: string; attributes: { key: string; value: string }[] }[] };
}

function summarizeTx(t: TxJson): TxSummary {
  let messages: string[] = [];
  let memo = '';
  try {
    const body = TxBody.decode(TxRaw.decode(fromBase64(t.tx)).bodyBytes);
    messages = body.messages.map((m) => m.typeUrl.replace(/^\//, ''));
    memo = body.memo;
  } catch {
    messages = ['(undecodable tx)'];
  }
  const events = (t.tx_result.events ?? []).map((e) => ({ type: e.type, attributes: Object.fromEntries(e.attributes.map((a) => [a.key, a.value])) }));
  return { hash: t.hash, height: Number(t.height), code: t.tx_result.code, log: t.tx_result.log, messages, memo, events };
}

/** Txs matching an event query, newest first. */
export async function searchTxs(rpc: Rpc, query: string, perPage = 20): Promise<TxSummary[]> {
  const r = await rpc.call<{ txs: TxJson[] }>('tx_search', { query, per_page: String(perPage), page: '1', order_by: 'desc' });
  return r.txs.map(summarizeTx);
}

export async function txByHash(rpc: Rpc, hash: string): Promise<TxSummary | undefined> {
  try {
    return summarizeTx(await rpc.call<TxJson>('tx', { hash: hashParam(hash) }));
  } catch (err) {
    if (err instanceof RpcError && !(err instanceof UnreachableError)) return undefined;
    throw err;
  }
}

/** CometBFT reads `hash` as base64 bytes in JSON-RPC POST. */
function hashParam(hexHash: string): string {
  return toBase64(Uint8Array.from(hexHash.match(/../g) ?? [], (h) => parseInt(h, 16)));
}

export async function blockAt(rpc: Rpc, height: number): Promise<BlockSummary | undefined> {
  try {
    const r = await rpc.call<{ block_id: { hash: string }; block: { header: { height: string; time: string; proposer_address: string }; data: { txs: string[] | null } } }>('block', { height: String(height) });
    return { height: Number(r.block.header.height), time: r.block.header.time, hash: r.block_id.hash, txs: r.block.data.txs?.length ?? 0, proposer: r.block.header.proposer_address };
  } catch (err) {
    if (err instanceof RpcError && !(err instanceof UnreachableError)) return undefined;
    throw err;
  }
}

// ---- notary pay and bridge: shown as their JSON forms ----

import { QueryErasResponse, QueryLastNotarizationResponse, QueryNotaryPayInfoResponse } from '../../proto/gen/sekai/notarypay/v1/query';
import { QueryActionsRequest, QueryActionsResponse, QueryChainsResponse, QueryEventsRequest, QueryEventsResponse, QueryProposalsResponse as BridgeProposalsResponse } from '../../proto/gen/sekai/bridge/v1/query';

export async function notaryOverview(rpc: Rpc) {
  const q = (m: string) => rpc.query(`/sekai.notarypay.v1.Query/${m}`, new Uint8Array(0));
  const [info, eras, last] = await Promise.all([q('NotaryPayInfo'), q('Eras'), q('LastNotarization')]);
  const recent = await searchTxs(rpc, 'notarization.height > 0', 10);
  return {
    info: QueryNotaryPayInfoResponse.toJSON(QueryNotaryPayInfoResponse.decode(info)) as Record<string, unknown>,
    eras: QueryErasResponse.decode(eras),
    last: QueryLastNotarizationResponse.decode(last),
    recent,
  };
}

/** Bridge chains with their pending events, queued actions and the admin proposals. */
export async function bridgeOverview(rpc: Rpc) {
  const q = (m: string, data = new Uint8Array(0)) => rpc.query(`/sekai.bridge.v1.Query/${m}`, data);
  const chains = QueryChainsResponse.decode(await q('Chains')).chains;
  const perChain = await Promise.all(
    chains.map(async (c) => ({
      chain: c,
      events: QueryEventsResponse.decode(await q('Events', QueryEventsRequest.encode({ chain: c.config?.name ?? "", startId: 0n, limit: 20 }).finish())),
      actions: QueryActionsResponse.decode(await q('Actions', QueryActionsRequest.encode({ chain: c.config?.name ?? "", startId: 0n, limit: 20 }).finish())),
    })),
  );
  const proposals = BridgeProposalsResponse.decode(await q('Proposals')).proposals;
  return { perChain, proposals };
}
