/** Errors of the multistore: codespace `store`, codes 2-7 and 12-13 (see ../memstore.ts). */
import { registerError } from '../../types/errors';

export const ErrUnknownStore = registerError('store', 2, 'unknown store');
export const ErrInvalidMultiStoreOptions = registerError('store', 3, 'invalid multistore options');
export const ErrVersionNotAvailable = registerError('store', 4, 'version is not available');
export const ErrInconsistentState = registerError('store', 5, 'multistore state is inconsistent');
export const ErrCommitInProgress = registerError('store', 6, 'a commit is in progress');
export const ErrStoreClosed = registerError('store', 7, 'multistore is closed');
export const ErrRestore = registerError('store', 12, 'snapshot restore failed');
export const ErrRestoreMismatch = registerError('store', 13, 'restored state does not match the expected AppHash');
