/**
 * Commits deterministic blocks into a multistore forever, printing each committed version;
 * the crash test kills it at a random moment. Block h writes the same keys on every run.
 */
import { StateDb } from '../store/db';
import { RootMultiStore } from '../store/rootmulti';

export const CRASH_STORES = ['acc', 'bank', 'gov', 'staking'];

export function writeBlock(rms: RootMultiStore, h: number): void {
  const block = rms.cacheMultiStore();
  for (let t = 0; t < 20; t++) {
    const tx = block.branch();
    for (const name of CRASH_STORES) {
      for (let i = 0; i < 10; i++) {
        const k = (h * 7919 + t * 131 + i * 17) % 5000;
        tx.getStore(name).set(new TextEncoder().encode(`key/${k}`), new TextEncoder().encode(`${name}:${h}:${t}:${i}`));
      }
      if (t % 5 === 0) tx.getStore(name).delete(new TextEncoder().encode(`key/${(h * 31 + t) % 5000}`));
    }
    tx.write();
  }
  block.write();
}

async function main(): Promise<void> {
  const rms = await RootMultiStore.open(await StateDb.open(process.argv[2]), { stores: CRASH_STORES });
  for (let h = rms.lastCommitId().version + 1; ; h++) {
    writeBlock(rms, h);
    const id = await rms.commit();
    process.stdout.write(`${id.version}\n`);
  }
}

if (require.main === module) void main();
