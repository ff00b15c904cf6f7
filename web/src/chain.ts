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
import { hex, Rpc } from './rpc';

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
