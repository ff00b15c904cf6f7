export { slashingModule } from './module';
export { SlashingKeeper, inactiveRank, isPresent, type SlashingKeeperDeps } from './keeper';
export { TypeUrls as SlashingTypeUrls } from './msgServer';
export { QueryPaths as SlashingQueryPaths } from './queryServer';
export { resetWholeValidatorRankProposal, RESET_RANK_TYPE_URL, RESET_RANK_PROPOSAL_TYPE } from './proposals';
export { signingInfoToJson, type SigningInfoJson } from './json';
export { pauseMsg, unpauseMsg, activateMsg, resetRankContent, slashingTxCommand, slashingQueryCommand } from './cli';
export * from './types/errors';
export { SLASHING_STORE_KEY, MODULE_NAME as SLASHING_MODULE } from './types/keys';
