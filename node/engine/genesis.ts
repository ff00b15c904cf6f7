/**
 * CometBFT's genesis.json as the engine needs it: chain id, genesis time, initial height,
 * consensus params, validators and the opaque app_state handed to InitChain.
 */
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { registerError } from '../../types/errors';
import type { NodeValidator } from '../types';
import { validatorAddress } from '../consensus/hashes';

export const ErrInvalidGenesis = registerError('genesis', 2, 'invalid genesis document');

export interface GenesisDoc {
  genesisTime: Timestamp;
  chainId: string;
  initialHeight: bigint;
  consensusParams: ConsensusParams;
  validators: NodeValidator[];
  appHash: Uint8Array;
  /** app_state re-serialized as JSON bytes (what InitChain receives). */
  appStateBytes: Uint8Array;
  /** The document as read, for the genesis RPC. */
  json: unknown;
}

/** CometBFT's default consensus params (types/params.go DefaultConsensusParams). */
export function defaultConsensusParams(): ConsensusParams {
  return ConsensusParams.fromPartial({
    block: { maxBytes: 22020096n, maxGas: -1n },
    evidence: { maxAgeNumBlocks: 100000n, maxAgeDuration: { seconds: 172800n, nanos: 0 }, maxBytes: 1048576n },
    validator: { pubKeyTypes: ['ed25519'] },
    version: { app: 0n },
    abci: { voteExtensionsEnableHeight: 0n },
  });
}

/** RFC 3339 with up to nanosecond precision to a protobuf Timestamp. */
export function parseRfc3339(s: string): Timestamp {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (m === null) throw ErrInvalidGenesis.wrap(`bad time ${JSON.stringify(s)}`);
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) throw ErrInvalidGenesis.wrap(`bad time ${JSON.stringify(s)}`);
  return { seconds: BigInt(ms / 1000), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

/** A Timestamp in CometBFT's JSON form (RFC 3339, trailing zeros of the fraction trimmed). */
export function formatRfc3339(t: Timestamp): string {
  const base = new Date(Number(t.seconds) * 1000).toISOString().slice(0, 19);
  const frac = t.nanos === 0 ? '' : '.' + String(t.nanos).padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac}Z`;
}

function int(v: unknown, what: string, dflt: bigint): bigint {
  if (v === undefined || v === null) return dflt;
  if ((typeof v === 'string' && /^-?\d+$/.test(v)) || (typeof v === 'number' && Number.isInteger(v))) return BigInt(v);
  throw ErrInvalidGenesis.wrap(`${what} must be an integer, got ${JSON.stringify(v)}`);
}

/** Reads a genesis.json document (already JSON-parsed). */
export function parseGenesis(json: unknown): GenesisDoc {
  const g = json as Record<string, unknown>;
  if (typeof g !== 'object' || g === null) throw ErrInvalidGenesis.wrap('not an object');
  if (typeof g.chain_id !== 'string' || g.chain_id === '' || g.chain_id.length > 50) {
    throw ErrInvalidGenesis.wrap('chain_id must be a non-empty string of at most 50 characters');
  }
  if (typeof g.genesis_time !== 'string') throw ErrInvalidGenesis.wrap('genesis_time is missing');
  const initialHeight = int(g.initial_height, 'initial_height', 1n);
  if (initialHeight < 1n) throw ErrInvalidGenesis.wrap('initial_height must be at least 1');
  const params = defaultConsensusParams();
  const cp = (g.consensus_params ?? {}) as Record<string, Record<string, unknown> | undefined>;
  if (cp.block) params.block = { maxBytes: int(cp.block.max_bytes, 'block.max_bytes', 22020096n), maxGas: int(cp.block.max_gas, 'block.max_gas', -1n) };
  if (cp.evidence) {
    const ns = int(cp.evidence.max_age_duration, 'evidence.max_age_duration', 172800000000000n);
    params.evidence = {
      maxAgeNumBlocks: int(cp.evidence.max_age_num_blocks, 'evidence.max_age_num_blocks', 100000n),
      maxAgeDuration: { seconds: ns / 1000000000n, nanos: Number(ns % 1000000000n) },
      maxBytes: int(cp.evidence.max_bytes, 'evidence.max_bytes', 1048576n),
    };
  }
  if (cp.version) params.version = { app: int(cp.version.app, 'version.app', 0n) };
  if (cp.abci) params.abci = { voteExtensionsEnableHeight: int(cp.abci.vote_extensions_enable_height, 'abci.vote_extensions_enable_height', 0n) };
  const validators: NodeValidator[] = [];
  for (const [i, v] of ((g.validators ?? []) as Array<Record<string, unknown>>).entries()) {
    const pk = v.pub_key as { type?: string; value?: string } | undefined;
    if (pk?.type !== 'tendermint/PubKeyEd25519' || typeof pk.value !== 'string') {
      throw ErrInvalidGenesis.wrap(`validators[${i}].pub_key must be a tendermint/PubKeyEd25519 key`);
    }
    const pubKey = new Uint8Array(Buffer.from(pk.value, 'base64'));
    if (pubKey.length !== 32) throw ErrInvalidGenesis.wrap(`validators[${i}].pub_key must be 32 bytes`);
    const power = int(v.power, `validators[${i}].power`, 0n);
    if (power <= 0n) throw ErrInvalidGenesis.wrap(`validators[${i}].power must be positive`);
    validators.push({ address: validatorAddress(pubKey), pubKey, power, proposerPriority: 0n });
  }
  const appHash = typeof g.app_hash === 'string' && g.app_hash !== '' ? new Uint8Array(Buffer.from(g.app_hash, 'hex')) : new Uint8Array();
  const appStateBytes = g.app_state === undefined ? new Uint8Array() : new Uint8Array(Buffer.from(JSON.stringify(g.app_state)));
  return {
    genesisTime: parseRfc3339(g.genesis_time),
    chainId: g.chain_id,
    initialHeight,
    consensusParams: params,
    validators,
    appHash,
    appStateBytes,
    json,
  };
}
