/** x/gov (customgov): the module's public face. */
export { govModule } from './module';
export { GovKeeper, isKnownPermission, permLabel, type AccountRef, type GovKeeperDeps } from './keeper';
export { ROLE_SUDO, ROLE_VALIDATOR, ALL_VOTE_OPTIONS } from './types/actors';
export { tally, type TallyCounts } from './tally';
export { govGenesisEditor, parsePermissionText, checkGenesisNetworkProperty } from './genesisEditor';
export { ProposalRegistry, type ProposalHandler, type ProposalRouter } from './types/proposalRouter';
export type { GovAccountKeeper, GovUpgradeKeeper } from './types/expectedKeepers';
export { NetworkProperty, canonicalValue, defaultValue, parsePropertyName, propertyName, type ValidatorNetworkProperties, type DepositNetworkProperties } from './types/networkProperties';
export * from './types/errors';
export { MODULE_NAME, STORE_KEY } from './types/keys';
export { PermValue } from '../../proto/gen/sekai/gov/v1/permission';
