/**
 * Pruning keeps exactly the nodes that retained versions reach: none missing (every retained
 * version reads back whole), none left behind (no node record, orphan list or moved-list index
 * outlives the versions that need it), including survivors moved to keep-every checkpoints and a
 * later change of strategy that prunes those checkpoints too.
 */
import type { StateDb } from '../db';
import { decodeNode, readNodeKey } from './node';
import { IavlTree } from './tree';
import type { IavlOptions } from './tree';
import { enc, prng, tempDb } from './testutil';

let db: StateDb;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ db, cleanup } = await tempDb()));
afterEach(async () => cleanup());

const PREFIX = enc('s/k:prune/');
const tag = (t: string) => Buffer.concat([Buffer.from(PREFIX), Buffer.from(t)]);
const readU64 = (b: Uint8Array, pos: number) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).readBigUInt64BE(pos);

async function keysUnder(t: string): Promise<Buffer[]> {
  const start = tag(t);
  const end = Buffer.from(start);
  end[end.length - 1]++;
  const out: Buffer[] = [];
  for await (const [k] of db.iterate({ gte: start, lt: end })) out.push(Buffer.from(k).subarray(start.length));
  return out;
}

/** Node keys (hex) reachable from the root records of `versions`, walked from the raw records. */
function reachable(versions: number[]): Set<string> {
  const seen = new Set<string>();
  for (const v of versions) {
    const rootKey = Buffer.concat([tag('r'), Buffer.alloc(8)]);
    rootKey.writeBigUInt64BE(BigInt(v), tag('r').length);
    const rec = db.getSync(rootKey);
    if (!rec || rec.length === 0) continue;
    const stack = [readNodeKey(rec, 0)];
    while (stack.length > 0) {
      const { version, seq } = stack.pop()!;
      const nk = Buffer.alloc(12);
      nk.writeUInt32BE(Math.floor(version / 2 ** 32), 0);
      nk.writeUInt32BE(version >>> 0, 4);
      nk.writeUInt32BE(seq, 8);
      const id = nk.toString('hex');
      if (seen.has(id)) continue;
      seen.add(id);
      const nodeRec = db.getSync(Buffer.concat([tag('n'), nk]));
      if (!nodeRec) throw new Error(`version ${v} reaches node ${id}, which is missing`);
      const node = decodeNode(nodeRec, version, seq, new Uint8Array(32));
      if (node.leftRef) stack.push(node.leftRef, node.rightRef!);
    }
  }
  return seen;
}

async function expectExactStorage(tree: IavlTree): Promise<void> {
  const retained = tree.availableVersions();
  const stored = new Set((await keysUnder('n')).map((k) => k.toString('hex')));
  expect([...stored].sort()).toEqual([...reachable(retained)].sort());
  // Orphan lists and moved-list indexes exist only for retained versions.
  for (const k of await keysUnder('o')) expect(retained).toContain(Number(readU64(k, 0)));
  for (const k of await keysUnder('m')) expect(retained).toContain(Number(readU64(k, 0)));
}

test('custom keep-recent/keep-every: retained versions read whole, nothing else is stored', async () => {
  const opts: IavlOptions = { prefix: PREFIX, pruning: { strategy: 'custom', keepRecent: 3, keepEvery: 4 } };
  let tree = await IavlTree.open(db, opts);
  const rnd = prng(5);
  const model = new Map<string, string>();
  const snapshots = new Map<number, string[]>();
  const dump = (entries: Iterable<[Uint8Array, Uint8Array]>) => [...entries].map(([k, v]) => `${Buffer.from(k).toString()}=${Buffer.from(v).toString()}`);
  let moved = 0;
  for (let v = 1; v <= 40; v++) {
    for (let i = 0; i < 30; i++) {
      const k = `k${Math.floor(rnd() * 120)}`;
      if (rnd() < 0.25) {
        tree.delete(enc(k));
        model.delete(k);
      } else {
        tree.set(enc(k), enc(`${v}.${i}`));
        model.set(k, `${v}.${i}`);
      }
    }
    await tree.commit();
    snapshots.set(v, [...model.entries()].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b))).map(([k, x]) => `${k}=${x}`));
    moved = Math.max(moved, (await keysUnder('m')).length);
    if (v % 8 === 0) {
      // Reopened with a cold cache, so every read below comes from the stored records.
      tree = await IavlTree.open(db, { ...opts, nodeCacheSize: 0 });
      for (const r of tree.availableVersions()) expect(dump(tree.at(r).iterator())).toEqual(snapshots.get(r));
      await expectExactStorage(tree);
    }
  }
  expect(tree.availableVersions()).toEqual([4, 8, 12, 16, 20, 24, 28, 32, 36, 38, 39, 40]);
  // Survivors did move to checkpoints (otherwise this test proves little about moves).
  expect(moved).toBeGreaterThan(0);

  // A narrower strategy prunes the checkpoints too, with the lists moved into them.
  tree = await IavlTree.open(db, { prefix: PREFIX, pruning: { strategy: 'custom', keepRecent: 2, keepEvery: 0 } });
  tree.set(enc('last'), enc('write'));
  await tree.commit();
  expect(tree.availableVersions()).toEqual([40, 41]);
  expect(dump(tree.at(40).iterator())).toEqual(snapshots.get(40));
  await expectExactStorage(tree);
  expect(await keysUnder('m')).toEqual([]);
});
