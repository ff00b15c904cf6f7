/**
 * Write-ahead-log mode: a commit appends one change-set record to the log file and returns; the
 * version's nodes and indexes follow in the background. Reads, history and proofs must not notice the delay,
 * the stored result must equal a tree committed in full, and a log left behind by a crash is
 * replayed at open, its root hash checked.
 */
import { join } from 'node:path';
import { CodedError } from '../../types/errors';
import { ChangeLog } from '../changelog';
import type { StateDb } from '../db';
import { ErrCorruptStore } from './errors';
import { IavlTree } from './tree';
import type { IavlOptions } from './tree';
import { enc, hex, prng, tempDb, verifiesMembership, verifiesNonMembership } from './testutil';

let db: StateDb;
let cleanup: () => Promise<void>;
let logPath: string;
const logs: ChangeLog[] = [];
/** The log file beside the database; every handle is closed after the test. */
const openLog = () => {
  const log = ChangeLog.open(logPath);
  logs.push(log);
  return log;
};
beforeEach(async () => {
  let path: string;
  ({ db, path, cleanup } = await tempDb());
  logPath = join(path, 'changes.wal');
});
afterEach(async () => {
  for (const log of logs.splice(0)) log.close();
  await cleanup();
});

const tagKey = (prefix: string, tag: string, version: number) => {
  const k = Buffer.alloc(prefix.length + 1 + 8);
  k.write(prefix + tag, 'latin1');
  k.writeBigUInt64BE(BigInt(version), prefix.length + 1);
  return k;
};

async function storedUnder(prefix: string): Promise<string[]> {
  const start = Buffer.from(prefix);
  const end = Buffer.from(prefix);
  end[end.length - 1]++;
  const out: string[] = [];
  for await (const [k, v] of db.iterate({ gte: start, lt: end })) out.push(`${Buffer.from(k).subarray(start.length).toString('hex')}=${Buffer.from(v).toString('hex')}`);
  return out;
}

test('commits read back at once, before their nodes are written, and end up stored exactly as a full commit stores them', async () => {
  const pruning = { strategy: 'custom' as const, keepRecent: 3, keepEvery: 4 };
  const log = openLog();
  const wal = await IavlTree.open(db, { prefix: enc('s/k:wal/'), pruning, writeAheadLog: log });
  const full = await IavlTree.open(db, { prefix: enc('s/k:ful/'), pruning });
  const rnd = prng(11);
  const model = new Map<string, string>();
  for (let v = 1; v <= 30; v++) {
    const touched: string[] = [];
    for (let i = 0; i < 25; i++) {
      const k = `k${Math.floor(rnd() * 80)}`;
      touched.push(k);
      if (rnd() < 0.3) {
        wal.delete(enc(k));
        full.delete(enc(k));
        model.delete(k);
      } else {
        wal.set(enc(k), enc(`${v}.${i}`));
        full.set(enc(k), enc(`${v}.${i}`));
        model.set(k, `${v}.${i}`);
      }
    }
    const a = await wal.commit();
    // Right after the commit returns, the version exists only as its log record.
    expect(wal.unwrittenVersions).toBeGreaterThan(0);
    expect(log.bytes).toBeGreaterThan(0);
    expect(db.getSync(tagKey('s/k:wal/', 'r', v))).toBeUndefined();
    // Latest reads (including deletes the fast index has not seen), the version view, proofs.
    for (const k of touched) {
      const want = model.get(k);
      expect(wal.get(enc(k)) && Buffer.from(wal.get(enc(k))!).toString()).toBe(want);
      expect(wal.at(v).get(enc(k)) && Buffer.from(wal.at(v).get(enc(k))!).toString()).toBe(want);
      const { value, proof } = wal.getWithProof(v, enc(k));
      if (want === undefined) expect(verifiesNonMembership(proof, a.hash, enc(k))).toBe(true);
      else expect(verifiesMembership(proof, a.hash, enc(k), value!)).toBe(true);
    }
    expect(wal.unwrittenVersions).toBeGreaterThan(0);
    const b = await full.commit();
    expect(hex(a.hash)).toBe(hex(b.hash));
    if (v > 1 && wal.versionExists(v - 1)) expect(hex(wal.at(v - 1).hash)).toBe(hex(full.at(v - 1).hash));
  }
  await wal.flush();
  expect(wal.unwrittenVersions).toBe(0);
  // Every logged version is written: the log is empty again.
  expect(log.bytes).toBe(0);
  expect(wal.availableVersions()).toEqual(full.availableVersions());
  // Byte for byte the same records as the tree committed in full, and no log left.
  expect(await storedUnder('s/k:wal/')).toEqual(await storedUnder('s/k:ful/'));
  const reopened = await IavlTree.open(db, { prefix: enc('s/k:wal/'), pruning, writeAheadLog: log, nodeCacheSize: 0 });
  expect(hex(reopened.lastCommitId().hash)).toBe(hex(full.lastCommitId().hash));
  expect([...reopened.iterator()].length).toBe(model.size);
});

test('back-to-back commits whose nodes are written later leave only the latest version in the node cache', async () => {
  const tree = await IavlTree.open(db, { prefix: enc('s/k:cache/'), writeAheadLog: openLog() });
  const rnd = prng(3);
  for (let i = 0; i < 400; i++) tree.set(enc(`k${i}`), enc('0'));
  await tree.commit();
  await tree.flush();
  // No await yields to the background writer in between: 30 versions stay unwritten, and
  // each replaces inner nodes of the one before it.
  for (let v = 2; v <= 31; v++) {
    for (let i = 0; i < 20; i++) tree.set(enc(`k${Math.floor(rnd() * 400)}`), enc(`${v}`));
    await tree.commit();
  }
  expect(tree.unwrittenVersions).toBe(30);
  await tree.flush();
  // A tree of 400 leaves has 399 inner nodes: exactly the latest version's are cached.
  expect(tree.cachedNodes()).toBe(399);
});

test('a change set logged by a commit that never wrote its nodes is replayed at open', async () => {
  const log = openLog();
  const opts: IavlOptions = { prefix: enc('s/k:replay/'), writeAheadLog: log };
  const tree = await IavlTree.open(db, opts);
  for (let i = 0; i < 50; i++) tree.set(enc(`a${i}`), enc(`${i}`));
  await tree.commit();
  await tree.flush();
  // Version 2 reaches the database as its log record only (the process stops right after).
  tree.set(enc('a7'), enc('seven'));
  tree.delete(enc('a8'));
  tree.set(enc('b'), enc('new'));
  // Keys inserted and removed again within the version: their rotations stay in the tree, so
  // only a replay of the writes in their order gives the same root.
  for (let i = 0; i < 20; i++) tree.set(enc(`a${i}x`), enc('tmp'));
  for (let i = 0; i < 20; i++) tree.delete(enc(`a${i}x`));
  const batch = db.batch();
  const id = tree.prepareCommit(batch);
  expect(batch.length).toBe(0);
  log.append(id.version);
  log.close();
  expect(db.getSync(tagKey('s/k:replay/', 'r', 2))).toBeUndefined();

  const log2 = openLog();
  expect(log2.entriesFor(enc('s/k:replay/')).map((e) => e.version)).toEqual([2]);
  const reopened = await IavlTree.open(db, { ...opts, writeAheadLog: log2 });
  expect(reopened.lastCommitId()).toEqual({ version: 2, hash: id.hash });
  expect(Buffer.from(reopened.get(enc('a7'))!).toString()).toBe('seven');
  expect(reopened.get(enc('a8'))).toBeUndefined();
  expect(Buffer.from(reopened.get(enc('b'))!).toString()).toBe('new');
  // The replay wrote version 2 in full and emptied the log.
  expect(db.getSync(tagKey('s/k:replay/', 'r', 2))).toBeDefined();
  expect(log2.bytes).toBe(0);
  expect(openLog().entriesFor(enc('s/k:replay/'))).toEqual([]);
  expect(hex(reopened.at(1).hash)).toBe(hex((await IavlTree.open(db, { prefix: enc('s/k:replay/'), nodeCacheSize: 0 })).at(1).hash));
});

test('a log record whose replay gives another root hash is a typed corruption error', async () => {
  const prefix = enc('s/k:bad/');
  const tree = await IavlTree.open(db, { prefix, writeAheadLog: openLog() });
  tree.set(enc('x'), enc('1'));
  tree.prepareCommit(db.batch());
  logs[0].append(1);
  logs[0].close();
  const rec = Buffer.from(openLog().entriesFor(prefix)[0].rec);
  // A log holding `rec` as the record of version 1, with a valid frame around it.
  const logWith = (bytes: Uint8Array) => {
    logPath = join(logPath, '..', `changes-${logs.length}.wal`);
    const writer = openLog();
    writer.stage(prefix, 1, bytes);
    writer.append(1);
    writer.close();
    return openLog();
  };
  rec[5] ^= 0xff; // inside the recorded root hash
  await expect(IavlTree.open(db, { prefix, writeAheadLog: logWith(rec) })).rejects.toMatchObject({
    codespace: ErrCorruptStore.codespace,
    code: ErrCorruptStore.code,
  });
  await expect(IavlTree.open(db, { prefix, writeAheadLog: logWith(rec) })).rejects.toThrow(/replaying version 1 gives root/);
  rec[5] ^= 0xff;
  rec.writeUInt8(9, 0);
  const err = await IavlTree.open(db, { prefix, writeAheadLog: logWith(rec) }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CodedError);
  expect((err as CodedError).message).toMatch(/log record of version 1: unknown format/);
});
