/**
 * Errors of x/customslashing (codespace `customslashing`): one per refused status, so an
 * operator's tooling can tell "already paused" from "inactive" from "jailed". Codes are
 * public API: never renumber or reuse one.
 */
import { registerError } from '../../../types/errors';

export const SLASHING_CODESPACE = 'customslashing';

export const ErrPauseBelowMinValidators = registerError(SLASHING_CODESPACE, 2, 'pausing would take the active set below MIN_VALIDATORS');
export const ErrValidatorAlreadyPaused = registerError(SLASHING_CODESPACE, 3, 'validator is already paused');
export const ErrValidatorInactive = registerError(SLASHING_CODESPACE, 4, 'validator is inactive');
export const ErrValidatorJailed = registerError(SLASHING_CODESPACE, 5, 'validator is jailed');
export const ErrValidatorNotPaused = registerError(SLASHING_CODESPACE, 6, 'validator is not paused');
export const ErrValidatorNotInactive = registerError(SLASHING_CODESPACE, 7, 'validator is not inactive');
export const ErrInactivePeriodNotPassed = registerError(SLASHING_CODESPACE, 8, 'validator cannot be activated yet');
export const ErrValidatorPaused = registerError(SLASHING_CODESPACE, 9, 'validator is paused: unpause it instead');
export const ErrSigningInfoNotFound = registerError(SLASHING_CODESPACE, 10, 'signing info not found');
export const ErrInvalidConsAddress = registerError(SLASHING_CODESPACE, 11, 'invalid consensus address');
export const ErrInvalidProposal = registerError(SLASHING_CODESPACE, 12, 'invalid reset-rank proposal');
