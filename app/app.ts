/**
 * The sekai-ts application: stores, then keepers in dependency order, then the module
 * manager and the BaseApp. Modules are added here, one line each, in the order their
 * genesis must run.
 */
import { BaseApp, baseAppStoreKeys, type BaseAppOptions, type SnapshotService } from '../runtime/baseapp';
import { sekaiAminoTypes } from '../client/amino';
import { ModuleManager } from '../runtime/manager';
import type { AppModule } from '../runtime/module';
import type { CommitMultiStore } from '../runtime/multistore';
import { join } from 'node:path';
import { StateDb } from '../store/db';
import { RootMultiStore } from '../store/rootmulti';
import type { PruningOptions } from '../store/types';
import { readUpgradePlan, RUNTIME_STORE, UpgradeKeeper } from '../runtime/upgrade';
import { accountIdModule, type AccountIdKeeper } from '../x/accountid';
import { bankModule, type BankKeeperImpl } from '../x/bank';
import { govModule, type GovKeeper } from '../x/gov';
import { stakingModule, type StakingKeeper } from '../x/customstaking';
import { slashingModule, type SlashingKeeper } from '../x/customslashing';
import { notaryPayModule, type NotaryPayKeeper } from '../x/notarypay';
import { bridgeModule, type BridgeKeeper } from '../x/bridge';
import { multistakingModule, MULTISTAKING_MODULE, MULTISTAKING_STORE_KEY, MULTISTAKING_UPGRADE, type MultistakingKeeper, type StoreActivation } from '../x/multistaking';
import type { CommittedStores, StoreUpgrade } from '../store/rootmulti';

export const APP_NAME = 'sekai-ts';
export const CODE_VERSION = 'v0.1.0';

/** The change log of write-ahead-log mode, inside the state directory so that the two move together. */
const CHANGE_LOG_FILE = 'changes.wal';

export interface CreateAppOptions {
  /** LevelDB directory of the application state (ignored when `store` is given). */
  dbDir?: string;
  /** A ready multistore (tests); must mount `appStoreKeys()`. */
  store?: (storeKeys: string[]) => Promise<CommitMultiStore>;
  pruning?: PruningOptions;
  /** Chain initial height (genesis initial_height) for an empty database. */
  initialHeight?: number;
  /**
   * Default true: Commit appends the block's change sets to `<dbDir>/changes.wal` and returns;
   * nodes and indexes are written in the background (see RootMultiStoreOptions.changeLogPath).
   * Opening with the log is always safe: it replays only versions the database lacks.
   */
  writeAheadLog?: boolean;
  /**
   * State sync over the multistore opened from `dbDir` (the node passes its snapshot
   * manager, node/snapshots); ignored with `store`.
   */
  snapshots?: (store: RootMultiStore) => SnapshotService;
  /** BaseApp options passed through (ante params, retain blocks, signature verifier…). */
  base?: Partial<Omit<BaseAppOptions, 'store' | 'modules' | 'accounts' | 'bank'>>;
  /**
   * A new chain (empty database) whose genesis mounts the x/multistaking store from its
   * first block (e.g. a genesis exported after the "multistaking" upgrade). Otherwise the
   * store joins at the "multistaking" upgrade height.
   */
  multistakingAtGenesis?: boolean;
}

export interface SekaiApp {
  app: BaseApp;
  store: CommitMultiStore;
  modules: ModuleManager;
  keepers: {
    accountid: AccountIdKeeper;
    bank: BankKeeperImpl;
    gov: GovKeeper;
    staking: StakingKeeper;
    slashing: SlashingKeeper;
    notarypay: NotaryPayKeeper;
    bridge: BridgeKeeper;
    multistaking: MultistakingKeeper;
  };
}

function buildModules(activation: StoreActivation = {}): { modules: AppModule[]; keepers: SekaiApp['keepers'] } {
  const upgrades = new UpgradeKeeper();
  // Module accounts are read at genesis, once `modules` below exists.
  const accountid = accountIdModule({ moduleAccounts: () => modules.flatMap((m) => m.moduleAccounts ?? []) });
  const bank = bankModule({ accounts: accountid.keeper });
  const gov = govModule({ accounts: accountid.keeper, upgrades });
  // x/customstaking and x/customslashing read x/gov's permissions and network properties.
  const staking = stakingModule({ accounts: accountid.keeper, permissions: gov.keeper, properties: gov.keeper, bank: bank.keeper, moduleAccounts: accountid.keeper });
  const slashing = slashingModule({ staking: staking.keeper, properties: gov.keeper });
  const notarypay = notaryPayModule({ accounts: accountid.keeper, bank: bank.keeper });
  const bridge = bridgeModule({ accounts: accountid.keeper, bank: bank.keeper, upgrades });
  // `activation.from` is filled in once the state is open (createApp).
  activation.pendingUpgrade = (ctx) => {
    const plan = readUpgradePlan(ctx.store(RUNTIME_STORE));
    return plan?.name === MULTISTAKING_UPGRADE ? plan.height : undefined;
  };
  const multistaking = multistakingModule({ validators: staking.keeper, accounts: accountid.keeper, bank: bank.keeper, properties: gov.keeper }, activation);
  // Genesis order: accounts first (everyone else names accounts), governance before the
  // validator modules that read its properties. End blocks run in the same order, so
  // x/customstaking sends the power changes of the block's enacted proposals.
  // x/multistaking last: its begin block credits the signers after x/customslashing ranked them.
  const modules: AppModule[] = [accountid, bank, gov, staking, slashing, notarypay, bridge, multistaking].map((d) => d.module);
  // One handler per proposal type URL, each declared by the module that executes it.
  gov.keeper.proposals.registerAll(modules.flatMap((m) => m.proposals ?? []));
  return {
    modules,
    keepers: {
      accountid: accountid.keeper,
      bank: bank.keeper,
      gov: gov.keeper,
      staking: staking.keeper,
      slashing: slashing.keeper,
      notarypay: notarypay.keeper,
      bridge: bridge.keeper,
      multistaking: multistaking.keeper,
    },
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

/**
 * True when a genesis document's `app_state` carries an x/multistaking section (a genesis
 * exported after the "multistaking" upgrade, or a new chain that starts with delegation):
 * its chain mounts the store from the initial height (`multistakingAtGenesis`).
 */
export function genesisHasMultistaking(genesisDoc: unknown): boolean {
  const appState = (genesisDoc as { app_state?: unknown } | null)?.app_state;
  if (appState === null || typeof appState !== 'object') return false;
  const section = (appState as Record<string, unknown>)[MULTISTAKING_MODULE];
  return section !== undefined && section !== null;
}

/** A store that is mounted before its upgrade height stays outside the state: the upgrade picks its height. */
const NEVER = Number.MAX_SAFE_INTEGER;

/**
 * Opens the state once, with x/multistaking's store mounted from the right height: once
 * committed, the height it joined at (the multistore finds it in its commit infos); else the
 * pending "multistaking" upgrade plan's height, the initial height for a chain started with
 * it, or never (until a plan exists: the node restarts at the upgrade height, as a Cosmos
 * node does). Before that height the store is outside the AppHash, so a chain keeps today's
 * state bytes until it upgrades.
 */
async function openState(opts: CreateAppOptions & { dbDir: string }, names: string[]): Promise<RootMultiStore> {
  const initialVersion = opts.initialHeight;
  const upgrades = (committed: CommittedStores): StoreUpgrade[] => {
    if (committed.stores.includes(MULTISTAKING_STORE_KEY)) return [];
    if (committed.version === 0 && opts.multistakingAtGenesis) return [];
    const plan = committed.version > 0 ? readUpgradePlan(committed.reader(RUNTIME_STORE)) : undefined;
    const height = plan?.name === MULTISTAKING_UPGRADE && plan.height > committed.version ? plan.height : NEVER;
    return [{ height, added: [MULTISTAKING_STORE_KEY] }];
  };
  const db = await StateDb.open(opts.dbDir);
  let root: RootMultiStore;
  try {
    root = await RootMultiStore.open(db, {
      pruning: opts.pruning ?? { strategy: 'default' as const },
      initialVersion,
      changeLogPath: opts.writeAheadLog === false ? undefined : join(opts.dbDir, CHANGE_LOG_FILE),
      stores: names,
      upgrades,
    });
  } catch (err) {
    await db.close();
    throw err;
  }
  return root;
}

export async function createApp(opts: CreateAppOptions): Promise<SekaiApp> {
  const activation: StoreActivation = {};
  const { modules: list, keepers } = buildModules(activation);
  const modules = new ModuleManager(list);
  const names = baseAppStoreKeys(modules);
  let store: CommitMultiStore;
  let snapshots: SnapshotService | undefined;
  if (opts.store) {
    store = await opts.store(names);
    activation.from = opts.multistakingAtGenesis ? (opts.initialHeight ?? 1) : undefined;
  } else {
    if (!opts.dbDir) throw new Error('createApp needs dbDir or store');
    const root = await openState({ ...opts, dbDir: opts.dbDir }, names);
    // The module follows the multistore: committed or new at genesis, the store's first
    // version; else the plan's height, if any; a state-sync restore of a snapshot that holds
    // the store makes it the restored version.
    Object.defineProperty(activation, 'from', {
      get: () => {
        const joins = root.activeSince(MULTISTAKING_STORE_KEY);
        return joins === NEVER ? undefined : joins;
      },
    });
    snapshots = opts.snapshots?.(root);
    store = root;
  }
  // x/notarypay records each block's AppHash from the last commit (see NotaryPayKeeper.beginBlock).
  keepers.notarypay.setCommitSource(store);
  const aminoTypes = sekaiAminoTypes();
  const app = new BaseApp({
    name: APP_NAME,
    codeVersion: CODE_VERSION,
    // MIN_TX_FEE / MAX_TX_FEE from x/gov bound every fee.
    feeParams: keepers.gov,
    // Amino signatures are checked against the converters wallets get from the client library.
    amino: (typeUrl, value) => aminoTypes.toAmino({ typeUrl, value }),
    ...opts.base,
    snapshots: snapshots ?? opts.base?.snapshots,
    store,
    modules,
    accounts: keepers.accountid,
    bank: keepers.bank,
  });
  return { app, store, modules, keepers };
}
