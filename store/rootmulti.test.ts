import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ics23, iavlSpec, tendermintSpec, verifyMembership, verifyNonMembership } from '@confio/ics23';
import { sha256 } from '@cosmjs/crypto';
import { CodedError, type RegisteredError } from '../types/errors';
import { StateDb } from './db';
import { ErrStaleBranch } from './memstore';
import {
  ErrInconsistentState,
  ErrInvalidMultiStoreOptions,
  ErrUnknownStore,
  ErrVersionNotAvailable,
  RootMultiStore,
  WorkingValues,
  type RootMultiStoreOptions,
} from './rootmulti';
import { IavlTree } from './iavl';

const utf8 = (s: string) => new TextEncoder().encode(s);
const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const text = (u: Uint8Array) => Buffer.from(u).toString();

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'rootmulti-'));
  dirs.push(d);
  return d;
}

async function openAt(dir: string, opts: RootMultiStoreOptions): Promise<RootMultiStore> {
  const db = await StateDb.open(dir);
  try {
    return await RootMultiStore.open(db, opts);
  } catch (e) {
    await db.close();
    throw e;
  }
}

function expectCoded(fn: () => unknown, err: RegisteredError, message?: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CodedError);
    expect((e as CodedError).is(err)).toBe(true);
    if (message) expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected ${err.description}`);
}

async function expectCodedAsync(p: Promise<unknown>, err: RegisteredError, message?: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect((e as CodedError).is?.(err)).toBe(true);
    if (message) expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected ${err.description}`);
}

/** The SDK's CommitInfo.Hash, written out independently: RFC 6962 over sorted name leaves. */
function expectedAppHash(roots: { name: string; hash: Uint8Array }[]): Uint8Array {
  const h = (...parts: Uint8Array[]) => sha256(Uint8Array.from(parts.flatMap((p) => [...p])));
  const mth = (d: Uint8Array[]): Uint8Array => {
    if (d.length === 0) return h();
    if (d.length === 1) return h(Uint8Array.of(0), d[0]);
    let k = 1;
    while (k * 2 < d.length) k *= 2;
    return h(Uint8Array.of(1), mth(d.slice(0, k)), mth(d.slice(k)));
  };
  const sorted = [...roots].sort((a, b) => (a.name < b.name ? -1 : 1));
  // Names and hashes here are shorter than 128 bytes: one-byte uvarint lengths.
  return mth(sorted.map((r) => Uint8Array.from([utf8(r.name).length, ...utf8(r.name), 32, ...sha256(r.hash)])));
}

/** Applies one deterministic block of writes through a block branch and tx branches. */
function applyBlock(rms: RootMultiStore, height: number, stores: string[]): void {
  const block = rms.cacheMultiStore();
  for (let t = 0; t < 5; t++) {
    const tx = block.branch();
    for (const name of stores) {
      tx.getStore(name).set(utf8(`k${(height * 7 + t * 3) % 23}`), utf8(`${name}@${height}.${t}`));
      if (t === 2) tx.getStore(name).delete(utf8(`k${(height + 5) % 23}`));
    }
    tx.write();
  }
  block.write();
}

describe('RootMultiStore', () => {
  const stores = ['bank', 'acc', 'staking', 'gov'];

  it('commits every store in one version and the AppHash is CommitInfo.Hash over the store roots', async () => {
    const rms = await openAt(tempDir(), { stores });
    expect(rms.lastCommitId()).toEqual({ version: 0, hash: new Uint8Array(0) });
    applyBlock(rms, 1, stores);
    const working = rms.workingHash();
    const id = await rms.commit();
    expect(id.version).toBe(1);
    expect(hex(id.hash)).toBe(hex(working));
    const info = rms.commitInfo(1);
    expect(info.stores.map((s) => s.name)).toEqual(['acc', 'bank', 'gov', 'staking']);
    expect(hex(id.hash)).toBe(hex(expectedAppHash(info.stores)));
    for (const s of info.stores) expect(hex(rms.readerAt(s.name, 1).get(utf8('k7'))!)).toBe(hex(utf8(`${s.name}@1.0`)));
    // A store's root in the commit info is the root of its tree.
    expect(rms.readerAt('bank', 1)).toBeDefined();
    await rms.close();
  });

  it('proves keys (and absent keys) against the AppHash at several versions with @confio/ics23', async () => {
    const rms = await openAt(tempDir(), { stores, pruning: { strategy: 'nothing' } });
    const appHashes: Uint8Array[] = [];
    for (let h = 1; h <= 4; h++) {
      applyBlock(rms, h, stores);
      appHashes[h] = (await rms.commit()).hash;
    }
    for (let v = 1; v <= 4; v++) {
      for (const name of ['acc', 'staking']) {
        const storeRoot = rms.commitInfo(v).stores.find((s) => s.name === name)!.hash;
        for (const k of [`k${(v * 7) % 23}`, 'absent-key']) {
          const key = utf8(k);
          const res = rms.queryWithProof(name, key, v);
          expect(res.height).toBe(v);
          const [op0, op1] = res.proofOps.ops;
          expect(op0.type).toBe('ics23:iavl');
          expect(op1.type).toBe('ics23:simple');
          expect(hex(op1.key)).toBe(hex(utf8(name)));
          const p0 = ics23.CommitmentProof.decode(op0.data);
          const p1 = ics23.CommitmentProof.decode(op1.data);
          if (res.value !== undefined) {
            expect(verifyMembership(p0, iavlSpec, storeRoot, key, res.value)).toBe(true);
            expect(verifyMembership(p0, iavlSpec, storeRoot, key, utf8('forged'))).toBe(false);
          } else {
            expect(k).toBe('absent-key');
            expect(verifyNonMembership(p0, iavlSpec, storeRoot, key)).toBe(true);
          }
          expect(verifyMembership(p1, tendermintSpec, appHashes[v], utf8(name), storeRoot)).toBe(true);
          // The chain binds to this version's AppHash only.
          const other = appHashes[v === 4 ? 1 : v + 1];
          expect(verifyMembership(p1, tendermintSpec, other, utf8(name), storeRoot)).toBe(false);
        }
      }
    }
    expectCoded(() => rms.queryWithProof('nope', utf8('k'), 2), ErrUnknownStore);
    expectCoded(() => rms.queryWithProof('acc', utf8('k'), 9), ErrVersionNotAvailable);
    await rms.close();
  });

  it('reopens with the same AppHash and continues exactly like a store that never restarted', async () => {
    const steady = await openAt(tempDir(), { stores });
    const dir = tempDir();
    let restarted = await openAt(dir, { stores });
    for (let h = 1; h <= 6; h++) {
      applyBlock(steady, h, stores);
      applyBlock(restarted, h, stores);
      const a = await steady.commit();
      const b = await restarted.commit();
      expect(hex(b.hash)).toBe(hex(a.hash));
      await restarted.close();
      restarted = await openAt(dir, { stores });
      expect(restarted.lastCommitId().version).toBe(h);
      expect(hex(restarted.lastCommitId().hash)).toBe(hex(a.hash));
      expect(hex(restarted.workingHash())).toBe(hex(steady.workingHash()));
    }
    // Uncommitted writes are gone after a restart.
    applyBlock(restarted, 7, stores);
    const dirty = restarted.workingHash();
    await restarted.close();
    restarted = await openAt(dir, { stores });
    expect(hex(restarted.workingHash())).not.toBe(hex(dirty));
    expect(hex(restarted.workingHash())).toBe(hex(steady.workingHash()));
    await Promise.all([steady.close(), restarted.close()]);
  });

  it('a failed transaction branch leaves no trace, and branches die at commit', async () => {
    const a = await openAt(tempDir(), { stores });
    const b = await openAt(tempDir(), { stores });
    for (const rms of [a, b]) {
      const block = rms.cacheMultiStore();
      const ok = block.branch();
      ok.getStore('bank').set(utf8('alice'), utf8('90'));
      ok.write();
      if (rms === b) {
        const failed = block.branch();
        failed.getStore('bank').set(utf8('alice'), utf8('0'));
        failed.getStore('gov').set(utf8('proposal'), utf8('x'));
        failed.getStore('acc').delete(utf8('alice'));
        // dropped without write()
      }
      block.write();
    }
    expect(hex(b.workingHash())).toBe(hex(a.workingHash()));
    const stale = b.cacheMultiStore();
    const staleBank = stale.getStore('bank');
    await b.commit();
    expectCoded(() => stale.getStore('bank'), ErrStaleBranch);
    expectCoded(() => staleBank.get(utf8('alice')), ErrStaleBranch);
    expectCoded(() => stale.write(), ErrStaleBranch);
    expect(hex(b.cacheMultiStore().getStore('bank').get(utf8('alice'))!)).toBe(hex(utf8('90')));
    expectCoded(() => b.cacheMultiStore().getStore('nope'), ErrUnknownStore);
    await Promise.all([a.close(), b.close()]);
  });

  it('a store added at an upgrade height joins there and leaves the other roots unchanged', async () => {
    const base = ['acc', 'bank'];
    const plain = await openAt(tempDir(), { stores: base });
    const dir = tempDir();
    let up = await openAt(dir, { stores: base });
    for (let h = 1; h <= 3; h++) {
      applyBlock(plain, h, base);
      applyBlock(up, h, base);
      await plain.commit();
      await up.commit();
    }
    await up.close();
    // The new binary mounts `feegrant`, which joins at height 5.
    const withNew = { stores: [...base, 'feegrant'], upgrades: [{ height: 5, added: ['feegrant'] }] };
    // The height may also be decided from the committed state, once, during the open.
    const seen: { version: number; stores: readonly string[]; acc?: string }[] = [];
    up = await openAt(dir, {
      stores: withNew.stores,
      upgrades: (committed) => {
        seen.push({ version: committed.version, stores: committed.stores, acc: text(committed.reader('acc').get(utf8('k21'))!) });
        return withNew.upgrades;
      },
    });
    expect(seen).toEqual([{ version: 3, stores: ['acc', 'bank'], acc: text(plain.readerAt('acc', 3).get(utf8('k21'))!) }]);
    expect(up.activeSince('feegrant')).toBe(5);
    expectCoded(() => up.getStore('feegrant'), ErrUnknownStore, /joins at version 5/);
    expectCoded(() => up.cacheMultiStore().getStore('feegrant'), ErrUnknownStore);
    applyBlock(plain, 4, base);
    applyBlock(up, 4, base);
    expect(hex((await up.commit()).hash)).toBe(hex((await plain.commit()).hash));
    // Height 5: the new store takes writes; the old stores' roots are those of the plain chain.
    applyBlock(plain, 5, base);
    applyBlock(up, 5, base);
    const fg = up.cacheMultiStore();
    fg.getStore('feegrant').set(utf8('grant'), utf8('1'));
    fg.write();
    const p5 = await plain.commit();
    const u5 = await up.commit();
    expect(u5.version).toBe(5);
    expect(hex(u5.hash)).not.toBe(hex(p5.hash));
    const plainInfo = plain.commitInfo(5).stores;
    const upInfo = up.commitInfo(5).stores;
    expect(upInfo.map((s) => s.name)).toEqual(['acc', 'bank', 'feegrant']);
    for (const s of plainInfo) expect(hex(upInfo.find((u) => u.name === s.name)!.hash)).toBe(hex(s.hash));
    expect(hex(u5.hash)).toBe(hex(expectedAppHash(upInfo)));
    expect(up.commitInfo(4).stores.map((s) => s.name)).toEqual(['acc', 'bank']);
    expectCoded(() => up.readerAt('feegrant', 4), ErrUnknownStore);
    const res = up.queryWithProof('feegrant', utf8('grant'), 5);
    const root = upInfo.find((s) => s.name === 'feegrant')!.hash;
    expect(verifyMembership(ics23.CommitmentProof.decode(res.proofOps.ops[0].data), iavlSpec, root, utf8('grant'), utf8('1'))).toBe(true);
    expect(verifyMembership(ics23.CommitmentProof.decode(res.proofOps.ops[1].data), tendermintSpec, u5.hash, utf8('feegrant'), root)).toBe(true);
    await up.close();
    // After the upgrade the store is part of the state: reopening without it is refused, and so is an upgrade in the past.
    await expectCodedAsync(openAt(dir, { stores: base }), ErrInvalidMultiStoreOptions, /feegrant.*not mounted/);
    await expectCodedAsync(openAt(dir, { stores: [...base, 'feegrant', 'late'], upgrades: [{ height: 2, added: ['late'] }] }), ErrInvalidMultiStoreOptions);
    await expectCodedAsync(openAt(dir, { stores: [...base, 'feegrant', 'other'] }), ErrInvalidMultiStoreOptions, /add it with an upgrade/);
    up = await openAt(dir, withNew);
    expect(hex(up.lastCommitId().hash)).toBe(hex(u5.hash));
    await up.close();
    // Once committed, the store's height comes from the commit infos: no upgrade is needed.
    up = await openAt(dir, { stores: withNew.stores });
    expect(up.activeSince('feegrant')).toBe(5);
    expect(up.activeSince('acc')).toBe(1);
    expect(up.storesAt(4)).toEqual(base);
    expect(up.availableVersions()).toEqual([1, 2, 3, 4, 5]);
    await Promise.all([plain.close(), up.close()]);
  });

  it('prunes commit infos with the trees and refuses pruned versions', async () => {
    const rms = await openAt(tempDir(), { stores, pruning: { strategy: 'custom', keepRecent: 2, keepEvery: 0 } });
    for (let h = 1; h <= 6; h++) {
      applyBlock(rms, h, stores);
      await rms.commit();
    }
    expect(rms.versionExists(1)).toBe(false);
    expect(rms.versionExists(6)).toBe(true);
    expect(rms.versionExists(5)).toBe(true);
    expect(rms.versionExists(7)).toBe(false);
    expect(rms.availableVersions()).toEqual([5, 6]);
    expectCoded(() => rms.commitInfo(1), ErrVersionNotAvailable);
    await rms.close();
  });

  it('rejects bad options with coded errors', async () => {
    const dir = tempDir();
    await expectCodedAsync(openAt(dir, { stores: ['a/b'] }), ErrInvalidMultiStoreOptions, /must match/);
    await expectCodedAsync(openAt(dir, { stores: ['a', 'a'] }), ErrInvalidMultiStoreOptions, /twice/);
    await expectCodedAsync(openAt(dir, { stores: ['a'], upgrades: [{ height: 3, added: ['b'] }] }), ErrInvalidMultiStoreOptions);
    await expectCodedAsync(openAt(dir, { stores: ['a'], initialVersion: 0 }), ErrInvalidMultiStoreOptions);
  });

  it('starts at the initial version of the chain', async () => {
    const rms = await openAt(tempDir(), { stores, initialVersion: 100 });
    applyBlock(rms, 1, stores);
    expect((await rms.commit()).version).toBe(100);
    expect((await rms.commit()).version).toBe(101);
    expect(rms.versionExists(100)).toBe(true);
    await rms.close();
  });

  it('write-ahead-log mode: same AppHashes and proofs as full commits, everything written by close', async () => {
    const walDir = tempDir();
    const pruning = { strategy: 'custom' as const, keepRecent: 3, keepEvery: 5 };
    const changeLogPath = join(walDir, 'changes.wal');
    const wal = await openAt(walDir, { stores, changeLogPath, pruning });
    const full = await openAt(tempDir(), { stores, pruning });
    for (let h = 1; h <= 12; h++) {
      applyBlock(wal, h, stores);
      applyBlock(full, h, stores);
      const a = await wal.commit();
      // Proven right after Commit, before the version's nodes are written.
      const key = utf8(`k${(h * 7) % 23}`);
      const res = wal.queryWithProof('acc', key, h);
      const storeRoot = wal.commitInfo(h).stores.find((x) => x.name === 'acc')!.hash;
      expect(verifyMembership(ics23.CommitmentProof.decode(res.proofOps.ops[0].data), iavlSpec, storeRoot, key, res.value!)).toBe(true);
      expect(verifyMembership(ics23.CommitmentProof.decode(res.proofOps.ops[1].data), tendermintSpec, a.hash, utf8('acc'), storeRoot)).toBe(true);
      expect(hex(a.hash)).toBe(hex((await full.commit()).hash));
    }
    const walId = wal.lastCommitId();
    await wal.close();
    await full.close();
    // close waited for the background writes: nothing is left in the log.
    expect(statSync(changeLogPath).size).toBe(0);
    const db = await StateDb.open(walDir);
    const reopened = await RootMultiStore.open(db, { stores, changeLogPath, pruning });
    expect(reopened.lastCommitId()).toEqual(walId);
    expect(reopened.availableVersions()).toEqual([5, 10, 11, 12]);
    await reopened.close();
  });

  it('write-ahead-log mode: a version whose frame is in the log but whose writes never reached the database is replayed at open', async () => {
    const dir = tempDir();
    const changeLogPath = join(dir, 'changes.wal');
    const db = await StateDb.open(dir);
    const wal = await RootMultiStore.open(db, { stores, changeLogPath });
    const full = await openAt(tempDir(), { stores });
    for (let h = 1; h <= 6; h++) {
      applyBlock(wal, h, stores);
      applyBlock(full, h, stores);
      if (h === 6) {
        // The process dies right after Commit returned: no later database write happens.
        db.write = () => new Promise<void>(() => undefined);
      }
      expect(hex((await wal.commit()).hash)).toBe(hex((await full.commit()).hash));
    }
    expect(statSync(changeLogPath).size).toBeGreaterThan(0);
    await StateDb.prototype.close.call(db);

    const db2 = await StateDb.open(dir);
    expect(db2.getSync(utf8('s/6'))).toBeUndefined();
    const reopened = await RootMultiStore.open(db2, { stores, changeLogPath });
    expect(reopened.lastCommitId()).toEqual(full.lastCommitId());
    expect(hex(reopened.commitInfo(6).stores.find((x) => x.name === 'gov')!.hash)).toBe(hex(full.commitInfo(6).stores.find((x) => x.name === 'gov')!.hash));
    // Replayed in full at open: the commit info is stored and the log is empty.
    expect(db2.getSync(utf8('s/6'))).toBeDefined();
    expect(statSync(changeLogPath).size).toBe(0);
    const key = utf8(`k${(6 * 7) % 23}`);
    const res = reopened.queryWithProof('bank', key, 6);
    expect(text(res.value!)).toBe(text(full.queryWithProof('bank', key, 6).value!));
    applyBlock(reopened, 7, stores);
    applyBlock(full, 7, stores);
    expect(hex((await reopened.commit()).hash)).toBe(hex((await full.commit()).hash));
    await reopened.close();
    await full.close();
  });

  it('write-ahead-log mode: a chain whose first block, or a store whose first version, exists only in the log reopens', async () => {
    // Initial height 100: the first commit never reaches the database.
    const dir = tempDir();
    const changeLogPath = join(dir, 'changes.wal');
    const db = await StateDb.open(dir);
    const first = await RootMultiStore.open(db, { stores, changeLogPath, initialVersion: 100 });
    applyBlock(first, 1, stores);
    db.write = () => new Promise<void>(() => undefined);
    const id = await first.commit();
    expect(id.version).toBe(100);
    await StateDb.prototype.close.call(db);
    const again = await openAt(dir, { stores, changeLogPath, initialVersion: 100 });
    expect(again.lastCommitId()).toEqual(id);
    await again.close();

    // A store added at height 3, whose first version is logged and never written.
    const dir2 = tempDir();
    const log2 = join(dir2, 'changes.wal');
    const base = ['acc', 'bank'];
    const withNew = { stores: [...base, 'feegrant'], upgrades: [{ height: 3, added: ['feegrant'] }], changeLogPath: log2 };
    const db2 = await StateDb.open(dir2);
    const up = await RootMultiStore.open(db2, withNew);
    for (let h = 1; h <= 3; h++) {
      applyBlock(up, h, base);
      if (h === 3) {
        const b = up.cacheMultiStore();
        b.getStore('feegrant').set(utf8('grant'), utf8('1'));
        b.write();
        await up.flush();
        db2.write = () => new Promise<void>(() => undefined);
      }
      await up.commit();
    }
    const upId = up.lastCommitId();
    await StateDb.prototype.close.call(db2);
    // Reopened without the upgrade: the store's first version (3) comes from the commit infos,
    // so its tree replays the logged version 3 as its first.
    const reopened = await openAt(dir2, { stores: withNew.stores, changeLogPath: log2 });
    expect(reopened.lastCommitId()).toEqual(upId);
    expect(text(reopened.readerAt('feegrant', 3).get(utf8('grant'))!)).toBe('1');
    // Versions before the upgrade still exist: the new store does not count there.
    expect(reopened.availableVersions()).toEqual([1, 2, 3]);
    await reopened.close();
  });

  it('detects a commit info that disagrees with the trees', async () => {
    const dir = tempDir();
    const rms = await openAt(dir, { stores: ['a', 'b'] });
    applyBlock(rms, 1, ['a', 'b']);
    await rms.commit();
    await rms.close();
    const db = await StateDb.open(dir);
    const batch = db.batch();
    batch.put(utf8('s/1'), utf8('not a commit info'));
    await db.write(batch);
    await expectCodedAsync(RootMultiStore.open(db, { stores: ['a', 'b'] }), ErrInconsistentState);
    await db.close();
  });
});

describe('WorkingValues (the memo of each tree\'s working state)', () => {
  it('reads each key from LevelDB once, and every branch sees every write after it', async () => {
    const dir = tempDir();
    const db = await StateDb.open(dir);
    const rms = await RootMultiStore.open(db, { stores: ['bank'] });
    const block = rms.cacheMultiStore();
    block.getStore('bank').set(utf8('alice'), utf8('100'));
    block.write();
    await rms.commit();

    let reads = 0;
    const getSync = db.getSync.bind(db);
    db.getSync = (key: Uint8Array) => {
      reads++;
      return getSync(key);
    };
    const check = rms.cacheMultiStore();
    const next = rms.cacheMultiStore();
    expect(hex(check.getStore('bank').get(utf8('alice'))!)).toBe(hex(utf8('100')));
    expect(check.getStore('bank').get(utf8('bob'))).toBeUndefined();
    const afterFirst = reads;
    expect(afterFirst).toBeGreaterThan(0);
    // Another branch and a nested one: served from the memo, absent keys included.
    expect(hex(next.branch().getStore('bank').get(utf8('alice'))!)).toBe(hex(utf8('100')));
    expect(next.getStore('bank').has(utf8('bob'))).toBe(false);
    expect(reads).toBe(afterFirst);

    // A write folded into the tree by one branch is seen by a branch cut before it.
    const tx = next.branch();
    tx.getStore('bank').set(utf8('bob'), utf8('5'));
    tx.getStore('bank').delete(utf8('alice'));
    tx.write();
    next.write();
    expect(check.getStore('bank').get(utf8('alice'))).toBeUndefined();
    expect(hex(check.getStore('bank').get(utf8('bob'))!)).toBe(hex(utf8('5')));

    // A rollback replaces the working state: the memo must not keep the discarded values.
    rms.rollback();
    const fresh = rms.cacheMultiStore();
    expect(hex(fresh.getStore('bank').get(utf8('alice'))!)).toBe(hex(utf8('100')));
    expect(fresh.getStore('bank').get(utf8('bob'))).toBeUndefined();
    await rms.close();
  });

  it('forgets everything when full and still answers as the tree does', async () => {
    const dir = tempDir();
    const db = await StateDb.open(dir);
    const rms = await RootMultiStore.open(db, { stores: ['bank'] });
    const tree = await IavlTree.open(db, { prefix: utf8('t/') });
    const view = new WorkingValues(tree, 4);
    for (let i = 0; i < 10; i++) view.set(utf8(`k${i}`), utf8(`v${i}`));
    expect(view.size).toBeLessThanOrEqual(4);
    for (let i = 0; i < 10; i++) expect(hex(view.get(utf8(`k${i}`))!)).toBe(hex(utf8(`v${i}`)));
    view.delete(utf8('k3'));
    expect(view.has(utf8('k3'))).toBe(false);
    expect(tree.get(utf8('k3'))).toBeUndefined();
    await rms.close();
  });
});
