/** Account keys: mnemonics, HD derivation, the test/file keyrings, a cosmjs-compatible signer, and the Cosmos SDK's keyring files. */
export * from './errors';
export * from './address';
export * from './hd';
export * from './keyring';
export { readSdkKeyring, type SdkKeyEntry } from './sdkFileKeyring';
