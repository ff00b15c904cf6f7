/**
 * Runtime errors, in codespace `sdk` with the Cosmos SDK's numbers (cosmos-sdk
 * `types/errors/errors.go`), so wallets and explorers that switch on (codespace, code)
 * read our rejections as they read a Cosmos chain's.
 *
 * Codes are public API: never renumber or reuse one. Every rejection in the ante
 * pipeline has its own code and a log a person can act on; a rejected tx changes nothing.
 */
import { CodedError, INTERNAL_CODE, INTERNAL_CODESPACE, registerError } from '../types/errors';

export const SDK_CODESPACE = 'sdk';

export const ErrTxDecode = registerError(SDK_CODESPACE, 2, 'tx parse error');
export const ErrInvalidSequence = registerError(SDK_CODESPACE, 3, 'invalid sequence');
export const ErrUnauthorized = registerError(SDK_CODESPACE, 4, 'unauthorized');
export const ErrInsufficientFunds = registerError(SDK_CODESPACE, 5, 'insufficient funds');
export const ErrUnknownRequest = registerError(SDK_CODESPACE, 6, 'unknown request');
export const ErrInvalidAddress = registerError(SDK_CODESPACE, 7, 'invalid address');
export const ErrInvalidPubKey = registerError(SDK_CODESPACE, 8, 'invalid pubkey');
export const ErrUnknownAddress = registerError(SDK_CODESPACE, 9, 'unknown address');
export const ErrInvalidCoins = registerError(SDK_CODESPACE, 10, 'invalid coins');
export const ErrOutOfGas = registerError(SDK_CODESPACE, 11, 'out of gas');
export const ErrMemoTooLarge = registerError(SDK_CODESPACE, 12, 'memo too large');
export const ErrInsufficientFee = registerError(SDK_CODESPACE, 13, 'insufficient fee');
export const ErrTooManySignatures = registerError(SDK_CODESPACE, 14, 'maximum number of signatures exceeded');
export const ErrNoSignatures = registerError(SDK_CODESPACE, 15, 'no signatures supplied');
export const ErrJSONUnmarshal = registerError(SDK_CODESPACE, 17, 'failed to unmarshal JSON bytes');
export const ErrInvalidRequest = registerError(SDK_CODESPACE, 18, 'invalid request');
export const ErrTxTooLarge = registerError(SDK_CODESPACE, 21, 'tx too large');
export const ErrKeyNotFound = registerError(SDK_CODESPACE, 22, 'key not found');
export const ErrInvalidSigner = registerError(SDK_CODESPACE, 24, 'tx intended signer does not match the given signer');
export const ErrInvalidHeight = registerError(SDK_CODESPACE, 26, 'invalid height');
export const ErrInvalidVersion = registerError(SDK_CODESPACE, 27, 'invalid version');
export const ErrInvalidChainID = registerError(SDK_CODESPACE, 28, 'invalid chain-id');
export const ErrInvalidType = registerError(SDK_CODESPACE, 29, 'invalid type');
export const ErrTxTimeoutHeight = registerError(SDK_CODESPACE, 30, 'tx timeout height');
export const ErrUnknownExtensionOptions = registerError(SDK_CODESPACE, 31, 'unknown extension options');
export const ErrWrongSequence = registerError(SDK_CODESPACE, 32, 'incorrect account sequence');
export const ErrUnpackAny = registerError(SDK_CODESPACE, 34, 'failed unpacking protobuf message from Any');
export const ErrLogic = registerError(SDK_CODESPACE, 35, 'internal logic error');
export const ErrConflict = registerError(SDK_CODESPACE, 36, 'conflict');
export const ErrNotSupported = registerError(SDK_CODESPACE, 37, 'feature not supported');
export const ErrNotFound = registerError(SDK_CODESPACE, 38, 'not found');
export const ErrInvalidGasLimit = registerError(SDK_CODESPACE, 41, 'invalid gas limit');
export const ErrTxTimeout = registerError(SDK_CODESPACE, 42, 'tx timeout');

/**
 * Runtime errors with no Cosmos SDK counterpart live in codespace `runtime`.
 * ErrUpgradeRequired is fatal: the node must stop rather than compute a different AppHash.
 */
export const RUNTIME_CODESPACE = 'runtime';
export const ErrUpgradeRequired = registerError(RUNTIME_CODESPACE, 2, 'binary upgrade required');
export const ErrInvalidGenesis = registerError(RUNTIME_CODESPACE, 3, 'invalid genesis');
export const ErrInvalidProposal = registerError(RUNTIME_CODESPACE, 4, 'invalid block proposal');
export const ErrInvalidState = registerError(RUNTIME_CODESPACE, 5, 'invalid application state');
export const ErrInvalidUpgradePlan = registerError(RUNTIME_CODESPACE, 6, 'invalid upgrade plan');
export const ErrInvalidSignature = registerError(RUNTIME_CODESPACE, 7, 'invalid signature encoding');
export const ErrInvariantBroken = registerError(RUNTIME_CODESPACE, 8, 'state invariant broken');
export const ErrBlockTimeInFuture = registerError(RUNTIME_CODESPACE, 9, 'block time more than 2 minutes ahead of this node\'s clock');
export const ErrBlockTimeNotAfterPrevious = registerError(RUNTIME_CODESPACE, 10, 'block time is not after the previous block');

/**
 * A missing object in a query. The log carries gRPC's NotFound text because cosmjs
 * recognises a missing account by matching `rpc error: code = NotFound`.
 */
export function notFound(what: string): CodedError {
  return ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = ${what} not found`);
}

/** The (codespace, code, log) a client sees for any thrown value. */
export interface ErrorResult {
  codespace: string;
  code: number;
  log: string;
}

/**
 * Normalises anything thrown at a CheckTx/Query boundary. Registered errors keep their
 * code and message; anything else is an internal error with a generic log, so no stack
 * trace or host detail leaks into a response.
 */
export function errorResult(err: unknown): ErrorResult {
  if (err instanceof CodedError) return { codespace: err.codespace, code: err.code, log: err.message };
  return { codespace: INTERNAL_CODESPACE, code: INTERNAL_CODE, log: 'internal error' };
}

/** True for errors the application reports as a result; anything else is a bug. */
export function isCoded(err: unknown): err is CodedError {
  return err instanceof CodedError;
}
