/** Errors of the crypto codespace: malformed keys, addresses and key files. Codes are stable API. */
import { registerError } from '../types/errors';

export const CRYPTO_CODESPACE = 'crypto';

export const ErrInvalidPrivateKey = registerError(CRYPTO_CODESPACE, 2, 'invalid private key');
export const ErrInvalidPublicKey = registerError(CRYPTO_CODESPACE, 3, 'invalid public key');
export const ErrInvalidBech32 = registerError(CRYPTO_CODESPACE, 4, 'invalid bech32 string');
export const ErrWrongBech32Prefix = registerError(CRYPTO_CODESPACE, 5, 'wrong bech32 prefix');
export const ErrInvalidAddressLength = registerError(CRYPTO_CODESPACE, 6, 'invalid address length');
export const ErrInvalidKeyJson = registerError(CRYPTO_CODESPACE, 7, 'invalid key JSON');
export const ErrInvalidMessageHash = registerError(CRYPTO_CODESPACE, 8, 'message hash must be 32 bytes');
