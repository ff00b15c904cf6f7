/**
 * Errors of x/customstaking (codespace `customstaking`). Codes are public API: never
 * renumber or reuse one. Call sites add context with `wrap`.
 */
import { registerError } from '../../../types/errors';

export const STAKING_CODESPACE = 'customstaking';

export const ErrValidatorNotFound = registerError(STAKING_CODESPACE, 2, 'validator not found');
export const ErrValidatorAlreadyClaimed = registerError(STAKING_CODESPACE, 3, 'account already has a validator seat');
export const ErrMonikerExists = registerError(STAKING_CODESPACE, 4, 'validator moniker already used');
export const ErrConsPubKeyExists = registerError(STAKING_CODESPACE, 5, 'consensus public key already used by a validator');
export const ErrNotPermitted = registerError(STAKING_CODESPACE, 6, 'account lacks permission to claim a validator seat (PermClaimValidator = 2)');
export const ErrInvalidMoniker = registerError(STAKING_CODESPACE, 7, 'invalid moniker');
export const ErrInvalidConsPubKey = registerError(STAKING_CODESPACE, 8, 'invalid consensus public key');
export const ErrInvalidCommissionRate = registerError(STAKING_CODESPACE, 9, 'commission rate must be a decimal in [0, 1]');
export const ErrSameCommissionRate = registerError(STAKING_CODESPACE, 10, 'commission rate equals the current rate');
export const ErrNoPendingCommissionChange = registerError(STAKING_CODESPACE, 11, 'no commission change was initiated');
export const ErrCommissionChangeTooEarly = registerError(STAKING_CODESPACE, 12, 'commission change delay has not passed');
export const ErrValidatorJailed = registerError(STAKING_CODESPACE, 13, 'validator is jailed');
export const ErrValidatorNotJailed = registerError(STAKING_CODESPACE, 14, 'validator is not jailed');
export const ErrJailNotExpired = registerError(STAKING_CODESPACE, 15, 'jail period has not ended');
export const ErrNotValidatorOperator = registerError(STAKING_CODESPACE, 16, 'sender is not the operator of this validator');
export const ErrInvalidValidatorAddress = registerError(STAKING_CODESPACE, 17, 'invalid validator address');
export const ErrUnjailTimePassed = registerError(STAKING_CODESPACE, 18, 'time to unjail by proposal has passed');
export const ErrInvalidQuery = registerError(STAKING_CODESPACE, 19, 'invalid validator query');
export const ErrUnknownAccount = registerError(STAKING_CODESPACE, 20, 'sender account not found');
export const ErrDepositBelowMinimum = registerError(STAKING_CODESPACE, 21, 'validator deposit is below MIN_VALIDATOR_DEPOSIT');
export const ErrWithdrawAccountRequired = registerError(STAKING_CODESPACE, 22, 'a deposit needs a withdraw account (--withdraw-account)');
export const ErrWithdrawAccountFixed = registerError(STAKING_CODESPACE, 23, 'the withdraw account is fixed once set');
export const ErrNotWithdrawAccount = registerError(STAKING_CODESPACE, 24, "only the validator's withdraw account may withdraw its deposit");
export const ErrDepositLocked = registerError(STAKING_CODESPACE, 25, 'MIN_DELEGATION_PERIOD has not passed since the last deposit');
export const ErrWithdrawWhileJailed = registerError(STAKING_CODESPACE, 26, 'a jailed validator cannot withdraw its deposit');
export const ErrWithdrawExceedsUnbonded = registerError(STAKING_CODESPACE, 27, 'amount exceeds the unbonded part of the deposit');
export const ErrInvalidAmount = registerError(STAKING_CODESPACE, 28, 'amount must be a positive integer of ukex');
export const ErrInvalidWithdrawAccount = registerError(STAKING_CODESPACE, 29, 'invalid withdraw account');

/**
 * Errors of the module's CLI commands (their own codespace, as they never reach a block).
 * Code 2 (`command needs the CLI tx / query plumbing`) is retired: every environment now has
 * a client (client/cliEnv.ts); it stays registered because codes are never reused.
 */
export const ErrCliNotConnected = registerError('customstaking-cli', 2, 'command needs the CLI tx / query plumbing');
export const ErrCliUsage = registerError('customstaking-cli', 3, 'invalid usage');
