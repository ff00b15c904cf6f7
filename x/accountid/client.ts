/**
 * How module CLI commands reach a node: the client library's module client (client/
 * moduleClient.ts). Re-exported here for the modules and wiring that import it from
 * x/accountid; `sekaiRegistry` is the cosmjs registry wallets use.
 */
export { chainClient, type ChainClient, type ModuleCliEnv, type TxResult } from '../../client/moduleClient';
export { cosmjsRegistry as sekaiRegistry } from '../../client/registry';
