/** The root multistore: one IAVL tree per module store, committed together under one AppHash. */
export * from './errors';
export { RootMultiStore, PROOF_OP_IAVL, PROOF_OP_SIMPLE, type ProvenQuery } from './rootMultiStore';
export type { CommittedStores, RootMultiStoreOptions, StoreUpgrade, StoreUpgradeResolver } from './openStores';
export { commitInfoHash, type StoreRoots } from './commitInfo';
export { WorkingValues, WORKING_VALUES_CAPACITY } from './workingValues';
export { CacheMultiStore } from './cacheMultiStore';
