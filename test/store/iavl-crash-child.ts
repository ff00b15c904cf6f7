/**
 * Child process of the crash-safety test: continues the deterministic history of a tree
 * (the writes of version v are a function of v only) and reports every commit to the parent
 * before it starts and after it is durable, until it is killed. With the argument 'wal' the tree
 * runs in write-ahead-log mode, so kills also land while a committed version's nodes are being
 * written in the background.
 */
import { join } from 'node:path';
import { ChangeLog } from '../../store/changelog';
import { StateDb } from '../../store/db';
import { IavlTree } from '../../store/iavl';
import { crashBlock } from './iavl-crash-history';

async function main(): Promise<void> {
  const path = process.argv[2];
  // 'wal': commits log their change set and write nodes in the background.
  const writeAheadLog = process.argv[3] === 'wal' ? ChangeLog.open(join(path, 'changes.wal')) : undefined;
  const db = await StateDb.open(path);
  const tree = await IavlTree.open(db, { prefix: Buffer.from('s/k:crash/'), pruning: { strategy: 'custom', keepRecent: 3, keepEvery: 0 }, writeAheadLog });
  const send = (msg: object) => new Promise<void>((resolve) => process.send!(msg, () => resolve()));
  await send({ type: 'ready', version: tree.lastCommitId().version });
  for (;;) {
    const v = tree.workingVersion;
    for (const [k, val] of crashBlock(v)) {
      if (val === undefined) tree.delete(k);
      else tree.set(k, val);
    }
    await send({ type: 'pre', version: v, hash: Buffer.from(tree.workingHash()).toString('hex') });
    const id = await tree.commit();
    await send({ type: 'post', version: id.version, hash: Buffer.from(id.hash).toString('hex') });
  }
}

void main();
