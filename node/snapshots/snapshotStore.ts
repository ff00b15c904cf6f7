/**
 * Snapshots on disk, under `<home>/data/snapshots/`:
 *
 *   <height>/<format>/metadata.json   height, format, chunk count, stream hash, chunk hashes,
 *                                     the AppHash of the height, sizes (written last)
 *   <height>/<format>/<i>             chunk i (i = 0, 1, …): a piece of the compressed stream
 *   <height>/<format>.partial/        a snapshot being written; never listed, deleted at open
 *
 * A directory without metadata.json is not a snapshot: the writer renames the partial
 * directory into place only after every chunk and the metadata are on disk.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Snapshot } from 'cosmjs-types/tendermint/abci/types';
import { registerError } from '../../types/errors';

export const ErrSnapshotNotFound = registerError('snapshots', 2, 'snapshot not found');
export const ErrSnapshotCorrupt = registerError('snapshots', 3, 'snapshot files are corrupt');
export const ErrInvalidSnapshotMetadata = registerError('snapshots', 4, 'invalid snapshot metadata');

/** What `metadata.json` records about one snapshot. */
export interface SnapshotInfo {
  height: number;
  format: number;
  chunks: number;
  /** sha256 of the whole compressed stream (ABCI Snapshot.hash). */
  hash: Uint8Array;
  /** sha256 of each chunk, in order (ABCI Snapshot.metadata carries them). */
  chunkHashes: Uint8Array[];
  /** The AppHash of the snapshot's height. */
  appHash: Uint8Array;
  /** Compressed bytes (the sum of the chunks). */
  bytes: number;
  /** Bytes of the uncompressed stream. */
  rawBytes: number;
  /** Keys in every store together. */
  keys: number;
}

const METADATA = 'metadata.json';
const PARTIAL = '.partial';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: unknown, what: string): Uint8Array => {
  if (typeof s !== 'string' || !/^([0-9a-f]{2})*$/.test(s)) throw ErrSnapshotCorrupt.wrap(`${what} is not lower-case hex`);
  return Uint8Array.from(Buffer.from(s, 'hex'));
};

export function sha256(b: Uint8Array): Uint8Array {
  return Uint8Array.from(createHash('sha256').update(b).digest());
}

function infoToJson(i: SnapshotInfo): Record<string, unknown> {
  return {
    height: i.height,
    format: i.format,
    chunks: i.chunks,
    hash: hex(i.hash),
    chunk_hashes: i.chunkHashes.map(hex),
    app_hash: hex(i.appHash),
    bytes: i.bytes,
    raw_bytes: i.rawBytes,
    keys: i.keys,
  };
}

export function parseSnapshotInfo(text: string, where: string): SnapshotInfo {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw ErrSnapshotCorrupt.wrap(`${where} is not JSON`);
  }
  const int = (k: string, min: number): number => {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw ErrSnapshotCorrupt.wrap(`${where}: ${k} must be an integer ≥ ${min}`);
    return v;
  };
  const hashes = o.chunk_hashes;
  if (!Array.isArray(hashes)) throw ErrSnapshotCorrupt.wrap(`${where}: chunk_hashes must be an array`);
  const info: SnapshotInfo = {
    height: int('height', 1),
    format: int('format', 0),
    chunks: int('chunks', 1),
    hash: unhex(o.hash, `${where}: hash`),
    chunkHashes: hashes.map((h, i) => unhex(h, `${where}: chunk_hashes[${i}]`)),
    appHash: unhex(o.app_hash, `${where}: app_hash`),
    bytes: int('bytes', 0),
    rawBytes: int('raw_bytes', 0),
    keys: int('keys', 0),
  };
  if (info.chunkHashes.length !== info.chunks) throw ErrSnapshotCorrupt.wrap(`${where}: ${info.chunks} chunks but ${info.chunkHashes.length} chunk hashes`);
  return info;
}

/**
 * ABCI `Snapshot.metadata`: the chunk hashes as the Cosmos SDK encodes them
 * (`cosmos.store.snapshots.v1.Metadata`, field 1 `repeated bytes chunk_hashes`).
 */
export function encodeChunkHashes(hashes: readonly Uint8Array[]): Uint8Array {
  const out: number[] = [];
  for (const h of hashes) {
    if (h.length !== 32) throw ErrInvalidSnapshotMetadata.wrap(`chunk hash of ${h.length} bytes, want 32`);
    out.push(0x0a, 32, ...h);
  }
  return Uint8Array.from(out);
}

export function decodeChunkHashes(metadata: Uint8Array): Uint8Array[] {
  const hashes: Uint8Array[] = [];
  for (let pos = 0; pos < metadata.length; ) {
    if (metadata[pos] !== 0x0a || metadata[pos + 1] !== 32 || pos + 34 > metadata.length) {
      throw ErrInvalidSnapshotMetadata.wrap(`metadata byte ${pos}: want field 1 with a 32-byte chunk hash`);
    }
    hashes.push(metadata.slice(pos + 2, pos + 34));
    pos += 34;
  }
  return hashes;
}

/** The ABCI description of a snapshot (ListSnapshots). */
export function toAbciSnapshot(i: SnapshotInfo): Snapshot {
  return { height: BigInt(i.height), format: i.format, chunks: i.chunks, hash: i.hash, metadata: encodeChunkHashes(i.chunkHashes) };
}

/** A snapshot being written: chunk files first, then `commit` writes the metadata and renames it into place. */
export interface SnapshotDraft {
  readonly dir: string;
  chunkPath(index: number): string;
  commit(info: SnapshotInfo): void;
  discard(): void;
}

export class SnapshotStore {
  constructor(readonly dir: string) {}

  /** Creates the directory and deletes partial snapshots a stopped process left behind. */
  static open(dir: string): SnapshotStore {
    mkdirSync(dir, { recursive: true });
    const store = new SnapshotStore(dir);
    for (const h of store.heightDirs()) {
      for (const f of readdirSync(join(dir, h))) {
        if (f.endsWith(PARTIAL)) rmSync(join(dir, h, f), { recursive: true, force: true });
      }
      store.removeIfEmpty(h);
    }
    return store;
  }

  /**
   * The store at `dir` for reading only: unlike `open`, it leaves drafts alone, so another
   * process can list the snapshots of a running node without deleting the one being written.
   */
  static inspect(dir: string): SnapshotStore {
    return new SnapshotStore(dir);
  }

  /** Every complete snapshot, newest height first (then highest format). */
  list(): SnapshotInfo[] {
    const out: SnapshotInfo[] = [];
    for (const h of this.heightDirs()) {
      for (const f of readdirSync(join(this.dir, h))) {
        if (!/^\d+$/.test(f)) continue;
        const meta = join(this.dir, h, f, METADATA);
        if (!existsSync(meta)) continue;
        out.push(parseSnapshotInfo(readFileSync(meta, 'utf8'), meta));
      }
    }
    return out.sort((a, b) => b.height - a.height || b.format - a.format);
  }

  get(height: number, format: number): SnapshotInfo | undefined {
    const meta = join(this.snapshotDir(height, format), METADATA);
    return existsSync(meta) ? parseSnapshotInfo(readFileSync(meta, 'utf8'), meta) : undefined;
  }

  /** The bytes of one chunk, or undefined for an unknown snapshot or index. */
  async loadChunk(height: number, format: number, index: number): Promise<Uint8Array | undefined> {
    const info = this.get(height, format);
    if (!info || !Number.isSafeInteger(index) || index < 0 || index >= info.chunks) return undefined;
    try {
      return await readFile(this.chunkPath(height, format, index));
    } catch {
      return undefined;
    }
  }

  chunkPath(height: number, format: number, index: number): string {
    return join(this.snapshotDir(height, format), String(index));
  }

  /** Starts writing a snapshot of (height, format); an older one of the same pair is replaced on commit. */
  draft(height: number, format: number): SnapshotDraft {
    const final = this.snapshotDir(height, format);
    const dir = final + PARTIAL;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    return {
      dir,
      chunkPath: (i) => join(dir, String(i)),
      commit: (info) => {
        writeFileSync(join(dir, METADATA), JSON.stringify(infoToJson(info), null, 2) + '\n');
        rmSync(final, { recursive: true, force: true });
        renameSync(dir, final);
      },
      discard: () => {
        rmSync(dir, { recursive: true, force: true });
        this.removeIfEmpty(String(height));
      },
    };
  }

  delete(height: number, format: number): void {
    const d = this.snapshotDir(height, format);
    if (!existsSync(join(d, METADATA))) throw ErrSnapshotNotFound.wrap(`no snapshot at height ${height} in format ${format} in ${this.dir}`);
    rmSync(d, { recursive: true, force: true });
    this.removeIfEmpty(String(height));
  }

  /** Deletes all but the `keepRecent` newest snapshots (0 keeps every one); returns the deleted. */
  prune(keepRecent: number): SnapshotInfo[] {
    if (keepRecent <= 0) return [];
    const old = this.list().slice(keepRecent);
    for (const s of old) this.delete(s.height, s.format);
    return old;
  }

  private snapshotDir(height: number, format: number): string {
    return join(this.dir, String(height), String(format));
  }

  private heightDirs(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).filter((h) => /^\d+$/.test(h));
  }

  private removeIfEmpty(height: string): void {
    const d = join(this.dir, height);
    if (existsSync(d) && readdirSync(d).length === 0) rmSync(d, { recursive: true, force: true });
  }
}
