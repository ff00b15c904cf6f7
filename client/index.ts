/**
 * Client library of sekai-ts: everything `sekaid-ts tx` and `query` do, usable from scripts.
 * All node traffic goes through CometBFT RPC with @cosmjs/tendermint-rpc, so it works the same
 * against the embedded node and a real CometBFT node.
 */
export * from './errors';
export * from './rpc';
export * from './registry';
export * from './amino';
export * from './walletConfig';
export * from './query';
export * from './tx';
export * from './txResponse';
export * from './broadcast';
export * from './txClient';
export * from './moduleClient';
export * from './cliEnv';
