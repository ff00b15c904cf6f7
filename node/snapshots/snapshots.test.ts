/**
 * Snapshots over real LevelDB multistores: write one while later versions commit and prune,
 * restore it into an empty store (same AppHash, same reads), refuse a corrupted chunk, a
 * truncated or foreign stream and a wrong AppHash without leaving anything behind, and wipe
 * an interrupted restore at the next open.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ResponseApplySnapshotChunk_Result, ResponseOfferSnapshot_Result } from 'cosmjs-types/tendermint/abci/types';
import { StateDb } from '../../store/db';
import { RootMultiStore, type RootMultiStoreOptions } from '../../store/rootmulti';
import { SNAPSHOT_FORMAT, SnapshotDecoder, SnapshotEncoder, isMarker } from '../../store/snapshots/format';
import { SnapshotManager } from './manager';
import { restoreSnapshot } from './restore';
import { SnapshotStore, decodeChunkHashes, sha256 } from './snapshotStore';
import { writeSnapshot } from './writer';

const utf8 = (s: string) => new TextEncoder().encode(s);
const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const STORES = ['acc', 'bank', 'empty'];
const OPTS: RootMultiStoreOptions = { stores: STORES, pruning: { strategy: 'custom', keepRecent: 2, keepEvery: 0 } };

const dirs: string[] = [];
const opened: RootMultiStore[] = [];
afterAll(async () => {
  for (const s of opened) await s.close().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'snapshots-'));
  dirs.push(d);
  return d;
}
async function open(dir: string, opts: RootMultiStoreOptions = OPTS): Promise<RootMultiStore> {
  const s = await RootMultiStore.open(await StateDb.open(dir), opts);
  opened.push(s);
  return s;
}
async function close(s: RootMultiStore): Promise<void> {
  await s.close();
  opened.splice(opened.indexOf(s), 1);
}

/** Commits `versions` versions of varied writes (inserts, overwrites, deletes) to two stores. */
async function fill(store: RootMultiStore, versions: number, keysPerVersion: number): Promise<void> {
  for (let v = 1; v <= versions; v++) {
    const b = store.cacheMultiStore();
    for (let i = 0; i < keysPerVersion; i++) {
      b.getStore('acc').set(utf8(`acc/${(v * 7919 + i * 104729) % 5000}`), utf8(`v${v}-${i}`.repeat(1 + (i % 5))));
      b.getStore('bank').set(utf8(`bal/${i % 300}`), utf8(String(v * i)));
    }
    if (v % 3 === 0) b.getStore('acc').delete(utf8(`acc/${(v * 7919) % 5000}`));
    b.write();
    await store.commit();
  }
}

/** Every key/value of every store at the latest version. */
function dump(store: RootMultiStore): string[] {
  const v = store.lastCommitId().version;
  return STORES.flatMap((n) => [...store.readerAt(n, v).iterator()].map(([k, val]) => `${n}:${Buffer.from(k).toString()}=${Buffer.from(val).toString()}`));
}

async function* fromFiles(snapshots: SnapshotStore, height: number, chunks: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < chunks; i++) yield (await snapshots.loadChunk(height, SNAPSHOT_FORMAT, i))!;
}

async function treeKeyCount(dir: string): Promise<number> {
  const db = await StateDb.open(dir);
  let n = 0;
  for await (const _ of db.iterate({ gte: utf8('s/k:'), lt: utf8('s/k;') })) n++;
  for await (const _ of db.iterate({ gte: utf8('s/'), lt: utf8('s0') })) n++;
  await db.close();
  return n;
}

describe('snapshot stream format', () => {
  test('decodes the same items whatever the piece boundaries, and refuses damage', () => {
    const enc = new SnapshotEncoder();
    enc.app(utf8('{"a":1}'));
    enc.store('bank');
    enc.node({ key: utf8('k1'), value: new Uint8Array(70_000).fill(7), version: 3, height: 0 });
    enc.node({ key: utf8('k2'), value: utf8('v'), version: 300, height: 0 });
    enc.node({ key: utf8('k2'), version: 300, height: 1 });
    enc.end();
    const bytes = enc.take();
    for (const step of [1, 7, 1000, bytes.length]) {
      const dec = new SnapshotDecoder();
      const items = [];
      for (let i = 0; i < bytes.length; i += step) items.push(...dec.push(bytes.subarray(i, i + step)));
      dec.finish();
      expect(items.map((it) => (isMarker(it) ? it.kind : `${Buffer.from(it.key).toString()}@${it.version}/${it.height}`))).toEqual(['app', 'store', 'k1@3/0', 'k2@300/0', 'k2@300/1', 'end']);
    }
    const truncated = new SnapshotDecoder();
    truncated.push(bytes.subarray(0, bytes.length - 1));
    expect(() => truncated.finish()).toThrow(/stops before its end marker/);
    const foreign = Uint8Array.from(bytes);
    foreign[0] ^= 1;
    expect(() => new SnapshotDecoder().push(foreign)).toThrow(/bad magic/);
    const nodeFirst = new SnapshotEncoder();
    nodeFirst.node({ key: utf8('k'), value: utf8('v'), version: 1, height: 0 });
    expect(() => new SnapshotDecoder().push(nodeFirst.take())).toThrow(/app header/);
  });
});

describe('snapshot write and restore', () => {
  test('a snapshot written across later commits restores the same AppHash and state; pruning waits for it', async () => {
    const src = await open(tempDir());
    await fill(src, 6, 400);
    const snaps = SnapshotStore.open(join(tempDir(), 'snapshots'));
    const expected = dump(src);
    const appHash = src.lastCommitId().hash;
    // Small chunks and slices, and two more commits (pruning keeps 2 recent) while it runs.
    const writing = writeSnapshot(src, snaps, 6, utf8('{"chain_id":"t"}'), { chunkSize: 4096, sliceMs: 0.01 });
    await fill(src, 2, 50);
    const info = await writing;
    expect(info.height).toBe(6);
    expect(info.chunks).toBeGreaterThan(3);
    expect(hex(info.appHash)).toBe(hex(appHash));
    expect(info.bytes).toBeLessThan(info.rawBytes);
    expect(snaps.list().map((s) => [s.height, s.format, s.chunks])).toEqual([[6, SNAPSHOT_FORMAT, info.chunks]]);
    // Version 6 was pinned while the snapshot read it; once released, the next commit prunes it.
    expect(src.versionExists(6)).toBe(true);
    await fill(src, 1, 1);
    expect(src.versionExists(6)).toBe(false);

    const dstDir = tempDir();
    const dst = await open(dstDir);
    const r = await restoreSnapshot(dst, 6, fromFiles(snaps, 6, info.chunks), appHash);
    expect(r.commit.version).toBe(6);
    expect(hex(dst.lastCommitId().hash)).toBe(hex(appHash));
    expect(Buffer.from(r.appHeader).toString()).toBe('{"chain_id":"t"}');
    expect(dump(dst)).toEqual(expected);
    // The restored store commits on top, and reopens as a whole state.
    const b = dst.cacheMultiStore();
    b.getStore('bank').set(utf8('after'), utf8('1'));
    b.write();
    expect((await dst.commit()).version).toBe(7);
    await close(dst);
    const again = await open(dstDir);
    expect(again.lastCommitId().version).toBe(7);
    expect(Buffer.from(again.readerAt('bank', 7).get(utf8('after'))!).toString()).toBe('1');
    expect(again.readerAt('bank', 6).get(utf8('after'))).toBeUndefined();
    await close(again);
    await close(src);
  }, 60_000);

  test('a wrong AppHash, a truncated stream or a restore into a non-empty store leaves nothing behind', async () => {
    const src = await open(tempDir());
    await fill(src, 3, 200);
    const snaps = SnapshotStore.open(join(tempDir(), 'snapshots'));
    const info = await writeSnapshot(src, snaps, 3, utf8('{}'), { chunkSize: 2048 });

    const dstDir = tempDir();
    const dst = await open(dstDir);
    const wrong = Uint8Array.from(info.appHash);
    wrong[0] ^= 0xff;
    await expect(restoreSnapshot(dst, 3, fromFiles(snaps, 3, info.chunks), wrong)).rejects.toThrow(/restored to AppHash .* expected/);
    expect(dst.lastCommitId().version).toBe(0);
    await expect(restoreSnapshot(dst, 3, fromFiles(snaps, 3, info.chunks - 1), info.appHash)).rejects.toThrow(/unexpected end of file|stops before/);
    expect(dst.lastCommitId().version).toBe(0);
    await close(dst);
    expect(await treeKeyCount(dstDir)).toBe(0);

    // The same store restores fine afterwards.
    const dst2 = await open(dstDir);
    await restoreSnapshot(dst2, 3, fromFiles(snaps, 3, info.chunks), info.appHash);
    expect(hex(dst2.lastCommitId().hash)).toBe(hex(info.appHash));
    await expect(restoreSnapshot(dst2, 3, fromFiles(snaps, 3, info.chunks), info.appHash)).rejects.toThrow(/already holds version 3/);
    expect(dst2.lastCommitId().version).toBe(3);
    await close(dst2);
    await close(src);
  }, 60_000);

  test('the worker thread and this thread import the same bytes as the node-by-node import; errors keep their codes across the thread', async () => {
    const src = await open(tempDir());
    await fill(src, 4, 300);
    const snaps = SnapshotStore.open(join(tempDir(), 'snapshots'));
    const info = await writeSnapshot(src, snaps, 4, utf8('{}'), { chunkSize: 3000 });
    const everything = async (dir: string): Promise<string[]> => {
      const db = await StateDb.open(dir);
      const out: string[] = [];
      // Every tree record (nodes, fast index, roots); the commit info and markers are the restore's own.
      for await (const [k, v] of db.iterate({ gte: utf8('s/k:'), lt: utf8('s/k;') })) out.push(`${hex(k)}=${hex(v)}`);
      await db.close();
      return out;
    };
    const dirs3 = [tempDir(), tempDir(), tempDir()];
    for (const [i, dir] of dirs3.entries()) {
      const dst = await open(dir);
      if (i === 2) {
        await dst.beginRestore(4);
        for (const s of src.exportVersion(4)) await dst.restoreStore(s.name, s.nodes as never);
        await dst.finishRestore(info.appHash);
      } else {
        await restoreSnapshot(dst, 4, fromFiles(snaps, 4, info.chunks), info.appHash, { worker: i === 0 });
      }
      expect(hex(dst.lastCommitId().hash)).toBe(hex(info.appHash));
      await close(dst);
    }
    const [viaWorker, inThread, nodeByNode] = await Promise.all(dirs3.map(everything));
    expect(viaWorker.length).toBeGreaterThan(1000);
    expect(inThread).toEqual(viaWorker);
    expect(nodeByNode).toEqual(viaWorker);

    // A stream whose inner node lies about its height, and one naming a store this binary does
    // not mount: refused with their own codes, from the worker as from this thread.
    const items = new SnapshotDecoder().push(gunzipSync(Buffer.concat([...Array(info.chunks).keys()].map((i) => readFileSync(snaps.chunkPath(4, SNAPSHOT_FORMAT, i))))));
    const rewrite = (edit: (it: (typeof items)[number]) => (typeof items)[number]): Uint8Array => {
      const enc = new SnapshotEncoder();
      for (const it of items.map(edit)) {
        if (!isMarker(it)) enc.node(it);
        else if (it.kind === 'app') enc.app(it.data);
        else if (it.kind === 'store') enc.store(it.name);
        else enc.end();
      }
      return gzipSync(enc.take());
    };
    let lied = false;
    const badHeight = rewrite((it) => (!isMarker(it) && it.height > 1 && !lied && (lied = true) ? { ...it, height: it.height + 1 } : it));
    const unknown = rewrite((it) => (isMarker(it) && it.kind === 'store' && it.name === 'bank' ? { kind: 'store', name: 'nosuch' } : it));
    for (const worker of [true, false]) {
      const dir = tempDir();
      const dst = await open(dir);
      const one = async function* (c: Uint8Array) {
        yield c;
      };
      await expect(restoreSnapshot(dst, 4, one(badHeight), info.appHash, { worker })).rejects.toMatchObject({ codespace: 'store', code: 35, message: expect.stringMatching(/has height \d+, its children say/) });
      await expect(restoreSnapshot(dst, 4, one(unknown), info.appHash, { worker })).rejects.toMatchObject({ codespace: 'store', code: 12, message: expect.stringMatching(/store "nosuch", which this binary does not mount/) });
      expect(dst.lastCommitId().version).toBe(0);
      await close(dst);
      expect(await treeKeyCount(dir)).toBe(0);
    }
    await close(src);
  }, 60_000);

  test('a store the chain added at an upgrade joins an empty node at the restored version', async () => {
    // The chain mounted `late` from height 3; the new node knows the store but not when it joined
    // (its upgrade plan is in the state it is about to restore), so it holds it back for now.
    const names = [...STORES, 'late'];
    const src = await open(tempDir(), { stores: names, upgrades: [{ height: 3, added: ['late'] }] });
    for (let v = 1; v <= 4; v++) {
      const b = src.cacheMultiStore();
      b.getStore('acc').set(utf8(`acc/${v}`), utf8(`v${v}`));
      if (v >= 3) b.getStore('late').set(utf8(`late/${v}`), utf8(`joined ${v}`));
      b.write();
      await src.commit();
    }
    const snaps = SnapshotStore.open(join(tempDir(), 'snapshots'));
    const info = await writeSnapshot(src, snaps, 4, utf8('{}'));
    const held = { stores: names, upgrades: [{ height: Number.MAX_SAFE_INTEGER, added: ['late'] }] };
    for (const worker of [true, false]) {
      // A wrong AppHash: nothing kept, and the store is held back again.
      const refused = await open(tempDir(), held);
      await expect(restoreSnapshot(refused, 4, fromFiles(snaps, 4, info.chunks), new Uint8Array(32), { worker })).rejects.toMatchObject({ codespace: 'store', code: 13 });
      expect(refused.activeSince('late')).toBe(Number.MAX_SAFE_INTEGER);
      await close(refused);

      const dst = await open(tempDir(), held);
      expect(dst.activeSince('late')).toBe(Number.MAX_SAFE_INTEGER);
      await restoreSnapshot(dst, 4, fromFiles(snaps, 4, info.chunks), info.appHash, { worker });
      expect(hex(dst.lastCommitId().hash)).toBe(hex(info.appHash));
      expect(dst.activeSince('late')).toBe(4);
      expect(Buffer.from(dst.readerAt('late', 4).get(utf8('late/3'))!).toString()).toBe('joined 3');
      // The chain continues on it: version 5 writes the store, and the AppHash is the source's.
      for (const s of [src, dst]) {
        const b = s.cacheMultiStore();
        b.getStore('late').set(utf8('late/5'), utf8('after the restore'));
        b.write();
      }
      const [a, b] = [await dst.commit(), worker ? await src.commit() : src.lastCommitId()];
      expect(hex(a.hash)).toBe(hex(b.hash));
      await close(dst);
    }
    await close(src);
  }, 60_000);

  test('a restore interrupted half-way is wiped when the store is opened again', async () => {
    const src = await open(tempDir());
    await fill(src, 2, 300);
    const snaps = SnapshotStore.open(join(tempDir(), 'snapshots'));
    const info = await writeSnapshot(src, snaps, 2, utf8('{}'));
    const dstDir = tempDir();
    const dst = await open(dstDir);
    // Import the stores, then "crash" before finishRestore wrote the commit info.
    await dst.beginRestore(2);
    for (const s of src.exportVersion(2)) await dst.restoreStore(s.name, s.nodes as never);
    await dst.close();
    opened.splice(opened.indexOf(dst), 1);
    expect(await treeKeyCount(dstDir)).toBeGreaterThan(0);
    const reopened = await open(dstDir);
    expect(reopened.lastCommitId().version).toBe(0);
    await close(reopened);
    expect(await treeKeyCount(dstDir)).toBe(0);
    expect(info.keys).toBeGreaterThan(0);
    await close(src);
  }, 60_000);
});

describe('SnapshotManager: the four ABCI calls', () => {
  test('serves its snapshots; a corrupted chunk is refetched and its sender rejected; a wrong root is rejected and wiped', async () => {
    const src = await open(tempDir());
    await fill(src, 4, 300);
    const served = new SnapshotManager({ store: SnapshotStore.open(join(tempDir(), 'snapshots')), interval: 2, keepRecent: 1, source: src });
    // Heights 2 and 4 are due; keep-recent 1 leaves only the newest.
    served.afterCommit(3, () => utf8('{}'));
    await served.idle();
    expect(served.listSnapshots().snapshots).toEqual([]);
    served.afterCommit(2, () => utf8('{"h":2}'));
    await served.idle();
    served.afterCommit(4, () => utf8('{"h":4}'));
    await served.idle();
    const [snap] = served.listSnapshots().snapshots;
    expect(served.listSnapshots().snapshots).toHaveLength(1);
    expect(snap).toMatchObject({ height: 4n, format: SNAPSHOT_FORMAT });
    const hashes = decodeChunkHashes(snap.metadata);
    expect(hashes).toHaveLength(snap.chunks);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < snap.chunks; i++) chunks.push((await served.loadSnapshotChunk({ height: 4n, format: SNAPSHOT_FORMAT, chunk: i })).chunk);
    expect(hex(sha256(chunks[0]))).toBe(hex(hashes[0]));
    expect((await served.loadSnapshotChunk({ height: 4n, format: SNAPSHOT_FORMAT, chunk: snap.chunks })).chunk).toHaveLength(0);
    const appHash = src.lastCommitId().hash;

    const dstDir = tempDir();
    const dst = await open(dstDir);
    const joining = new SnapshotManager({ store: SnapshotStore.open(join(tempDir(), 'snapshots')), interval: 0, keepRecent: 2, source: dst });
    expect((await joining.offerSnapshot({ snapshot: { ...snap, format: 9 }, appHash }, false)).result).toBe(ResponseOfferSnapshot_Result.REJECT_FORMAT);
    expect((await joining.offerSnapshot({ snapshot: { ...snap, metadata: Uint8Array.of(1, 2) }, appHash }, false)).result).toBe(ResponseOfferSnapshot_Result.REJECT);
    expect((await joining.offerSnapshot({ snapshot: snap, appHash }, true)).result).toBe(ResponseOfferSnapshot_Result.ABORT);

    // A wrong AppHash: every chunk is accepted until the last, which rejects the snapshot.
    const wrong = Uint8Array.from(appHash);
    wrong[5] ^= 1;
    expect((await joining.offerSnapshot({ snapshot: snap, appHash: wrong }, false)).result).toBe(ResponseOfferSnapshot_Result.ACCEPT);
    let last;
    for (let i = 0; i < chunks.length; i++) last = await joining.applySnapshotChunk({ index: i, chunk: chunks[i], sender: 'peerA' });
    expect(last!.response.result).toBe(ResponseApplySnapshotChunk_Result.REJECT_SNAPSHOT);
    expect(dst.lastCommitId().version).toBe(0);

    // The right one, with a flipped byte in chunk 0 first: refetch it, reject the sender.
    expect((await joining.offerSnapshot({ snapshot: snap, appHash }, false)).result).toBe(ResponseOfferSnapshot_Result.ACCEPT);
    const bad = Uint8Array.from(chunks[0]);
    bad[10] ^= 0x01;
    const refused = await joining.applySnapshotChunk({ index: 0, chunk: bad, sender: 'peerB' });
    expect(refused.response).toEqual({ result: ResponseApplySnapshotChunk_Result.RETRY, refetchChunks: [0], rejectSenders: ['peerB'] });
    for (let i = 0; i < chunks.length; i++) last = await joining.applySnapshotChunk({ index: i, chunk: chunks[i], sender: 'peerA' });
    expect(last!.response.result).toBe(ResponseApplySnapshotChunk_Result.ACCEPT);
    expect(last!.restored?.commit.version).toBe(4);
    expect(Buffer.from(last!.restored!.appHeader).toString()).toBe('{"h":4}');
    expect(hex(dst.lastCommitId().hash)).toBe(hex(appHash));
    expect(dump(dst)).toEqual(dump(src));
    await joining.close();
    await served.close();
    await close(dst);
    await close(src);
  }, 60_000);

  test('a snapshot whose chunk files were damaged on disk is refused at the chunk, not half-restored', async () => {
    const src = await open(tempDir());
    await fill(src, 2, 300);
    const dir = join(tempDir(), 'snapshots');
    const served = new SnapshotManager({ store: SnapshotStore.open(dir), interval: 1, keepRecent: 0, source: src, writer: { chunkSize: 1024 } });
    await served.take(2, utf8('{}'));
    const [snap] = served.listSnapshots().snapshots;
    const file = join(dir, '2', String(SNAPSHOT_FORMAT), '1');
    const bytes = readFileSync(file);
    bytes[3] ^= 0x80;
    writeFileSync(file, bytes);
    const dst = await open(tempDir());
    const joining = new SnapshotManager({ store: SnapshotStore.open(join(tempDir(), 'snapshots')), interval: 0, keepRecent: 2, source: dst });
    await joining.offerSnapshot({ snapshot: snap, appHash: src.lastCommitId().hash }, false);
    const c0 = (await served.loadSnapshotChunk({ height: 2n, format: SNAPSHOT_FORMAT, chunk: 0 })).chunk;
    const c1 = (await served.loadSnapshotChunk({ height: 2n, format: SNAPSHOT_FORMAT, chunk: 1 })).chunk;
    expect((await joining.applySnapshotChunk({ index: 0, chunk: c0, sender: 'p' })).response.result).toBe(ResponseApplySnapshotChunk_Result.ACCEPT);
    expect((await joining.applySnapshotChunk({ index: 1, chunk: c1, sender: 'p' })).response).toMatchObject({ result: ResponseApplySnapshotChunk_Result.RETRY, refetchChunks: [1], rejectSenders: ['p'] });
    await joining.close();
    expect(dst.lastCommitId().version).toBe(0);
    expect(readdirSync(dir)).toEqual(['2']);
    await close(dst);
    await close(src);
  }, 60_000);
});
