/**
 * ABCI socket framing: each message is an unsigned base-128 varint (protobuf "uvarint")
 * holding the body length, followed by that many bytes of protobuf. There is no other
 * header. CometBFT >= 0.37 writes it with Go's `binary.PutUvarint`; Tendermint <= 0.34
 * used a zig-zag signed varint (length << 1), which this decoder deliberately does not
 * accept — a 0.34 peer's frames read as twice their length and fail fast on the
 * protobuf that follows.
 */
import { ErrFrameTooLarge, ErrMalformedLength } from './errors';

/**
 * Default cap on one frame body: 128 MiB.
 *
 * CometBFT itself allows up to MaxInt32, but the largest legitimate message is a
 * PrepareProposal / FinalizeBlock carrying a full block, and CometBFT caps block size at
 * 100 MiB (`types.MaxBlockSizeBytes = 104857600`). 28 MiB of headroom covers the commit
 * info, misbehaviour and per-tx field overhead. A peer announcing more is broken or
 * hostile; the cap bounds what one connection can make us allocate. Raise it only
 * together with the chain's `block.max_bytes`.
 */
export const DEFAULT_MAX_FRAME_BYTES = 128 * 1024 * 1024;

/** A uvarint of a 64-bit value takes at most 10 bytes (Go's `binary.MaxVarintLen64`). */
const MAX_UVARINT_BYTES = 10;

/** Bytes needed to write `n` as a uvarint. */
export function uvarintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Writes `n` (a non-negative safe integer) as a uvarint into `out` at `offset`; returns the next offset. */
export function writeUvarint(n: number, out: Uint8Array, offset: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`uvarint value ${n} is not a non-negative safe integer`);
  while (n >= 0x80) {
    out[offset++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[offset++] = n;
  return offset;
}

/** One frame: the uvarint length of `body` followed by `body` (copied). */
export function encodeFrame(body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(uvarintSize(body.length) + body.length);
  const start = writeUvarint(body.length, out, 0);
  out.set(body, start);
  return out;
}

/**
 * Incremental frame decoder for a byte stream: frames may arrive split across chunks or
 * several to a chunk. After an error the stream position is lost, so the decoder refuses
 * further input and the caller must drop the connection.
 */
export class FrameDecoder {
  readonly maxFrameBytes: number;
  // Length prefix being read: value so far, bytes consumed, weight of the next byte.
  private lenValue = 0;
  private lenBytes = 0;
  private lenWeight = 1;
  // Body being assembled when it spans chunks: the pieces received so far and the length
  // announced (undefined while reading a prefix). Memory follows what the peer really sent,
  // never what it announced: ten connections each announcing 128 MiB and sending a few
  // bytes used to hold 1.3 GB.
  private pieces: Uint8Array[] = [];
  private bodyLength: number | undefined;
  private bodyFilled = 0;
  private failed: Error | undefined;

  constructor(maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes < 0) {
      throw new RangeError(`maxFrameBytes must be a non-negative integer, got ${maxFrameBytes}`);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Bytes of an unfinished frame held back (0 exactly at a frame boundary). */
  get pendingBytes(): number {
    return this.bodyLength !== undefined ? this.bodyFilled : this.lenBytes;
  }

  /**
   * Feeds one chunk and appends the frame bodies it completed, in order, to `frames`
   * (returned). Bodies that lie wholly inside `chunk` are views of it (no copy), so the
   * caller must not reuse the chunk's memory. Throws `ErrFrameTooLarge` /
   * `ErrMalformedLength`; frames completed earlier in the same chunk are then already in
   * `frames`, so what a connection does never depends on how TCP cut the stream.
   */
  push(chunk: Uint8Array, frames: Uint8Array[] = []): Uint8Array[] {
    if (this.failed) throw this.failed;
    let pos = 0;
    const end = chunk.length;
    while (pos < end) {
      if (this.bodyLength !== undefined) {
        const take = Math.min(this.bodyLength - this.bodyFilled, end - pos);
        // A copy: the caller may reuse `chunk` once push returns.
        this.pieces.push(Buffer.from(chunk.subarray(pos, pos + take)));
        this.bodyFilled += take;
        pos += take;
        if (this.bodyFilled === this.bodyLength) {
          frames.push(this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces, this.bodyLength));
          this.pieces = [];
          this.bodyLength = undefined;
          this.bodyFilled = 0;
        }
        continue;
      }
      // Reading the length prefix, one byte at a time (it is at most 10 bytes).
      const b = chunk[pos++];
      this.lenValue += (b & 0x7f) * this.lenWeight;
      this.lenBytes++;
      if (this.lenValue > this.maxFrameBytes) {
        // Further prefix bytes could only make the value larger, so fail now.
        return this.fail(ErrFrameTooLarge.wrap(`announced ${this.describeLength(b)} bytes, maximum ${this.maxFrameBytes}`));
      }
      if (b & 0x80) {
        if (this.lenBytes >= MAX_UVARINT_BYTES) {
          return this.fail(ErrMalformedLength.wrap(`no terminating byte within ${MAX_UVARINT_BYTES} bytes`));
        }
        this.lenWeight *= 128;
        continue;
      }
      const length = this.lenValue;
      this.lenValue = 0;
      this.lenBytes = 0;
      this.lenWeight = 1;
      if (end - pos >= length) {
        frames.push(chunk.subarray(pos, pos + length));
        pos += length;
      } else {
        this.bodyLength = length;
        this.bodyFilled = 0;
      }
    }
    return frames;
  }

  private describeLength(lastByte: number): string {
    return lastByte & 0x80 ? `at least ${this.lenValue}` : String(this.lenValue);
  }

  /** Drops a partly received frame (the connection closed). */
  release(): void {
    this.pieces = [];
    this.bodyLength = undefined;
    this.bodyFilled = 0;
  }

  private fail(err: Error): never {
    this.failed = err;
    this.release();
    throw err;
  }
}
