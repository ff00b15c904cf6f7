/**
 * Errors of the IAVL tree. Codespace `store`, codes 30-49 are reserved for the tree
 * (lower codes are left to the multistore).
 */
import { registerError } from '../../types/errors';

export const ErrInvalidKey = registerError('store', 30, 'invalid key');
export const ErrInvalidValue = registerError('store', 31, 'invalid value');
export const ErrVersionNotFound = registerError('store', 32, 'version does not exist');
export const ErrVersionPruned = registerError('store', 33, 'version was pruned');
export const ErrCorruptStore = registerError('store', 34, 'store data is corrupt');
export const ErrInvalidImport = registerError('store', 35, 'invalid import stream');
export const ErrCommitPending = registerError('store', 36, 'a prepared commit has not been marked committed');
export const ErrEmptyTreeProof = registerError('store', 37, 'cannot prove absence of a key in an empty tree');
export const ErrInvalidOptions = registerError('store', 38, 'invalid tree options');
