/** x/accountid public face. */
export { AccountIdKeeper, MAX_KEYS_PER_ACCOUNT, MAX_WALLETS_PER_ACCOUNT, moduleAddress, type StoreReader, type AccountIdKeeperDeps } from './keeper';
export { accountIdModule } from './module';
export { TypeUrls as AccountIdTypeUrls } from './msgServer';
export { addKeyProofBytes, addKeyProofDigest } from './proof';
export { linkWalletText, personalSignDigest, ethAddressOf, parseWallet } from './wallet';
export { validateName, validateUserName, parseRef, checkRecipientRef, moduleAccountName, NAME_MAX_LENGTH, USER_NAME_MIN_LENGTH } from './names';
export { encodeAccountId, decodeAccountId, STORE_KEY as ACCOUNTID_STORE_KEY } from './types/keys';
export * as AccountIdErrors from './types/errors';
export type { AccountIdGenesisJson, GenesisAccountJson } from './genesis';
export { checkSender } from './msgServer';
