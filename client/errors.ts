/**
 * Errors of the client library (what `sekaid-ts tx` / `query` report). Each carries a
 * message a person can act on: which node, which chain id, which key.
 */
import { CodedError, registerError, type RegisteredError } from '../types/errors';

/** A flag or argument is missing, unknown or malformed (every command's usage error). */
export const ErrUsage = registerError('cli', 2, 'invalid usage');

/** The node's RPC does not answer (refused, unknown host, timeout). */
export const ErrNodeUnreachable = registerError('client', 2, 'cannot reach node');
/** --chain-id differs from the network the node reports. */
export const ErrWrongChainId = registerError('client', 3, 'wrong chain id');
/** The signing account has no state on chain yet. */
export const ErrAccountNotFound = registerError('client', 4, 'account not found');
/** A broadcast tx was not seen in a block before the wait ended. */
export const ErrTxTimeout = registerError('client', 5, 'timed out waiting for the tx to be included in a block');
/** The chain refused or failed the tx (CheckTx or execution code != 0). */
export const ErrTxFailed = registerError('client', 6, 'tx failed');
/** An ABCI query answered with a non-zero code. */
export const ErrQueryFailed = registerError('client', 7, 'query failed');
/** Bytes or JSON that are not a valid Cosmos tx. */
export const ErrInvalidTx = registerError('client', 8, 'invalid tx');
/** A tx, block or account asked for by the user does not exist. */
export const ErrNotFound = registerError('client', 9, 'not found');
/** The node answered with a JSON-RPC error. */
export const ErrRpc = registerError('client', 10, 'node returned an error');

/** An error of `registered`'s code whose whole message is `message` (no ": description" suffix). */
export function withMessage(registered: RegisteredError, message: string): CodedError {
  return new CodedError(registered.codespace, registered.code, registered.description, message);
}
