/**
 * The sekai-ts application: stores, then keepers in dependency order, then the module
 * manager and the BaseApp. Modules are added here, one line each, in the order their
 * genesis must run.
 */
import { BaseApp, baseAppStoreKeys, type BaseAppOptions } from './baseapp';
import { ModuleManager } from './manager';
import type { AppModule } from './module';
import type { CommitMultiStore } from './multistore';
import { StateDb } from '../store/db';
import { RootMultiStore } from '../store/rootmulti';
import type { PruningOptions } from '../store/types';
import { AccountIdKeeper, accountIdModule } from '../x/accountid';
import { BankKeeperImpl, bankModule } from '../x/bank';
import { BridgeKeeper, bridgeModule } from '../x/bridge';
import { NotaryPayKeeper, notaryPayModule } from '../x/notarypay';

export const APP_NAME = 'sekai-ts';
export const CODE_VERSION = 'v0.1.0';

export interface CreateAppOptions {
  /** LevelDB directory of the application state (ignored when `store` is given). */
  dbDir?: string;
  /** A ready multistore (tests); must mount `appStoreKeys()`. */
  store?: (storeKeys: string[]) => Promise<CommitMultiStore>;
  pruning?: PruningOptions;
  /** Chain initial height (genesis initial_height) for an empty database. */
  initialHeight?: number;
  /** BaseApp options passed through (ante params, retain blocks, signature verifier…). */
  base?: Partial<Omit<BaseAppOptions, 'store' | 'modules' | 'accounts' | 'bank'>>;
}

export interface SekaiApp {
  app: BaseApp;
  store: CommitMultiStore;
  modules: ModuleManager;
  keepers: { accountid: AccountIdKeeper; bank: BankKeeperImpl; notarypay: NotaryPayKeeper; bridge: BridgeKeeper };
}

function buildModules(): { modules: AppModule[]; keepers: SekaiApp['keepers'] } {
  const accountid = new AccountIdKeeper();
  const bank = new BankKeeperImpl(accountid);
  const notarypay = new NotaryPayKeeper(accountid, bank);
  const bridge = new BridgeKeeper(accountid, bank);
  return {
    modules: [accountIdModule(accountid), bankModule(bank), notaryPayModule(notarypay), bridgeModule(bridge)],
    keepers: { accountid, bank, notarypay, bridge },
  };
}

/** Every store key the app mounts, sorted. */
export function appStoreKeys(): string[] {
  return baseAppStoreKeys(new ModuleManager(buildModules().modules));
}

/** The module manager alone (CLI genesis defaults and validation; no state opened). */
export function appModules(): ModuleManager {
  return new ModuleManager(buildModules().modules);
}

export async function createApp(opts: CreateAppOptions): Promise<SekaiApp> {
  const { modules: list, keepers } = buildModules();
  const modules = new ModuleManager(list);
  const names = baseAppStoreKeys(modules);
  let store: CommitMultiStore;
  if (opts.store) store = await opts.store(names);
  else {
    if (!opts.dbDir) throw new Error('createApp needs dbDir or store');
    store = await RootMultiStore.open(await StateDb.open(opts.dbDir), {
      stores: names,
      pruning: opts.pruning ?? { strategy: 'default' },
      initialVersion: opts.initialHeight,
    });
  }
  // x/notarypay records each block's AppHash from the last commit (see NotaryPayKeeper.beginBlock).
  keepers.notarypay.setCommitSource(store);
  const app = new BaseApp({
    name: APP_NAME,
    codeVersion: CODE_VERSION,
    ...opts.base,
    store,
    modules,
    accounts: keepers.accountid,
    bank: keepers.bank,
  });
  return { app, store, modules, keepers };
}
