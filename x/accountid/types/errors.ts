/**
 * x/accountid errors (codespace `accountid`). Codes are public API: never renumber or
 * reuse one. Each bad input has its own code so a client can tell them apart.
 */
import { registerError } from '../../../types/errors';

export const CODESPACE = 'accountid';

export const ErrInvalidName = registerError(CODESPACE, 2, 'invalid account name');
export const ErrNameLength = registerError(CODESPACE, 3, 'account name length out of range');
export const ErrReservedName = registerError(CODESPACE, 4, 'account name is reserved');
export const ErrNameTaken = registerError(CODESPACE, 5, 'account name is already taken');
export const ErrAccountHasName = registerError(CODESPACE, 6, 'account already has a name');
export const ErrAccountHasNoName = registerError(CODESPACE, 7, 'account has no name');
export const ErrUnknownAccount = registerError(CODESPACE, 8, 'account not found');
export const ErrInvalidRef = registerError(CODESPACE, 9, 'invalid account reference');
export const ErrKeyBound = registerError(CODESPACE, 10, 'key is already bound to another account');
export const ErrKeyAlreadyAdded = registerError(CODESPACE, 11, 'key already belongs to this account');
export const ErrInvalidKey = registerError(CODESPACE, 12, 'invalid public key');
export const ErrInvalidKeyProof = registerError(CODESPACE, 13, 'invalid key ownership proof');
export const ErrKeyNotOnAccount = registerError(CODESPACE, 14, 'key does not belong to this account');
export const ErrLastKey = registerError(CODESPACE, 15, 'cannot remove the last key of an account');
export const ErrSigningKey = registerError(CODESPACE, 16, 'cannot remove a key that signs this tx');
export const ErrInvalidWallet = registerError(CODESPACE, 17, 'invalid wallet');
export const ErrWalletBound = registerError(CODESPACE, 18, 'wallet is already bound to an account');
export const ErrInvalidWalletProof = registerError(CODESPACE, 19, 'invalid wallet ownership proof');
export const ErrUnsupportedWallet = registerError(CODESPACE, 20, 'wallet kind cannot be linked by message');
export const ErrWalletNotOnAccount = registerError(CODESPACE, 21, 'wallet does not belong to this account');
export const ErrModuleAccount = registerError(CODESPACE, 22, 'module accounts cannot do this');
export const ErrTooManyKeys = registerError(CODESPACE, 23, 'too many keys or wallets on one account');
export const ErrAccountIdExhausted = registerError(CODESPACE, 24, 'account ids exhausted');
