/**
 * `sekaid-ts snapshots`: the Cosmos SDK's snapshot commands over `<home>/data/snapshots`.
 *
 *   list                          the snapshots on disk
 *   export [--height H]           take one from a stopped node (default: its last height)
 *   restore <height> <format>     restore one into this home's empty application state
 *   dump <height> <format> [-o f] write one to a .tar.gz archive (metadata.json + chunks)
 *   load <archive>                add a dumped snapshot to this home (chunk hashes checked)
 *   delete <height> <format>
 *
 * `export` and `restore` open the application database, so the node must be stopped; the
 * others only touch snapshot files. Long operations print a progress line on stderr about
 * once a second (done, total, ETA).
 */
import { Command } from 'commander';
import { createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { createGunzip, createGzip } from 'node:zlib';
import { createApp, genesisHasMultistaking, type SekaiApp } from '../../app/app';
import { readJsonFile } from '../../node/config';
import { BlockStore } from '../../node/blockstore/blockStore';
import { parseGenesis } from '../../node/engine/genesis';
import {
  ErrSnapshotCorrupt,
  ErrSnapshotNotFound,
  SnapshotManager,
  SnapshotStore,
  parseSnapshotInfo,
  restoreSnapshot,
  sha256,
  type SnapshotInfo,
} from '../../node/snapshots';
import type { RootMultiStore } from '../../store/rootmulti';
import type { SekaidEnv } from './env';
import { ErrUsage } from './errors';
import { openError } from './export';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

function positiveInt(text: string, what: string): number {
  if (!/^[1-9][0-9]*$/.test(text)) throw ErrUsage.wrap(`${what} must be a positive integer, got "${text}"`);
  return Number(text);
}

function formatNumber(text: string): number {
  if (!/^[0-9]+$/.test(text)) throw ErrUsage.wrap(`format must be a whole number, got "${text}"`);
  return Number(text);
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** A progress line on stderr at most once a second: "<what>: 42% (done/total unit, extra), ETA 3s". */
export function progressReporter(what: string, unit: string): (done: number, total: number, extra?: string) => void {
  const started = Date.now();
  let last = 0;
  return (done, total, extra) => {
    const now = Date.now();
    if (now - last < 1000 && done < total) return;
    last = now;
    const share = total > 0 ? done / total : 1;
    const eta = share > 0 && share < 1 ? ` ETA ${Math.ceil(((now - started) * (1 - share)) / share / 1000)}s` : '';
    process.stderr.write(`${what}: ${(share * 100).toFixed(0)}% (${done}/${total} ${unit}${extra ? `, ${extra}` : ''})${eta}\n`);
  };
}

function snapshotJson(s: SnapshotInfo): Record<string, unknown> {
  return { height: s.height, format: s.format, chunks: s.chunks, bytes: s.bytes, keys: s.keys, hash: hex(s.hash), app_hash: hex(s.appHash) };
}

/** Opens the node's application state (the node must be stopped) with its snapshot manager. */
async function openNodeApp(env: SekaidEnv, doing: string): Promise<{ sekai: SekaiApp; root: RootMultiStore; manager: SnapshotManager }> {
  const layout = env.layout();
  const genesisJson = readJsonFile(layout.genesis);
  const genesis = parseGenesis(genesisJson);
  let root: RootMultiStore | undefined;
  let manager: SnapshotManager | undefined;
  const sekai = await createApp({
    dbDir: join(layout.dataDir, 'application.db'),
    // Opening prunes nothing: no version is committed here.
    pruning: { strategy: 'nothing' },
    initialHeight: Number(genesis.initialHeight),
    multistakingAtGenesis: genesisHasMultistaking(genesisJson),
    snapshots: (store) => {
      root = store;
      manager = new SnapshotManager({ store: SnapshotStore.open(join(layout.dataDir, 'snapshots')), interval: 0, keepRecent: 0, source: store });
      return manager;
    },
  }).catch((err: unknown) => {
    throw openError('application state', layout.dataDir, layout.home, err, doing);
  });
  return { sekai, root: root as RootMultiStore, manager: manager as SnapshotManager };
}

/** The time of block `height` from the embedded engine's block store, if it has it. */
async function blockTime(env: SekaidEnv, height: number): Promise<{ seconds: bigint; nanos: number } | undefined> {
  const dir = join(env.layout().dataDir, 'blockstore.db');
  if (!existsSync(dir)) return undefined;
  const blocks = await BlockStore.open(dir);
  try {
    return (await blocks.block(height))?.block.header?.time;
  } finally {
    await blocks.close();
  }
}

/**
 * The snapshot files for list, dump, load and delete, which may run beside a live node: its
 * draft in progress is left alone (the node's own start clears drafts a dead process left).
 */
function snapshotStore(env: SekaidEnv): SnapshotStore {
  const dir = join(env.layout().dataDir, 'snapshots');
  mkdirSync(dir, { recursive: true });
  return SnapshotStore.inspect(dir);
}

function requireSnapshot(store: SnapshotStore, height: number, format: number): SnapshotInfo {
  const info = store.get(height, format);
  if (!info) {
    const have = store.list().map((s) => `${s.height}/${s.format}`);
    throw ErrSnapshotNotFound.wrap(`no snapshot at height ${height} in format ${format} in ${store.dir}${have.length ? `; there are ${have.join(', ')} (height/format)` : ''}`);
  }
  return info;
}

// ------------------------------------------------------------------ tar (ustar) archives

const BLOCK = 512;

function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'ascii');
  h.write('0000000\0', 108, 'ascii');
  h.write('0000000\0', 116, 'ascii');
  h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'ascii');
  // mtime 0: the same snapshot always dumps to the same bytes.
  h.write('00000000000\0', 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0' + '00', 257, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

/** Reads exactly-sized pieces out of a stream of buffers. */
class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Buffer>;
  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }
  async read(n: number): Promise<Buffer | undefined> {
    while (this.buf.length < n) {
      const r = await this.it.next();
      if (r.done) return undefined;
      this.buf = this.buf.length === 0 ? r.value : Buffer.concat([this.buf, r.value]);
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}

/** Chunks and metadata larger than this are not ours (a chunk is 10 MB by default, CometBFT allows 16 MB). */
const MAX_ENTRY = 64 * 1024 * 1024;

async function* tarEntries(path: string): AsyncGenerator<{ name: string; data: Buffer }> {
  const reader = new ByteReader(createReadStream(path).pipe(createGunzip()) as AsyncIterable<Buffer>);
  for (;;) {
    const h = await reader.read(BLOCK);
    if (!h) throw ErrSnapshotCorrupt.wrap(`${path}: the archive ends without its end blocks`);
    if (h.every((b) => b === 0)) return;
    const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(h.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size < 0 || size > MAX_ENTRY) throw ErrSnapshotCorrupt.wrap(`${path}: entry ${name} has an invalid size`);
    const data = await reader.read(size);
    if (!data) throw ErrSnapshotCorrupt.wrap(`${path}: entry ${name} is truncated`);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad > 0 && !(await reader.read(pad))) throw ErrSnapshotCorrupt.wrap(`${path}: entry ${name} is truncated`);
    if (h[156] === 0x30 || h[156] === 0) yield { name, data: Buffer.from(data) };
  }
}

// ------------------------------------------------------------------ commands

export function snapshotsCommand(env: SekaidEnv): Command {
  const root = new Command('snapshots').description('manage state-sync snapshots in <home>/data/snapshots');

  root
    .command('list')
    .description('list the snapshots on disk, newest first')
    .action(() => {
      const list = snapshotStore(env).list();
      env.print({ snapshots: list.map(snapshotJson) });
    });

  root
    .command('export')
    .description('take a snapshot of a committed height from the stopped node (default: the last height)')
    .option('--height <n>', 'height to snapshot')
    .action(async (opts: { height?: string }) => {
      const { sekai, root: store, manager } = await openNodeApp(env, 'exporting a snapshot');
      try {
        const last = store.lastCommitId().version;
        if (last === 0) throw ErrUsage.wrap('the chain has no committed block to snapshot yet');
        const height = opts.height === undefined ? last : positiveInt(opts.height, '--height');
        if (height > last) throw ErrUsage.wrap(`height ${height} is above the last committed height ${last}`);
        if (!store.versionExists(height)) throw ErrUsage.wrap(`the state at height ${height} was pruned (see pruning in app.toml); heights ${store.availableVersions().slice(-5).join(', ')}… are kept`);
        const time = await blockTime(env, height);
        const report = progressReporter(`snapshot ${height}`, 'nodes');
        const info = await manager.take(height, sekai.app.snapshotHeader(height, time), {
          sliceMs: 200,
          onProgress: (p) => report(p.nodes, p.totalNodes, mb(p.bytes)),
        });
        env.print(snapshotJson(info));
      } finally {
        await sekai.app.close();
      }
    });

  root
    .command('restore <height> <format>')
    .description("restore a snapshot into this home's empty application state (stop the node first)")
    .action(async (heightText: string, formatText: string) => {
      const height = positiveInt(heightText, 'height');
      const format = formatNumber(formatText);
      const files = snapshotStore(env);
      const info = requireSnapshot(files, height, format);
      const { sekai, root: store } = await openNodeApp(env, 'restoring a snapshot');
      try {
        const have = store.lastCommitId().version;
        if (have > 0) throw ErrUsage.wrap(`the application state in ${env.layout().dataDir} already holds height ${have}; restore into a home without state`);
        const report = progressReporter(`restore ${height}`, 'chunks');
        async function* chunks(): AsyncGenerator<Uint8Array> {
          for (let i = 0; i < info.chunks; i++) {
            const c = await files.loadChunk(height, format, i);
            if (!c) throw ErrSnapshotCorrupt.wrap(`chunk ${i} of snapshot ${height}/${format} is missing`);
            if (Buffer.compare(sha256(c), info.chunkHashes[i]) !== 0) throw ErrSnapshotCorrupt.wrap(`chunk ${i} of snapshot ${height}/${format} does not match its hash in metadata.json`);
            yield c;
            report(i + 1, info.chunks);
          }
        }
        const r = await restoreSnapshot(store, height, chunks(), info.appHash);
        env.print({ height: r.commit.version, app_hash: hex(r.commit.hash) });
      } finally {
        await sekai.app.close();
      }
    });

  root
    .command('dump <height> <format>')
    .description('write a snapshot to a .tar.gz archive (metadata.json and its chunks)')
    .option('-O, --output-file <file>', 'archive path (default: <height>-<format>.tar.gz)')
    .action(async (heightText: string, formatText: string, opts: { outputFile?: string }) => {
      const height = positiveInt(heightText, 'height');
      const format = formatNumber(formatText);
      const files = snapshotStore(env);
      const info = requireSnapshot(files, height, format);
      const out = opts.outputFile ?? `${height}-${format}.tar.gz`;
      const gzip = createGzip();
      const file = createWriteStream(out);
      const done = new Promise<void>((resolve, reject) => {
        file.on('finish', resolve);
        file.on('error', reject);
        gzip.on('error', reject);
      });
      gzip.pipe(file);
      const put = async (b: Buffer): Promise<void> => {
        if (!gzip.write(b)) await once(gzip, 'drain');
      };
      const entry = async (name: string, data: Buffer): Promise<void> => {
        await put(tarHeader(name, data.length));
        await put(data);
        const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
        if (pad > 0) await put(Buffer.alloc(pad));
      };
      const report = progressReporter(`dump ${height}`, 'chunks');
      await entry('metadata.json', await readFile(join(files.dir, String(height), String(format), 'metadata.json')));
      for (let i = 0; i < info.chunks; i++) {
        const c = await files.loadChunk(height, format, i);
        if (!c) throw ErrSnapshotCorrupt.wrap(`chunk ${i} of snapshot ${height}/${format} is missing`);
        await entry(String(i), Buffer.from(c));
        report(i + 1, info.chunks);
      }
      await put(Buffer.alloc(2 * BLOCK));
      gzip.end();
      await done;
      env.print({ file: out, height, format, chunks: info.chunks });
    });

  root
    .command('load <archive>')
    .description('add a snapshot dumped by `snapshots dump` to this home (every chunk is checked against its hash)')
    .action(async (archive: string) => {
      if (!existsSync(archive)) throw ErrUsage.wrap(`no file ${archive}`);
      const files = snapshotStore(env);
      let info: SnapshotInfo | undefined;
      let draft: ReturnType<SnapshotStore['draft']> | undefined;
      let next = 0;
      try {
        for await (const { name, data } of tarEntries(archive)) {
          if (!info) {
            if (name !== 'metadata.json') throw ErrSnapshotCorrupt.wrap(`${archive}: the first entry is ${name}, want metadata.json`);
            info = parseSnapshotInfo(data.toString('utf8'), `${archive}: metadata.json`);
            draft = files.draft(info.height, info.format);
            continue;
          }
          if (name !== String(next) || next >= info.chunks) throw ErrSnapshotCorrupt.wrap(`${archive}: entry ${name} where chunk ${next} was expected`);
          if (Buffer.compare(sha256(data), info.chunkHashes[next]) !== 0) throw ErrSnapshotCorrupt.wrap(`${archive}: chunk ${next} does not match its hash in metadata.json`);
          await writeFile((draft as NonNullable<typeof draft>).chunkPath(next), data);
          next++;
        }
        if (!info || !draft) throw ErrSnapshotCorrupt.wrap(`${archive}: no metadata.json`);
        if (next !== info.chunks) throw ErrSnapshotCorrupt.wrap(`${archive}: ${next} of ${info.chunks} chunks`);
        draft.commit(info);
      } catch (err) {
        draft?.discard();
        throw err;
      }
      env.print(snapshotJson(info));
    });

  root
    .command('delete <height> <format>')
    .description('delete a snapshot from disk')
    .action((heightText: string, formatText: string) => {
      const height = positiveInt(heightText, 'height');
      const format = formatNumber(formatText);
      const files = snapshotStore(env);
      requireSnapshot(files, height, format);
      files.delete(height, format);
      env.print({ deleted: { height, format } });
    });

  return root;
}
