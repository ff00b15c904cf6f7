/**
 * Opens the state database under a data directory and builds a BaseApp over it. A
 * restarted node calls this again and finds its last committed height and AppHash.
 */
import { StateDb } from '../store/db';
import { RootMultiStore, type StoreUpgrade } from '../store/rootmulti';
import type { PruningOptions } from '../store/types';
import { BaseApp, baseAppStoreKeys, type BaseAppOptions } from './baseapp';

export interface CreateBaseAppOptions extends Omit<BaseAppOptions, 'store'> {
  /** Directory of the LevelDB state database (created when missing). */
  dbPath: string;
  pruning?: PruningOptions;
  /** Stores added by upgrades, with the height from which each is part of the AppHash. */
  storeUpgrades?: StoreUpgrade[];
  /** The chain's initial height (genesis initial_height); the first committed version. */
  initialHeight?: number;
  /** fsync each commit (CometBFT replays the last block after a crash, so off by default). */
  syncWrites?: boolean;
}

export async function createBaseApp(opts: CreateBaseAppOptions): Promise<BaseApp> {
  const { dbPath, pruning, storeUpgrades, initialHeight, syncWrites, ...appOpts } = opts;
  const db = await StateDb.open(dbPath);
  try {
    const store = await RootMultiStore.open(db, {
      stores: baseAppStoreKeys(appOpts.modules),
      pruning,
      upgrades: storeUpgrades,
      initialVersion: initialHeight,
      syncWrites,
    });
    return new BaseApp({ ...appOpts, store });
  } catch (err) {
    await db.close();
    throw err;
  }
}
