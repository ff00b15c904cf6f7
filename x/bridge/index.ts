/** x/bridge public face. */
export { BridgeKeeper, BridgeViewKeeper, type BridgeKeeperDeps, TIMESTAMP_TOLERANCE_MS, walletHomeAddress, parseAmount, type AttestResult, type WithdrawResult } from './keeper';
export { bridgeModule } from './module';
export { BridgeTypeUrls, validateEvent } from './msgServer';
export { BridgeQueryPaths } from './queryServer';
export { bridgeSession, eventFromJson, queryAction, type BridgeSession } from './cli';
export { actionPayload, adminBytes, selfReplaceBytes, signBridgeBytes, digest, ACTION_DOMAIN, ADMIN_DOMAIN } from './payload';
export { proveValidatorSet } from './history';
export { externalToLocal, localToExternal, DEFAULT_LOCAL_DECIMALS, type LocalAmount } from './decimals';
export { validateValidatorSet, tallyGroups, hasAdminQuorum, sortKeys } from './validatorSet';
export { parseBridgeGenesis, validatorSetFromJson, validatorSetToJson, chainFromJson, chainToJson, type BridgeGenesisJson, type ChainJson, type ValidatorSetJson } from './genesis';
export { STORE_KEY as BRIDGE_STORE_KEY, MODULE_NAME as BRIDGE_MODULE_NAME } from './types/keys';
export * as BridgeErrors from './types/errors';
