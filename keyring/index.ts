/** Account keys: mnemonics, HD derivation, the test/file keyrings and a cosmjs-compatible signer. */
export * from './errors';
export * from './address';
export * from './hd';
export * from './keyring';
