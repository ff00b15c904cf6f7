import { CodedError } from '../../types/errors';
import type { StateDb } from '../db';
import { prefixEnd } from '../prefixEnd';
import { ErrCommitPending, ErrEmptyTreeProof, ErrInvalidImport, ErrInvalidKey, ErrInvalidValue, ErrVersionNotFound, ErrVersionPruned } from './errors';
import { IavlTree } from './tree';
import type { IavlOptions } from './tree';
import { enc, hex, prng, tempDb, verifiesMembership, verifiesNonMembership } from './testutil';

const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

let db: StateDb;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ db, cleanup } = await tempDb()));
afterEach(async () => cleanup());

const opts = (extra: Partial<IavlOptions> = {}): IavlOptions => ({ prefix: enc('s/k:test/'), ...extra });

function expectCoded(fn: () => unknown, err: { codespace: string; code: number }, text?: RegExp) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CodedError);
    expect((e as CodedError).codespace).toBe(err.codespace);
    expect((e as CodedError).code).toBe(err.code);
    if (text) expect((e as CodedError).message).toMatch(text);
    return;
  }
  throw new Error('expected an error');
}

describe('IavlTree basics', () => {
  test('empty tree ids and hash', async () => {
    const t = await IavlTree.open(db, opts());
    expect(t.lastCommitId().version).toBe(0);
    expect(hex(t.lastCommitId().hash)).toBe(EMPTY);
    expect(hex(t.workingHash())).toBe(EMPTY);
    const id = await t.commit();
    expect(id.version).toBe(1);
    expect(hex(id.hash)).toBe(EMPTY);
  });

  test('single leaf hash is the IAVL leaf hash at version 1', async () => {
    const t = await IavlTree.open(db, opts());
    t.set(enc('a'), enc('1'));
    // sha256(00 02 02 01 'a' 20 sha256('1')): computed independently of node.ts here.
    const { createHash } = await import('node:crypto');
    const vh = createHash('sha256').update('1').digest();
    const pre = Buffer.concat([Buffer.from([0, 2, 2, 1]), Buffer.from('a'), Buffer.from([32]), vh]);
    expect(hex(t.workingHash())).toBe(createHash('sha256').update(pre).digest('hex'));
    const id = await t.commit();
    expect(hex(id.hash)).toBe(createHash('sha256').update(pre).digest('hex'));
  });

  test('set/get/delete/has, ordered iteration and ranges, before and after commit', async () => {
    const t = await IavlTree.open(db, opts());
    const rnd = prng(7);
    const model = new Map<string, string>();
    for (let i = 0; i < 500; i++) {
      const k = `k${Math.floor(rnd() * 300)}`;
      if (rnd() < 0.3) {
        t.delete(enc(k));
        model.delete(k);
      } else {
        t.set(enc(k), enc(`v${i}`));
        model.set(k, `v${i}`);
      }
      if (i % 100 === 99) await t.commit();
    }
    const check = (r: { get(k: Uint8Array): Uint8Array | undefined; iterator(s?: Uint8Array, e?: Uint8Array): Iterable<[Uint8Array, Uint8Array]>; reverseIterator(s?: Uint8Array, e?: Uint8Array): Iterable<[Uint8Array, Uint8Array]> }) => {
      const sorted = [...model.keys()].sort((a, b) => Buffer.compare(enc(a), enc(b)));
      for (const k of sorted) expect(Buffer.from(r.get(enc(k))!).toString()).toBe(model.get(k));
      expect(r.get(enc('nope'))).toBeUndefined();
      expect([...r.iterator()].map(([k]) => Buffer.from(k).toString())).toEqual(sorted);
      expect([...r.reverseIterator()].map(([k]) => Buffer.from(k).toString())).toEqual([...sorted].reverse());
      const inRange = sorted.filter((k) => k >= 'k1' && k < 'k2');
      expect([...r.iterator(enc('k1'), enc('k2'))].map(([k]) => Buffer.from(k).toString())).toEqual(inRange);
      expect([...r.reverseIterator(enc('k1'), enc('k2'))].map(([k]) => Buffer.from(k).toString())).toEqual([...inRange].reverse());
      const pfx = enc('k2');
      expect([...r.iterator(pfx, prefixEnd(pfx))].map(([k]) => Buffer.from(k).toString())).toEqual(sorted.filter((k) => k.startsWith('k2')));
    };
    check(t);
    const id = await t.commit();
    check(t);
    check(t.at(id.version));
    expect(t.size()).toBe(model.size);
  });

  test('keys and values are copied: a caller reusing its Buffers changes nothing stored', async () => {
    const t = await IavlTree.open(db, opts());
    const k = Buffer.from('key-1');
    const v = Buffer.from('value-1');
    t.set(k, v);
    const before = hex(t.workingHash());
    k.write('key-2');
    v.write('value-2');
    expect(Buffer.from(t.get(enc('key-1'))!).toString()).toBe('value-1');
    expect(t.get(enc('key-2'))).toBeUndefined();
    expect(hex(t.workingHash())).toBe(before);
    await t.commit();
    expect([...t.iterator()].map(([kk, vv]) => `${Buffer.from(kk).toString()}=${Buffer.from(vv).toString()}`)).toEqual(['key-1=value-1']);
  });

  test('rollback drops working writes; the committed state is untouched', async () => {
    const t = await IavlTree.open(db, opts());
    t.set(enc('a'), enc('1'));
    const id = await t.commit();
    t.set(enc('a'), enc('2'));
    t.set(enc('b'), enc('3'));
    t.delete(enc('a'));
    expect(t.get(enc('a'))).toBeUndefined();
    t.rollback();
    expect(Buffer.from(t.get(enc('a'))!).toString()).toBe('1');
    expect(t.get(enc('b'))).toBeUndefined();
    expect(hex(t.workingHash())).toBe(hex(id.hash));
  });

  test('prepareCommit writes nothing until the batch is written; markCommitted makes it current', async () => {
    const t = await IavlTree.open(db, opts());
    t.set(enc('a'), enc('1'));
    const batch = db.batch();
    const id = t.prepareCommit(batch);
    expect(batch.length).toBeGreaterThan(2);
    expect(() => t.set(enc('b'), enc('2'))).toThrow(CodedError);
    expectCoded(() => t.set(enc('b'), enc('2')), ErrCommitPending);
    const reopened = await IavlTree.open(db, opts());
    expect(reopened.lastCommitId().version).toBe(0);
    await db.write(batch);
    t.markCommitted();
    expect(t.lastCommitId()).toEqual(id);
    const again = await IavlTree.open(db, opts());
    expect(hex(again.lastCommitId().hash)).toBe(hex(id.hash));
    expect(Buffer.from(again.get(enc('a'))!).toString()).toBe('1');
  });

  test('initialVersion: the first commit gets it', async () => {
    const t = await IavlTree.open(db, opts({ initialVersion: 100 }));
    t.set(enc('a'), enc('1'));
    expect((await t.commit()).version).toBe(100);
    expect((await t.commit()).version).toBe(101);
    expectCoded(() => t.at(99), ErrVersionNotFound, /first version of this store is 100/);
  });

  test('bad input gets typed errors', async () => {
    const t = await IavlTree.open(db, opts({ maxKeyLength: 8, maxValueLength: 4 }));
    expectCoded(() => t.set(new Uint8Array(0), enc('x')), ErrInvalidKey, /empty/);
    expectCoded(() => t.set(enc('123456789'), enc('x')), ErrInvalidKey, /9 bytes, the limit is 8/);
    expectCoded(() => t.set('abc' as unknown as Uint8Array, enc('x')), ErrInvalidKey, /Uint8Array/);
    expectCoded(() => t.set(enc('a'), 'x' as unknown as Uint8Array), ErrInvalidValue, /Uint8Array/);
    expectCoded(() => t.set(enc('a'), enc('12345')), ErrInvalidValue, /5 bytes/);
    expectCoded(() => t.get(null as unknown as Uint8Array), ErrInvalidKey);
    expectCoded(() => t.delete(new Uint8Array(0)), ErrInvalidKey);
    expectCoded(() => t.at(1), ErrVersionNotFound, /latest is 0/);
    expectCoded(() => t.markCommitted(), ErrCommitPending);
    await t.commit();
    expectCoded(() => t.getWithProof(1, enc('a')), ErrEmptyTreeProof);
  });
});

describe('proofs', () => {
  test('existence and non-existence proofs for random keys at several versions verify with @confio/ics23', async () => {
    const t = await IavlTree.open(db, opts({ pruning: { strategy: 'nothing' } }));
    const rnd = prng(11);
    const models: Array<Map<string, string>> = [];
    const model = new Map<string, string>();
    for (let v = 1; v <= 5; v++) {
      for (let i = 0; i < 200; i++) {
        const k = `key-${Math.floor(rnd() * 1000)}`;
        if (rnd() < 0.2) {
          t.delete(enc(k));
          model.delete(k);
        } else {
          t.set(enc(k), enc(`val-${v}-${i}`));
          model.set(k, `val-${v}-${i}`);
        }
      }
      await t.commit();
      models.push(new Map(model));
    }
    for (let v = 1; v <= 5; v++) {
      const root = t.at(v).hash;
      const m = models[v - 1];
      for (let i = 0; i < 40; i++) {
        const k = `key-${Math.floor(rnd() * 1000)}`;
        const { value, proof } = t.getWithProof(v, enc(k));
        if (m.has(k)) {
          expect(Buffer.from(value!).toString()).toBe(m.get(k));
          expect(proof.exist).toBeDefined();
          expect(verifiesMembership(proof, root, enc(k), value!)).toBe(true);
          expect(verifiesMembership(proof, root, enc(k), enc('forged'))).toBe(false);
        } else {
          expect(value).toBeUndefined();
          expect(proof.nonexist).toBeDefined();
          expect(verifiesNonMembership(proof, root, enc(k))).toBe(true);
        }
      }
      // Keys before the first and after the last.
      for (const k of ['', '\xff\xff']) {
        const key = k === '' ? Uint8Array.of(0) : Uint8Array.of(0xff, 0xff);
        const { proof } = t.getWithProof(v, key);
        expect(verifiesNonMembership(proof, root, key)).toBe(true);
      }
      // A proof against another version's root fails.
      if (v > 1) {
        const k = [...m.keys()][0];
        const { value, proof } = t.getWithProof(v, enc(k));
        expect(verifiesMembership(proof, t.at(v - 1).hash, enc(k), value!)).toBe(false);
      }
    }
  });

  test('pruned and never-existing versions are typed errors saying which', async () => {
    const t = await IavlTree.open(db, opts({ pruning: { strategy: 'custom', keepRecent: 2, keepEvery: 5 } }));
    for (let v = 1; v <= 12; v++) {
      t.set(enc(`k${v % 4}`), enc(`v${v}`));
      await t.commit();
    }
    expect(t.availableVersions()).toEqual([5, 10, 11, 12]);
    expectCoded(() => t.at(3), ErrVersionPruned, /version 3 was pruned/);
    expectCoded(() => t.getWithProof(7, enc('k1')), ErrVersionPruned);
    expectCoded(() => t.at(13), ErrVersionNotFound, /latest is 12/);
    expectCoded(() => t.at(0), ErrVersionNotFound);
    // Retained versions still read and prove correctly after the pruning deleted nodes.
    expect(Buffer.from(t.at(5).get(enc('k1'))!).toString()).toBe('v5');
    expect(Buffer.from(t.at(10).get(enc('k2'))!).toString()).toBe('v10');
    const { value, proof } = t.getWithProof(5, enc('k1'));
    expect(verifiesMembership(proof, t.at(5).hash, enc('k1'), value!)).toBe(true);
    const reopened = await IavlTree.open(db, opts({ pruning: { strategy: 'custom', keepRecent: 2, keepEvery: 5 } }));
    expect(reopened.availableVersions()).toEqual([5, 10, 11, 12]);
    expect([...reopened.at(5).iterator()].length).toBe(4);
  });
});

describe('export / import', () => {
  test('round trip reproduces the identical root hash and contents', async () => {
    const t = await IavlTree.open(db, opts());
    const rnd = prng(3);
    for (let v = 0; v < 4; v++) {
      for (let i = 0; i < 300; i++) {
        const k = enc(`x${Math.floor(rnd() * 500)}`);
        if (rnd() < 0.2) t.delete(k);
        else t.set(k, enc(`${v}:${i}`));
      }
      await t.commit();
    }
    const id = t.lastCommitId();
    const nodes = [...t.exportVersion(id.version)];
    expect(nodes.length).toBe(2 * t.size() - 1);
    const imported = await IavlTree.importVersion(db, opts({ prefix: enc('s/k:copy/') }), id.version, nodes);
    expect(imported.lastCommitId().version).toBe(id.version);
    expect(hex(imported.lastCommitId().hash)).toBe(hex(id.hash));
    expect([...imported.iterator()].map(([k, v]) => hex(k) + hex(v))).toEqual([...t.iterator()].map(([k, v]) => hex(k) + hex(v)));
    // Both continue identically.
    t.set(enc('x1'), enc('new'));
    imported.set(enc('x1'), enc('new'));
    expect(hex((await imported.commit()).hash)).toBe(hex((await t.commit()).hash));
  });

  test('malformed streams are typed errors', async () => {
    const base = { key: enc('a'), value: enc('1'), version: 1, height: 0 };
    await expect(IavlTree.importVersion(db, opts(), 1, [base, { ...base }])).rejects.toMatchObject({ code: ErrInvalidImport.code });
    await expect(IavlTree.importVersion(db, opts({ prefix: enc('p2/') }), 1, [{ key: enc('a'), version: 1, height: 1 }])).rejects.toMatchObject({ code: ErrInvalidImport.code });
    await expect(IavlTree.importVersion(db, opts({ prefix: enc('p3/') }), 1, [base, { key: enc('b'), value: enc('2'), version: 1, height: 0 }])).rejects.toMatchObject({ code: ErrInvalidImport.code });
  });
});
