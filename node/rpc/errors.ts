/** Errors of the RPC servers (codespace `rpc`): bad parameters, missing data, timeouts. Query errors are the block store's. */
import { registerError } from '../../types/errors';

export const ErrInvalidParams = registerError('rpc', 3, 'invalid params');
export const ErrHeightUnavailable = registerError('rpc', 4, 'height not available');
export const ErrNotFound = registerError('rpc', 5, 'not found');
export const ErrSubscription = registerError('rpc', 6, 'subscription error');
export const ErrTimeout = registerError('rpc', 7, 'timed out');
export const ErrMempool = registerError('rpc', 8, 'mempool refused the tx');
