/**
 * x/gov errors, codespace `customgov` (sekai's module name). Codes are public API:
 * never renumber or reuse one.
 */
import { registerError } from '../../../types/errors';

export const CODESPACE = 'customgov';

/** The signer lacks a permission; the log names it by number and name. */
export const ErrNotPermitted = registerError(CODESPACE, 2, 'permission required');
export const ErrUnknownPermission = registerError(CODESPACE, 3, 'unknown permission');
export const ErrUnknownAccount = registerError(CODESPACE, 4, 'unknown account');
export const ErrAlreadyWhitelisted = registerError(CODESPACE, 5, 'permission already whitelisted');
export const ErrAlreadyBlacklisted = registerError(CODESPACE, 6, 'permission already blacklisted');
export const ErrNotWhitelisted = registerError(CODESPACE, 7, 'permission is not whitelisted');
export const ErrNotBlacklisted = registerError(CODESPACE, 8, 'permission is not blacklisted');
export const ErrRoleExists = registerError(CODESPACE, 9, 'role already exists');
export const ErrUnknownRole = registerError(CODESPACE, 10, 'unknown role');
export const ErrRoleAlreadyAssigned = registerError(CODESPACE, 11, 'role already assigned');
export const ErrRoleNotAssigned = registerError(CODESPACE, 12, 'role not assigned');
export const ErrInvalidRoleSid = registerError(CODESPACE, 13, 'invalid role sid');
export const ErrCouncilorExists = registerError(CODESPACE, 14, 'councilor already claimed');
export const ErrUnknownCouncilor = registerError(CODESPACE, 15, 'not a councilor');
export const ErrCouncilorStatus = registerError(CODESPACE, 16, 'councilor status does not allow this');
export const ErrUnknownProposalType = registerError(CODESPACE, 17, 'unknown proposal type');
export const ErrInvalidProposalContent = registerError(CODESPACE, 18, 'invalid proposal content');
export const ErrProposalWouldFail = registerError(CODESPACE, 19, 'proposal would fail to execute');
export const ErrUnknownProposal = registerError(CODESPACE, 20, 'unknown proposal');
export const ErrVotingEnded = registerError(CODESPACE, 21, 'voting time is over');
export const ErrActorNotActive = registerError(CODESPACE, 22, 'actor is not active');
export const ErrInvalidVoteOption = registerError(CODESPACE, 23, 'invalid vote option');
export const ErrUnknownNetworkProperty = registerError(CODESPACE, 24, 'unknown network property');
export const ErrInvalidNetworkProperty = registerError(CODESPACE, 25, 'invalid network property value');
export const ErrInvalidProposalDuration = registerError(CODESPACE, 26, 'invalid proposal duration');
export const ErrTitleTooLong = registerError(CODESPACE, 27, 'proposal title too long');
export const ErrDescriptionTooLong = registerError(CODESPACE, 28, 'proposal description too long');
export const ErrInvalidUpgrade = registerError(CODESPACE, 29, 'invalid software upgrade');
export const ErrKeeperMissing = registerError(CODESPACE, 30, 'proposal type not wired');
