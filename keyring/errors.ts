import { registerError } from '../types/errors';

export const ErrKeyNotFound = registerError('keyring', 2, 'key not found');
export const ErrKeyExists = registerError('keyring', 3, 'key already exists');
export const ErrInvalidKeyName = registerError('keyring', 4, 'invalid key name');
export const ErrInvalidMnemonic = registerError('keyring', 5, 'invalid mnemonic');
export const ErrInvalidHdPath = registerError('keyring', 6, 'invalid HD path');
export const ErrWrongPassphrase = registerError('keyring', 7, 'wrong passphrase');
export const ErrPassphraseRequired = registerError('keyring', 8, 'passphrase required');
export const ErrInvalidArmor = registerError('keyring', 9, 'invalid armored key');
export const ErrUnknownBackend = registerError('keyring', 10, 'unknown keyring backend');
export const ErrInvalidAddress = registerError('keyring', 11, 'invalid address');
export const ErrCorruptKeyring = registerError('keyring', 12, 'corrupt keyring entry');
