/**
 * Errors of x/multistaking (codespace `multistaking`). Codes are public API: never
 * renumber or reuse one. Call sites add context with `wrap`.
 */
import { registerError } from '../../../types/errors';

export const MULTISTAKING_CODESPACE = 'multistaking';

export const ErrNotActive = registerError(MULTISTAKING_CODESPACE, 2, 'delegation starts at the multistaking upgrade height');
export const ErrInvalidAmount = registerError(MULTISTAKING_CODESPACE, 3, 'amount must be a positive integer of ukex');
export const ErrValidatorNotFound = registerError(MULTISTAKING_CODESPACE, 4, 'validator not found');
export const ErrValidatorJailed = registerError(MULTISTAKING_CODESPACE, 5, 'cannot delegate to a jailed validator');
export const ErrValidatorFull = registerError(MULTISTAKING_CODESPACE, 6, 'the validator has MAX_DELEGATORS delegators');
export const ErrDelegationTooSmall = registerError(MULTISTAKING_CODESPACE, 7, 'amount buys no share of the vault');
export const ErrDelegationNotFound = registerError(MULTISTAKING_CODESPACE, 8, 'no delegation to this validator');
export const ErrDelegationLocked = registerError(MULTISTAKING_CODESPACE, 9, 'MIN_DELEGATION_PERIOD has not passed since the latest delegation');
export const ErrInsufficientDelegation = registerError(MULTISTAKING_CODESPACE, 10, 'amount exceeds the delegation');
export const ErrNotWithdrawAccount = registerError(MULTISTAKING_CODESPACE, 11, "only the validator's withdraw account may claim its commission");
export const ErrNothingToClaim = registerError(MULTISTAKING_CODESPACE, 12, 'nothing has accrued to claim');
export const ErrUnknownAccount = registerError(MULTISTAKING_CODESPACE, 13, 'account not found');
export const ErrInvalidValidatorAddress = registerError(MULTISTAKING_CODESPACE, 14, 'invalid validator address');
