/**
 * Startup does not grow with state: a store of 1M keys, reopened, serves its first read (and
 * its first proof) well under a second, because open reads only the version list and the
 * latest root record; nodes load lazily.
 */
import { StateDb } from '../../store/db';
import { IavlTree } from '../../store/iavl';
import { balancedExport, tempDb, verifiesMembership } from '../../store/iavl/testutil';

const N = 1_000_000;
const key = (i: number) => Buffer.from(`acct/${i.toString().padStart(8, '0')}`);
const value = (i: number) => Buffer.from(`balance:${i * 7}`);

test('a 1M-key store reopens and serves its first read in well under a second', async () => {
  const t = await tempDb();
  const opts = { prefix: Buffer.from('s/k:big/') };
  try {
    // The fixture is built in bulk: the export stream of a balanced tree, imported (every node,
    // fast-index entry and the version record written to LevelDB as a normal import does).
    const tBuild = performance.now();
    const built = await IavlTree.importVersion(t.db, opts, 1, balancedExport(N, key, value));
    console.log(`1M keys: fixture built by import in ${((performance.now() - tBuild) / 1000).toFixed(1)} s`);
    expect(built.size()).toBe(N);
    const hash = built.lastCommitId().hash;
    await t.db.close();

    const t0 = performance.now();
    const db = await StateDb.open(t.path);
    const tree = await IavlTree.open(db, opts);
    const first = tree.get(key(123_456));
    const tFirstRead = performance.now() - t0;
    const proof = tree.getWithProof(1, key(987_654));
    const tFirstProof = performance.now() - t0;
    console.log(`1M keys: reopen + first read ${tFirstRead.toFixed(1)} ms, + first proof ${tFirstProof.toFixed(1)} ms`);

    expect(Buffer.from(first!).toString()).toBe('balance:864192');
    expect(Buffer.from(tree.lastCommitId().hash).equals(Buffer.from(hash))).toBe(true);
    expect(verifiesMembership(proof.proof, hash, key(987_654), value(987_654))).toBe(true);
    expect(tFirstRead).toBeLessThan(1000);
    expect(tFirstProof).toBeLessThan(1000);
    await db.close();
  } finally {
    await t.cleanup();
  }
}, 300_000);
