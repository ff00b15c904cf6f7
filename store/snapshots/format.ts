/**
 * The state-sync snapshot stream, format 1: every store of one committed version of the
 * multistore, node by node as the IAVL exporter walks it, behind a header the application
 * fills. The stream is compressed and cut into chunks elsewhere (node/snapshots); this file
 * only encodes and decodes the uncompressed bytes.
 *
 *   stream = magic item* end
 *   magic  = "SEKAISNAP" (9 bytes) format (1 byte, = 1)
 *   item   = 0x01 uvarint(n) bytes[n]                     app header: UTF-8 JSON written by the app
 *          | 0x02 uvarint(n) bytes[n]                     store: name; its nodes follow
 *          | 0x03 uvarint(version) uvarint(n) key[n] uvarint(m) value[m]       leaf (height 0)
 *          | 0x04 uvarint(height) uvarint(version) uvarint(n) key[n]           inner node
 *   end    = 0x05
 *
 * Stores come in name order, each once; a store's nodes are in post-order (children before
 * their parent), so an importer rebuilds each subtree from the two on top of its stack and
 * checks every inner node's key and height on the way (IavlTree.importVersion). Nodes keep
 * the version that wrote them because it is part of their hash: the restored roots are the
 * exporter's, and their commit-info hash must be the AppHash of the snapshot height.
 *
 * The header comes first and exactly once; anything after `end`, an unknown tag, or a
 * stream that stops before `end` is refused.
 */
import { registerError } from '../../types/errors';
import type { ExportNode } from '../iavl';
import { putUvarint, uvarintSize } from '../iavl/node';

export const ErrSnapshotFormat = registerError('store', 14, 'malformed snapshot stream');

/** The ABCI `Snapshot.format` of this stream. */
export const SNAPSHOT_FORMAT = 1;

const MAGIC = Uint8Array.from('SEKAISNAP', (c) => c.charCodeAt(0));
const TAG_APP = 0x01;
const TAG_STORE = 0x02;
const TAG_LEAF = 0x03;
const TAG_INNER = 0x04;
const TAG_END = 0x05;

/** The items of a stream other than nodes. */
export type SnapshotMarker = { kind: 'app'; data: Uint8Array } | { kind: 'store'; name: string } | { kind: 'end' };
export type SnapshotItem = SnapshotMarker | ExportNode;

export function isMarker(item: SnapshotItem): item is SnapshotMarker {
  // A property read, not `in`: nodes all share one shape, so this stays a monomorphic load.
  return (item as Partial<SnapshotMarker>).kind !== undefined;
}

/**
 * Bytes handed out by the encoder at a time: large enough that the compressor and the
 * chunk writer see few calls (a 1M-key store is about 2M nodes, ~130 MB), small enough to
 * stay in the CPU cache while it is compressed.
 */
const ENCODER_BLOCK = 256 * 1024;

/** Builds the stream in blocks of about ENCODER_BLOCK bytes. */
export class SnapshotEncoder {
  private buf = new Uint8Array(ENCODER_BLOCK);
  private pos = 0;
  private ended = false;
  /** Uncompressed bytes produced so far. */
  total = 0;

  constructor() {
    this.raw(MAGIC.length + 1, (b, p) => {
      b.set(MAGIC, p);
      b[p + MAGIC.length] = SNAPSHOT_FORMAT;
      return p + MAGIC.length + 1;
    });
  }

  app(data: Uint8Array): void {
    this.bytesItem(TAG_APP, data);
  }

  store(name: string): void {
    this.bytesItem(TAG_STORE, new TextEncoder().encode(name));
  }

  node(n: ExportNode): void {
    if (n.height === 0) {
      const value = n.value as Uint8Array;
      const size = 1 + uvarintSize(n.version) + uvarintSize(n.key.length) + n.key.length + uvarintSize(value.length) + value.length;
      this.raw(size, (b, p) => {
        b[p++] = TAG_LEAF;
        p = putUvarint(b, p, n.version);
        p = putUvarint(b, p, n.key.length);
        b.set(n.key, p);
        p += n.key.length;
        p = putUvarint(b, p, value.length);
        b.set(value, p);
        return p + value.length;
      });
    } else {
      const size = 1 + uvarintSize(n.height) + uvarintSize(n.version) + uvarintSize(n.key.length) + n.key.length;
      this.raw(size, (b, p) => {
        b[p++] = TAG_INNER;
        p = putUvarint(b, p, n.height);
        p = putUvarint(b, p, n.version);
        p = putUvarint(b, p, n.key.length);
        b.set(n.key, p);
        return p + n.key.length;
      });
    }
  }

  end(): void {
    this.raw(1, (b, p) => {
      b[p] = TAG_END;
      return p + 1;
    });
    this.ended = true;
  }

  /** Bytes buffered and not yet taken. */
  get buffered(): number {
    return this.pos;
  }

  /** Hands out the buffered bytes (a fresh array; the encoder starts a new block). */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = new Uint8Array(ENCODER_BLOCK);
    this.pos = 0;
    return out;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private bytesItem(tag: number, data: Uint8Array): void {
    this.raw(1 + uvarintSize(data.length) + data.length, (b, p) => {
      b[p++] = tag;
      p = putUvarint(b, p, data.length);
      b.set(data, p);
      return p + data.length;
    });
  }

  private raw(size: number, write: (b: Uint8Array, p: number) => number): void {
    if (this.ended) throw ErrSnapshotFormat.wrap('item after the end of the stream');
    if (this.pos + size > this.buf.length) {
      // Keep what is buffered; a record larger than a block gets a block of its own size.
      const next = new Uint8Array(Math.max(ENCODER_BLOCK, this.pos + size));
      next.set(this.buf.subarray(0, this.pos));
      this.buf = next;
    }
    this.pos = write(this.buf, this.pos);
    this.total += size;
  }
}

/**
 * Where the last `uvarintAt` stopped. A module variable instead of a [value, position] pair:
 * the parser reads three or four varints per node, and the pairs were garbage to collect.
 */
let varintEnd = 0;

/** Reads a uvarint at `pos` (its end in `varintEnd`); -1 when the bytes end first. */
function uvarintAt(buf: Uint8Array, pos: number): number {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 8; i++) {
    if (pos >= buf.length) return -1;
    const b = buf[pos++];
    result += (b & 0x7f) * mul;
    if (b < 0x80) {
      varintEnd = pos;
      return result;
    }
    mul *= 128;
  }
  throw ErrSnapshotFormat.wrap('varint longer than 8 bytes');
}

/**
 * Receives a stream's items as byte ranges of the decoder's buffer, valid only during the
 * call: a consumer that keeps nothing (the restore's record builder) allocates nothing per node.
 */
export interface SnapshotVisitor {
  leaf(buf: Uint8Array, keyAt: number, keyLen: number, valueAt: number, valueLen: number, version: number): void;
  inner(buf: Uint8Array, keyAt: number, keyLen: number, height: number, version: number): void;
  marker(item: SnapshotMarker): void;
}

/** Collects items as objects (views of the decoded piece). */
class ItemCollector implements SnapshotVisitor {
  items: SnapshotItem[] = [];

  leaf(buf: Uint8Array, keyAt: number, keyLen: number, valueAt: number, valueLen: number, version: number): void {
    this.items.push({ key: buf.subarray(keyAt, keyAt + keyLen), value: buf.subarray(valueAt, valueAt + valueLen), version, height: 0 });
  }

  inner(buf: Uint8Array, keyAt: number, keyLen: number, height: number, version: number): void {
    // The same shape as a leaf (value undefined), so the importer's reads stay monomorphic.
    this.items.push({ key: buf.subarray(keyAt, keyAt + keyLen), value: undefined, version, height });
  }

  marker(item: SnapshotMarker): void {
    this.items.push(item);
  }
}

/** Parses the stream from pieces of any size; items never depend on where the pieces split. */
export class SnapshotDecoder {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Bytes the item at the front needs before it can be parsed again (0 = unknown). */
  private need = 0;
  private sawMagic = false;
  private sawApp = false;
  private ended = false;
  /** Uncompressed bytes consumed so far. */
  total = 0;

  /** Parses every complete item in `piece` and what was left over before it. */
  push(piece: Uint8Array): SnapshotItem[] {
    const c = new ItemCollector();
    this.parse(piece, c);
    return c.items;
  }

  /** Hands every complete item in `piece` (and what was left over before it) to `v`, in order. */
  parse(piece: Uint8Array, v: SnapshotVisitor): void {
    if (piece.length === 0) return;
    if (this.ended) throw ErrSnapshotFormat.wrap('bytes after the end of the stream');
    this.pending.push(piece);
    this.pendingBytes += piece.length;
    this.total += piece.length;
    if (this.pendingBytes < this.need) return;
    // Items are plain Uint8Array views: a Buffer's subarray builds a FastBuffer through JS,
    // several times the cost of a typed-array view, twice per leaf.
    const joined = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    const buf = joined instanceof Buffer ? new Uint8Array(joined.buffer, joined.byteOffset, joined.length) : joined;
    let pos = 0;
    if (!this.sawMagic) {
      if (buf.length < MAGIC.length + 1) return this.keep(buf, 0, MAGIC.length + 1);
      for (let i = 0; i < MAGIC.length; i++) if (buf[i] !== MAGIC[i]) throw ErrSnapshotFormat.wrap('not a sekai-ts snapshot stream (bad magic)');
      if (buf[MAGIC.length] !== SNAPSHOT_FORMAT) throw ErrSnapshotFormat.wrap(`stream format ${buf[MAGIC.length]}, this binary reads ${SNAPSHOT_FORMAT}`);
      this.sawMagic = true;
      pos = MAGIC.length + 1;
    }
    while (pos < buf.length) {
      if (this.ended) throw ErrSnapshotFormat.wrap('bytes after the end of the stream');
      const start = pos;
      const tag = buf[pos++];
      if (tag === TAG_END) {
        this.ended = true;
        v.marker({ kind: 'end' });
        continue;
      }
      if (tag === TAG_APP || tag === TAG_STORE) {
        const n = uvarintAt(buf, pos);
        const p = varintEnd;
        if (n < 0 || p + n > buf.length) return this.keep(buf, start, n < 0 ? 0 : p + n - start);
        const data = buf.subarray(p, p + n);
        pos = p + n;
        if (tag === TAG_APP) {
          if (this.sawApp) throw ErrSnapshotFormat.wrap('two app headers');
          this.sawApp = true;
          v.marker({ kind: 'app', data });
        } else {
          this.checkApp();
          v.marker({ kind: 'store', name: new TextDecoder().decode(data) });
        }
        continue;
      }
      if (tag === TAG_LEAF) {
        const version = uvarintAt(buf, pos);
        if (version < 0) return this.keep(buf, start, 0);
        const kn = uvarintAt(buf, varintEnd);
        const p2 = varintEnd;
        if (kn < 0 || p2 + kn > buf.length) return this.keep(buf, start, kn < 0 ? 0 : p2 + kn - start);
        const vn = uvarintAt(buf, p2 + kn);
        const p3 = varintEnd;
        if (vn < 0 || p3 + vn > buf.length) return this.keep(buf, start, vn < 0 ? 0 : p3 + vn - start);
        this.checkApp();
        v.leaf(buf, p2, kn, p3, vn, version);
        pos = p3 + vn;
        continue;
      }
      if (tag === TAG_INNER) {
        const height = uvarintAt(buf, pos);
        if (height < 0) return this.keep(buf, start, 0);
        const version = uvarintAt(buf, varintEnd);
        if (version < 0) return this.keep(buf, start, 0);
        const kn = uvarintAt(buf, varintEnd);
        const p3 = varintEnd;
        if (kn < 0 || p3 + kn > buf.length) return this.keep(buf, start, kn < 0 ? 0 : p3 + kn - start);
        if (height === 0) throw ErrSnapshotFormat.wrap('inner node of height 0');
        this.checkApp();
        v.inner(buf, p3, kn, height, version);
        pos = p3 + kn;
        continue;
      }
      throw ErrSnapshotFormat.wrap(`unknown item tag 0x${tag.toString(16)} at stream offset ${this.total - buf.length + start}`);
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.need = 0;
  }

  /** Throws unless the stream ended with its end marker and nothing was left over. */
  finish(): void {
    if (!this.ended || this.pendingBytes > 0) throw ErrSnapshotFormat.wrap('the stream stops before its end marker');
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private checkApp(): void {
    if (!this.sawApp) throw ErrSnapshotFormat.wrap('the stream does not start with the app header');
  }

  /** Keeps the incomplete item starting at `from` for the next piece. */
  private keep(buf: Uint8Array, from: number, need: number): void {
    const rest = buf.subarray(from);
    this.pending = [rest];
    this.pendingBytes = rest.length;
    this.need = need;
  }
}
