/** x/notarypay public face. */
export { NotaryPayKeeper, BURN_ADDRESS, BURN_PUBKEY, DEFAULT_ERA_GAP_SECONDS, minSigs, notaryAddress, type CheckedNotarization } from './keeper';
export { notaryPayModule } from './module';
export type { NotaryPayKeeperDeps } from './keeper';
export { NotaryPayTypeUrls } from './msgServer';
export { notarizeFromSignatures, type NotarySignatureJson } from './cli';
export { notarizationSignBytes, notarizationDigest, signNotarization, NOTARIZE_DOMAIN } from './signDoc';
export { notaryProposals, ADD_NOTARY_ERA_TYPE_URL, REBIND_NOTARY_PAYOUT_TYPE_URL } from './proposals';
export { checkProposalNotarizations, prepareNotarizations } from './proposal';
export { parseNotaryPayGenesis, type NotaryPayGenesisJson, type EraJson, type NotaryJson, type FundingName } from './genesis';
export { STORE_KEY as NOTARYPAY_STORE_KEY, MODULE_NAME as NOTARYPAY_MODULE_NAME } from './types/keys';
export * as NotaryPayErrors from './types/errors';
