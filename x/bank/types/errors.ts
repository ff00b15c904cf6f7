/**
 * x/bank errors (codespace `bank`). Insufficient funds uses the SDK's code (sdk/5), as
 * the ante pipeline and wallets expect; coin syntax errors are the `coins` codespace's
 * (types/coins.ts). Codes are public API: never renumber or reuse one.
 */
import { registerError } from '../../../types/errors';

export const CODESPACE = 'bank';

export const ErrZeroAmount = registerError(CODESPACE, 2, 'amount must be positive');
export const ErrOverSendCap = registerError(CODESPACE, 3, 'amount exceeds the transfer cap');
export const ErrBlockedRecipient = registerError(CODESPACE, 4, 'module accounts cannot receive transfers');
export const ErrInputOutputMismatch = registerError(CODESPACE, 5, 'sum of inputs does not match sum of outputs');
export const ErrNoInputs = registerError(CODESPACE, 6, 'multi-send needs exactly one input and at least one output');
export const ErrInvalidMetadata = registerError(CODESPACE, 7, 'invalid denom metadata');
export const ErrSupplyOverflow = registerError(CODESPACE, 8, 'total supply would overflow');
export const ErrUnknownDenom = registerError(CODESPACE, 9, 'no metadata for denom');
