/**
 * What the engine persists between heights beside the blocks: CometBFT's state.State (the
 * last block's ID, time, AppHash, results hash and app version) and a proposal written
 * before it is signed, so a crash between signing and storing re-uses the same block.
 */
import { Block } from 'cosmjs-types/tendermint/types/block';
import type { BlockID, Commit } from 'cosmjs-types/tendermint/types/types';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';

/** The state CometBFT keeps between heights (state.State), persisted with every block. */
export interface ChainState {
  chainId: string;
  initialHeight: number;
  lastHeight: number;
  lastBlockId: BlockID;
  lastBlockTime: Timestamp;
  appHash: Uint8Array;
  lastResultsHash: Uint8Array;
  appVersion: bigint;
}

export function encodeState(s: ChainState): Uint8Array {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  return Buffer.from(
    JSON.stringify({
      chainId: s.chainId,
      initialHeight: s.initialHeight,
      lastHeight: s.lastHeight,
      lastBlockId: { hash: hex(s.lastBlockId.hash), total: s.lastBlockId.partSetHeader.total, partsHash: hex(s.lastBlockId.partSetHeader.hash) },
      lastBlockTime: { seconds: s.lastBlockTime.seconds.toString(), nanos: s.lastBlockTime.nanos },
      appHash: hex(s.appHash),
      lastResultsHash: hex(s.lastResultsHash),
      appVersion: s.appVersion.toString(),
    }),
  );
}

export function decodeState(b: Uint8Array): ChainState {
  const j = JSON.parse(Buffer.from(b).toString('utf8'));
  const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
  return {
    chainId: j.chainId,
    initialHeight: j.initialHeight,
    lastHeight: j.lastHeight,
    lastBlockId: { hash: bytes(j.lastBlockId.hash), partSetHeader: { total: j.lastBlockId.total, hash: bytes(j.lastBlockId.partsHash) } },
    lastBlockTime: { seconds: BigInt(j.lastBlockTime.seconds), nanos: j.lastBlockTime.nanos },
    appHash: bytes(j.appHash),
    lastResultsHash: bytes(j.lastResultsHash),
    appVersion: BigInt(j.appVersion),
  };
}

/** A proposal persisted before signing: the block and the precommit timestamp. */
export function encodePending(block: Block, voteTime: Timestamp): Uint8Array {
  const body = Block.encode(block).finish();
  const head = Buffer.from(JSON.stringify({ s: voteTime.seconds.toString(), n: voteTime.nanos }));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(head.length);
  return Buffer.concat([len, head, body]);
}

export function decodePending(b: Uint8Array): { block: Block; voteTime: Timestamp } {
  const buf = Buffer.from(b);
  const n = buf.readUInt32BE(0);
  const head = JSON.parse(buf.subarray(4, 4 + n).toString('utf8')) as { s: string; n: number };
  return { block: Block.decode(buf.subarray(4 + n)), voteTime: { seconds: BigInt(head.s), nanos: head.n } };
}

export const emptyBlockId = (): BlockID => ({ hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } });
/** The last_commit of the first block: empty. */
export const emptyCommit = (): Commit => ({ height: 0n, round: 0, blockId: emptyBlockId(), signatures: [] });
