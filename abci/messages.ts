/**
 * The `tendermint.abci.Request` / `Response` oneof wrappers (CometBFT v0.38), with the
 * cosmjs-types codec: which method a message carries, and strict decoding.
 */
import { BinaryReader, type BinaryWriter } from 'cosmjs-types/binary';
import { Request, Response } from 'cosmjs-types/tendermint/abci/types';
import { ErrUndecodableMessage, ErrUnknownMethod } from './errors';
import { uvarintSize, writeUvarint } from './framing';

/** The methods of ABCI 2.0; each is a oneof field of both Request and Response. */
export const ABCI_METHODS = [
  'echo',
  'flush',
  'info',
  'initChain',
  'query',
  'checkTx',
  'commit',
  'listSnapshots',
  'offerSnapshot',
  'loadSnapshotChunk',
  'applySnapshotChunk',
  'prepareProposal',
  'processProposal',
  'extendVote',
  'verifyVoteExtension',
  'finalizeBlock',
] as const;

export type AbciMethod = (typeof ABCI_METHODS)[number];

/**
 * Methods where an application failure must stop CometBFT: answering them wrongly would
 * fork the chain or corrupt its state, so a throw becomes `ResponseException` (fatal).
 */
export const CONSENSUS_METHODS: ReadonlySet<AbciMethod> = new Set<AbciMethod>([
  'initChain',
  'prepareProposal',
  'processProposal',
  'extendVote',
  'verifyVoteExtension',
  'finalizeBlock',
  'commit',
]);

/** The single method a Request sets; throws `ErrUnknownMethod` for none or several. */
export function requestMethod(req: Request): AbciMethod {
  return singleMethod(req as Record<string, unknown>, 'request');
}

/** The method a Response answers, or 'exception'. */
export function responseMethod(res: Response): AbciMethod | 'exception' {
  if (res.exception !== undefined) {
    if (ABCI_METHODS.some((m) => res[m] !== undefined)) throw ErrUnknownMethod.wrap('response sets exception and a method');
    return 'exception';
  }
  return singleMethod(res as Record<string, unknown>, 'response');
}

function singleMethod(msg: Record<string, unknown>, what: string): AbciMethod {
  let found: AbciMethod | undefined;
  for (const m of ABCI_METHODS) {
    if (msg[m] === undefined) continue;
    // Protobuf would let the last field win; CometBFT never sends two, so two is corruption.
    if (found !== undefined) throw ErrUnknownMethod.wrap(`${what} sets both ${found} and ${m}`);
    found = m;
  }
  if (found === undefined) throw ErrUnknownMethod.wrap(`${what} sets no method (unknown or reserved field)`);
  return found;
}

/**
 * Decodes a frame body as `T`, rejecting bytes the lenient generated decoder would
 * accept silently (a fixed-width field running past the end leaves the reader beyond it).
 */
function decodeStrict<T>(codec: { decode(r: BinaryReader): T }, body: Uint8Array, what: string): T {
  let reader: BinaryReader;
  let msg: T;
  try {
    reader = new BinaryReader(body);
    msg = codec.decode(reader);
  } catch (e) {
    throw ErrUndecodableMessage.wrap(`${what} of ${body.length} bytes: ${(e as Error).message}`);
  }
  if (reader.pos !== body.length) {
    throw ErrUndecodableMessage.wrap(`${what} of ${body.length} bytes: read ends at offset ${reader.pos}`);
  }
  return msg;
}

export function decodeRequest(body: Uint8Array): Request {
  return decodeStrict(Request, body, 'request');
}

export function decodeResponse(body: Uint8Array): Response {
  return decodeStrict(Response, body, 'response');
}

/**
 * Lays a written message out behind its uvarint length in one buffer. `finish()` would
 * allocate a fresh 8 KiB slab per message and `encodeFrame` copy it again; replaying the
 * writer's (public) op list straight into the frame avoids both, which is a third of the
 * socket layer's CPU on small CheckTx messages.
 */
function finishFrame(writer: BinaryWriter): Buffer {
  const len = writer.len;
  const out = Buffer.allocUnsafe(uvarintSize(len) + len);
  let pos = writeUvarint(len, out, 0);
  for (let op = writer.head.next; op; op = op.next) {
    op.proceed(out, pos);
    pos += op.len;
  }
  return out;
}

/** One length-prefixed Request frame. */
export function encodeRequestFrame(req: Request): Buffer {
  return finishFrame(Request.encode(req));
}

/** One length-prefixed Response frame. */
export function encodeResponseFrame(res: Response): Buffer {
  return finishFrame(Response.encode(res));
}
