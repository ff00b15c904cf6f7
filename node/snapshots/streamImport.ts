/**
 * The CPU side of a restore, with no I/O of its own: compressed chunks in, inflated and parsed
 * item by item, every store's nodes hashed and turned into LevelDB records (ImportBuilder),
 * and out as an ordered list of messages that the writing side (restore.ts) applies. It runs
 * in a worker thread (restoreWorker.ts) so that hashing and decoding overlap the LevelDB
 * writes on the main thread, or in the calling thread when no worker is wanted.
 */
import { once } from 'node:events';
import { createGunzip } from 'node:zlib';
import { ImportBuilder, type ImportedRoot } from '../../store/iavl/importBuilder';
import { ErrSnapshotFormat, SnapshotDecoder, type SnapshotMarker, type SnapshotVisitor } from '../../store/snapshots/format';

/** What the importer hands the writing side, in stream order. */
export type ImportMessage =
  | { t: 'app'; data: Uint8Array }
  /** A store's nodes follow (its records come as `records`, then `storeEnd`). */
  | { t: 'store'; name: string }
  | { t: 'records'; block: Uint8Array }
  | { t: 'storeEnd'; root: ImportedRoot | undefined; rawBytes: number; nodes: number }
  /** The end marker was read and nothing followed it. */
  | { t: 'end'; rawBytes: number; nodes: number };

/**
 * Records per block handed to the writer: about 2 MB, which the writer puts into one native
 * batch (20k puts) while the importer builds the next; large enough that a message between
 * threads costs nothing next to it.
 */
export const BLOCK_RECORDS = 20_000;

/**
 * Bytes zlib inflates per call. Each call is a trip to libuv's thread pool and back; with
 * zlib's 16 KiB default a 1M-key state (110 MB) took ~7,000 trips, and on a loaded machine
 * every trip waits for a core. 1 MiB pieces make it ~110.
 */
const INFLATE_PIECE = 1024 * 1024;

/** Inflates an ordered stream of gzip chunks; a truncated or corrupt stream throws. */
export async function* inflate(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: INFLATE_PIECE });
  let feedError: unknown;
  const feeding = (async () => {
    for await (const c of chunks) {
      if (!gunzip.write(c)) await once(gunzip, 'drain');
    }
    gunzip.end();
  })().catch((err: unknown) => {
    feedError = err;
    gunzip.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  try {
    for await (const piece of gunzip as AsyncIterable<Buffer>) yield piece;
  } catch (err) {
    throw feedError ?? err;
  } finally {
    gunzip.destroy();
    await feeding;
  }
  if (feedError !== undefined) throw feedError;
}

/**
 * Turns the uncompressed stream into ImportMessages. Checks what the stream itself must get
 * right (the header first, nodes only inside a store, the end marker last); the writing side
 * checks the store names (which are mounted, none twice) and the final AppHash.
 */
export class StreamImporter implements SnapshotVisitor {
  private readonly decoder = new SnapshotDecoder();
  private builder: ImportBuilder | undefined;
  private sawApp = false;
  private out: ImportMessage[] = [];
  private nodes = 0;

  /** `prefixes`: the key prefix of each store the target mounts at `version`. */
  constructor(
    private readonly prefixes: ReadonlyMap<string, Uint8Array>,
    private readonly version: number,
  ) {}

  /** Parses one piece of the uncompressed stream. */
  push(piece: Uint8Array): void {
    this.decoder.parse(piece, this);
  }

  /** Throws unless the stream ended with its end marker. */
  finish(): void {
    this.decoder.finish();
  }

  /** The messages ready so far (a store's records are cut into blocks of BLOCK_RECORDS). */
  take(): ImportMessage[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  leaf(buf: Uint8Array, keyAt: number, keyLen: number, valueAt: number, valueLen: number, version: number): void {
    const b = this.current();
    b.leaf(buf, keyAt, keyLen, buf, valueAt, valueLen, version);
    if (b.pending >= BLOCK_RECORDS) this.out.push({ t: 'records', block: b.takeBlock() });
  }

  inner(buf: Uint8Array, keyAt: number, keyLen: number, height: number, version: number): void {
    const b = this.current();
    b.inner(buf, keyAt, keyLen, height, version);
    if (b.pending >= BLOCK_RECORDS) this.out.push({ t: 'records', block: b.takeBlock() });
  }

  marker(item: SnapshotMarker): void {
    if (!this.sawApp) {
      if (item.kind !== 'app') throw ErrSnapshotFormat.wrap('the stream does not start with the app header');
      this.sawApp = true;
      this.out.push({ t: 'app', data: Uint8Array.from(item.data) });
      return;
    }
    this.endStore();
    if (item.kind === 'store') {
      this.out.push({ t: 'store', name: item.name });
      const prefix = this.prefixes.get(item.name);
      // An unknown store is refused by the writing side when it reads the `store` message;
      // the builder stays unset, so a node of it would fail here too.
      if (prefix !== undefined) this.builder = new ImportBuilder(prefix, this.version);
    } else if (item.kind === 'end') {
      this.out.push({ t: 'end', rawBytes: this.decoder.total, nodes: this.nodes });
    }
  }

  private current(): ImportBuilder {
    if (this.builder === undefined) throw ErrSnapshotFormat.wrap('a node outside any store');
    this.nodes++;
    return this.builder;
  }

  private endStore(): void {
    const b = this.builder;
    if (b === undefined) return;
    this.builder = undefined;
    if (b.pending > 0) this.out.push({ t: 'records', block: b.takeBlock() });
    this.out.push({ t: 'storeEnd', root: b.finish(), rawBytes: this.decoder.total, nodes: this.nodes });
  }
}
