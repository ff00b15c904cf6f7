export { stakingModule } from './module';
export { unjailValidatorProposal, UNJAIL_VALIDATOR_TYPE_URL } from './proposals';
export {
  StakingKeeper,
  ValidatorStatus,
  consensusPower,
  statusName,
  parseCommissionRate,
  PERM_CLAIM_VALIDATOR,
  DEPOSIT_ACCOUNT,
  depositOf,
  parseDepositAmount,
  type ClaimValidatorParams,
  type StakingKeeperDeps,
} from './keeper';
export { validatorToJson, validatorFromJson, parsePubKeyArg, type ValidatorJson } from './json';
export { TypeUrls as StakingTypeUrls } from './msgServer';
export { QueryPaths as StakingQueryPaths } from './queryServer';
export * from './types/errors';
export { BOND_DENOM, DEFAULT_DEPOSIT_PROPERTIES, DEFAULT_VALIDATOR_PROPERTIES, type DepositProperties, type ValidatorProperties } from './types/params';
export { fixedProperties, type DepositBank, type ModuleAccounts, type AccountResolver, type PermissionChecker, type ValidatorPropertiesSource } from './types/expectedKeepers';
export { STAKING_STORE_KEY, MODULE_NAME as STAKING_MODULE } from './types/keys';
export { stakingGenesisEditor } from './genesisEditor';
export {
  claimValidatorMsg,
  initCommissionMsg,
  finalizeCommissionMsg,
  unjailMsg,
  depositMsg,
  withdrawMsg,
  stakingTxCommand,
  stakingQueryCommand,
} from './cli';
export { VALIDATOR_PAGE_LIMITS } from './keeper';
