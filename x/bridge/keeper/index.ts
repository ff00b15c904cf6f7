/** The x/bridge keeper (keeper.ts) and its read-only view (view.ts). */
export { BridgeKeeper } from './keeper';
export { BridgeViewKeeper, DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT } from './view';
export { TIMESTAMP_TOLERANCE_MS, checkDestWallet, parseAmount, walletHomeAddress, type AttestResult, type BridgeKeeperDeps, type WithdrawResult } from './state';
