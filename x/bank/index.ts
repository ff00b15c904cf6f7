/** x/bank public face. */
export { BankKeeperImpl, DEFAULT_SEND_CAP, displayExponent, type BankKeeperDeps } from './keeper';
export { bankModule } from './module';
export { KEX_METADATA, type BankGenesisJson } from './genesis';
export { parseTransferAmount } from './amount';
export { STORE_KEY as BANK_STORE_KEY } from './types/keys';
export * as BankErrors from './types/errors';
