/**
 * The records of an imported version, built from its exported nodes (post-order) without a
 * Node object, a key copy or a digest array per node: every node is given as byte ranges of
 * the caller's buffer, hashed through reused scratch buffers, and its records (node record,
 * and for a leaf its fast-index entry) are appended to a RecordBlock, which LevelDB's batch
 * (importExport.ts) or another thread (node/snapshots restore) takes as one transferable
 * array.
 *
 * The checks are those IAVL's importer makes: leaves in strictly increasing key order, every
 * inner node's height one above its taller child and its key the smallest key of its right
 * subtree, every version in [1, imported version]. The hashes and records are byte for byte
 * those of `hashLeaf`/`hashInner` and `encodeLeafInto`/`encodeInnerInto` (node.ts; pinned by
 * importBuilder.test.ts).
 */
import { hash as nodeHash } from 'node:crypto';
import { ErrInvalidImport } from './errors';
import { TAG_FAST, TAG_NODE } from './keys';
import { NODE_KEY_LENGTH, putUvarint, putZigzag, uvarintSize, writeNodeKey } from './node';

/**
 * A growing run of LevelDB puts: `u32 keyLength || u32 valueLength || key || value` each,
 * little-endian. One array per block, so a block crosses threads as one transfer.
 */
export class RecordBlock {
  buf: Uint8Array;
  pos = 0;
  count = 0;

  constructor(capacity = 1 << 20) {
    this.buf = new Uint8Array(capacity);
  }

  /** Reserves one record; returns where its key starts (the value follows the key). */
  reserve(keyLength: number, valueLength: number): number {
    const need = this.pos + 8 + keyLength + valueLength;
    if (need > this.buf.length) {
      const next = new Uint8Array(Math.max(need, this.buf.length * 2));
      next.set(this.buf.subarray(0, this.pos));
      this.buf = next;
    }
    const b = this.buf;
    let p = this.pos;
    b[p++] = keyLength & 0xff;
    b[p++] = (keyLength >>> 8) & 0xff;
    b[p++] = (keyLength >>> 16) & 0xff;
    b[p++] = keyLength >>> 24;
    b[p++] = valueLength & 0xff;
    b[p++] = (valueLength >>> 8) & 0xff;
    b[p++] = (valueLength >>> 16) & 0xff;
    b[p++] = valueLength >>> 24;
    this.pos = need;
    this.count++;
    return p;
  }

  /** The records so far (a view of this block's array). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

/** Calls `put` for every record of a block, with views of its bytes. */
export function forEachRecord(block: Uint8Array, put: (key: Uint8Array, value: Uint8Array) => void): number {
  let p = 0;
  let n = 0;
  while (p < block.length) {
    const kl = (block[p] | (block[p + 1] << 8) | (block[p + 2] << 16) | (block[p + 3] << 24)) >>> 0;
    const vl = (block[p + 4] | (block[p + 5] << 8) | (block[p + 6] << 16) | (block[p + 7] << 24)) >>> 0;
    p += 8;
    put(block.subarray(p, p + kl), block.subarray(p + kl, p + kl + vl));
    p += kl + vl;
    n++;
  }
  return n;
}

/** The root of an imported version: its node key and hash. */
export interface ImportedRoot {
  version: number;
  seq: number;
  hash: Uint8Array;
}

/** A scratch array with one cached view per length, so a preimage is hashed without a new view. */
class Scratch {
  buf = new Uint8Array(4096);
  private views: Array<Uint8Array | undefined> = [];

  ensure(size: number): Uint8Array {
    if (this.buf.length < size) {
      this.buf = new Uint8Array(size * 2);
      this.views = [];
    }
    return this.buf;
  }

  /** sha256 of the first `len` bytes, written at `out[pos..pos+32)`. */
  hashInto(len: number, out: Uint8Array, pos: number): void {
    let v = this.views[len];
    if (v === undefined) {
      v = this.buf.subarray(0, len);
      this.views[len] = v;
    }
    const s = nodeHash('sha256', v, 'binary');
    for (let i = 0; i < 32; i++) out[pos + i] = s.charCodeAt(i);
  }
}

/** Longest key or value the importer accepts (a LevelDB record must fit a u32 length). */
const MAX_BYTES = 0x7fffffff;

/**
 * Builds the records of one store's imported version. Feed its nodes in export order with
 * `leaf`/`inner`, take full blocks with `takeBlock`, then `finish` for the root.
 */
export class ImportBuilder {
  private block = new RecordBlock();
  private readonly fastPrefix: Uint8Array;
  private readonly nodePrefix: Uint8Array;
  private readonly seqs = new Map<number, number>();
  // The stack of finished subtrees, one entry per slot: version, seq, height, size, hash, and
  // the subtree's smallest key (an inner node must carry its right subtree's).
  private depth = 0;
  private versions = new Float64Array(64);
  private seqsAt = new Uint32Array(64);
  private heights = new Uint32Array(64);
  private sizes = new Float64Array(64);
  private hashes = new Uint8Array(64 * 32);
  private minKeyAt = new Uint32Array(64);
  private minKeyLen = new Uint32Array(64);
  /** The stack's smallest keys, back to back (entries pop in order, so it is a stack too). */
  private keys = new Uint8Array(4096);
  private keysEnd = 0;
  private lastLeaf = new Uint8Array(256);
  private lastLeafLen = -1;
  private readonly pre = new Scratch();
  private readonly val = new Scratch();
  /** Nodes seen so far. */
  count = 0;

  constructor(
    prefix: Uint8Array,
    private readonly version: number,
  ) {
    if (!Number.isSafeInteger(version) || version < 1) throw ErrInvalidImport.wrap(`version ${version} is not a positive integer`);
    this.fastPrefix = Uint8Array.of(...prefix, TAG_FAST);
    this.nodePrefix = Uint8Array.of(...prefix, TAG_NODE);
  }

  /** Records waiting in the current block. */
  get pending(): number {
    return this.block.count;
  }

  /** Hands out the current block's bytes and starts a new one. */
  takeBlock(): Uint8Array {
    const out = this.block.bytes();
    this.block = new RecordBlock(Math.max(1 << 16, this.block.buf.length));
    return out;
  }

  /** A leaf: key `src[keyAt, keyAt+keyLen)`, value `vsrc[valueAt, valueAt+valueLen)`, at `version`. */
  leaf(src: Uint8Array, keyAt: number, keyLen: number, vsrc: Uint8Array, valueAt: number, valueLen: number, version: number): void {
    const n = ++this.count;
    this.checkVersion(version, n);
    if (keyLen > MAX_BYTES || valueLen > MAX_BYTES) throw ErrInvalidImport.wrap(`leaf ${n} is too large`);
    if (this.lastLeafLen >= 0 && compare(this.lastLeaf, 0, this.lastLeafLen, src, keyAt, keyLen) >= 0) {
      throw ErrInvalidImport.wrap(`leaf ${n} is out of key order`);
    }
    if (this.lastLeaf.length < keyLen) this.lastLeaf = new Uint8Array(keyLen * 2);
    copy(this.lastLeaf, 0, src, keyAt, keyLen);
    this.lastLeafLen = keyLen;
    const seq = this.nextSeq(version);
    const slot = this.push();

    // sha256(value), then the leaf hash: zz(0) zz(1) zz(version) uvarint(len key) key 0x20 sha256(value).
    copy(this.val.ensure(valueLen), 0, vsrc, valueAt, valueLen);
    const buf = this.pre.ensure(1 + 1 + 10 + 10 + keyLen + 1 + 32);
    let p = putZigzag(buf, 0, 0);
    p = putZigzag(buf, p, 1);
    p = putZigzag(buf, p, version);
    p = putUvarint(buf, p, keyLen);
    copy(buf, p, src, keyAt, keyLen);
    p += keyLen;
    buf[p++] = 32;
    this.val.hashInto(valueLen, buf, p);
    p += 32;
    this.pre.hashInto(p, this.hashes, slot * 32);
    this.setSlot(slot, version, seq, 0, 1);
    this.pushMinKey(slot, src, keyAt, keyLen);

    // Fast index: P 'f' key -> value.
    const fp = this.fastPrefix;
    let at = this.block.reserve(fp.length + keyLen, valueLen);
    let b = this.block.buf;
    b.set(fp, at);
    copy(b, at + fp.length, src, keyAt, keyLen);
    copy(b, at + fp.length + keyLen, vsrc, valueAt, valueLen);
    // Node record (encodeLeafInto): 0x00 uvarint(len key) key value.
    const recLen = 1 + uvarintSize(keyLen) + keyLen + valueLen;
    at = this.block.reserve(this.nodePrefix.length + NODE_KEY_LENGTH, recLen);
    b = this.block.buf;
    at = this.putNodeKey(b, at, version, seq);
    b[at] = 0;
    at = putUvarint(b, at + 1, keyLen);
    copy(b, at, src, keyAt, keyLen);
    copy(b, at + keyLen, vsrc, valueAt, valueLen);
  }

  /** An inner node of `height` whose key is `src[keyAt, keyAt+keyLen)`; its two children are on the stack. */
  inner(src: Uint8Array, keyAt: number, keyLen: number, height: number, version: number): void {
    const n = ++this.count;
    this.checkVersion(version, n);
    if (this.depth < 2) throw ErrInvalidImport.wrap(`inner node ${n} has fewer than two children before it`);
    const r = this.depth - 1;
    const l = this.depth - 2;
    const want = Math.max(this.heights[l], this.heights[r]) + 1;
    if (height !== want) throw ErrInvalidImport.wrap(`inner node ${n} has height ${height}, its children say ${want}`);
    if (compare(this.keys, this.minKeyAt[r], this.minKeyLen[r], src, keyAt, keyLen) !== 0) {
      throw ErrInvalidImport.wrap(`inner node ${n} key is not the smallest key of its right subtree`);
    }
    const size = this.sizes[l] + this.sizes[r];
    const seq = this.nextSeq(version);

    // Node record (encodeInnerInto): 0x01 uvarint(height) uvarint(size) uvarint(len key) key child(left) child(right).
    const recLen = 1 + uvarintSize(height) + uvarintSize(size) + uvarintSize(keyLen) + keyLen + this.childSize(l) + this.childSize(r);
    let at = this.block.reserve(this.nodePrefix.length + NODE_KEY_LENGTH, recLen);
    const b = this.block.buf;
    at = this.putNodeKey(b, at, version, seq);
    b[at] = 1;
    at = putUvarint(b, at + 1, height);
    at = putUvarint(b, at, size);
    at = putUvarint(b, at, keyLen);
    copy(b, at, src, keyAt, keyLen);
    at = this.putChild(b, at + keyLen, l);
    this.putChild(b, at, r);

    // Hash: zz(height) zz(size) zz(version) 0x20 left 0x20 right.
    const buf = this.pre.ensure(30 + 66);
    let p = putZigzag(buf, 0, height);
    p = putZigzag(buf, p, size);
    p = putZigzag(buf, p, version);
    buf[p++] = 32;
    copy(buf, p, this.hashes, l * 32, 32);
    p += 32;
    buf[p++] = 32;
    copy(buf, p, this.hashes, r * 32, 32);
    p += 32;
    // The parent takes the left child's slot and keeps its smallest key.
    this.keysEnd = this.minKeyAt[r];
    this.depth = l + 1;
    this.pre.hashInto(p, this.hashes, l * 32);
    this.setSlot(l, version, seq, height, size);
  }

  /** The root once every node was given; undefined for an empty tree. */
  finish(): ImportedRoot | undefined {
    if (this.depth > 1) throw ErrInvalidImport.wrap(`stream ended with ${this.depth} subtrees instead of one`);
    if (this.depth === 0) return undefined;
    return { version: this.versions[0], seq: this.seqsAt[0], hash: this.hashes.slice(0, 32) };
  }

  private checkVersion(version: number, n: number): void {
    if (!Number.isSafeInteger(version) || version < 1 || version > this.version) {
      throw ErrInvalidImport.wrap(`node ${n} has a bad key or version ${version}`);
    }
  }

  private nextSeq(version: number): number {
    const seq = (this.seqs.get(version) ?? 0) + 1;
    this.seqs.set(version, seq);
    return seq;
  }

  private push(): number {
    const slot = this.depth++;
    if (slot >= this.versions.length) {
      const grow = <T extends Float64Array | Uint32Array>(a: T, make: (n: number) => T): T => {
        const next = make(a.length * 2);
        next.set(a);
        return next;
      };
      this.versions = grow(this.versions, (n) => new Float64Array(n));
      this.sizes = grow(this.sizes, (n) => new Float64Array(n));
      this.seqsAt = grow(this.seqsAt, (n) => new Uint32Array(n));
      this.heights = grow(this.heights, (n) => new Uint32Array(n));
      this.minKeyAt = grow(this.minKeyAt, (n) => new Uint32Array(n));
      this.minKeyLen = grow(this.minKeyLen, (n) => new Uint32Array(n));
      const hashes = new Uint8Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    return slot;
  }

  private setSlot(slot: number, version: number, seq: number, height: number, size: number): void {
    this.versions[slot] = version;
    this.seqsAt[slot] = seq;
    this.heights[slot] = height;
    this.sizes[slot] = size;
  }

  private pushMinKey(slot: number, src: Uint8Array, at: number, len: number): void {
    if (this.keysEnd + len > this.keys.length) {
      const next = new Uint8Array((this.keysEnd + len) * 2);
      next.set(this.keys.subarray(0, this.keysEnd));
      this.keys = next;
    }
    copy(this.keys, this.keysEnd, src, at, len);
    this.minKeyAt[slot] = this.keysEnd;
    this.minKeyLen[slot] = len;
    this.keysEnd += len;
  }

  private putNodeKey(b: Uint8Array, at: number, version: number, seq: number): number {
    b.set(this.nodePrefix, at);
    at += this.nodePrefix.length;
    writeNodeKey(b, at, version, seq);
    return at + NODE_KEY_LENGTH;
  }

  private childSize(slot: number): number {
    return uvarintSize(this.versions[slot]) + uvarintSize(this.seqsAt[slot]) + uvarintSize(this.heights[slot]) + uvarintSize(this.sizes[slot]) + 32;
  }

  /** child: uvarint(version) uvarint(seq) uvarint(height) uvarint(size) hash(32), as node.ts putChild. */
  private putChild(b: Uint8Array, at: number, slot: number): number {
    at = putUvarint(b, at, this.versions[slot]);
    at = putUvarint(b, at, this.seqsAt[slot]);
    at = putUvarint(b, at, this.heights[slot]);
    at = putUvarint(b, at, this.sizes[slot]);
    copy(b, at, this.hashes, slot * 32, 32);
    return at + 32;
  }
}

/** Byte order of `a[ai, ai+al)` against `b[bi, bi+bl)`. */
function compare(a: Uint8Array, ai: number, al: number, b: Uint8Array, bi: number, bl: number): number {
  const n = al < bl ? al : bl;
  for (let i = 0; i < n; i++) {
    const d = a[ai + i] - b[bi + i];
    if (d !== 0) return d;
  }
  return al - bl;
}

/**
 * Copies `src[at, at+len)` to `dst[to..)`. Keys, values and hashes are mostly under 100 bytes,
 * where a byte loop costs less than the view `set(subarray(..))` needs per copy.
 */
function copy(dst: Uint8Array, to: number, src: Uint8Array, at: number, len: number): void {
  if (len > 96) {
    dst.set(src.subarray(at, at + len), to);
    return;
  }
  for (let i = 0; i < len; i++) dst[to + i] = src[at + i];
}
