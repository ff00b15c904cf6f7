/**
 * x/bridge errors (codespace `bridge`). Every reason a bridge message is refused has its
 * own code, so a listener, approver or processor reading a failed tx knows exactly what
 * to fix. Codes are public API: never renumber or reuse one.
 */
import { registerError } from '../../../types/errors';

export const CODESPACE = 'bridge';

export const ErrInvalidValidatorSet = registerError(CODESPACE, 2, 'invalid bridge validator set');
export const ErrUnknownChain = registerError(CODESPACE, 3, 'unknown external chain');
export const ErrInvalidChainConfig = registerError(CODESPACE, 4, 'invalid external chain configuration');
export const ErrNotListener = registerError(CODESPACE, 5, 'the signing key is not a current listener');
export const ErrNotApprover = registerError(CODESPACE, 6, 'the signing key is not a current approver');
export const ErrNotProcessor = registerError(CODESPACE, 7, 'the signing key is not the current processor');
export const ErrNotValidator = registerError(CODESPACE, 8, 'the signing key is in no bridge group');
export const ErrWrongEventId = registerError(CODESPACE, 9, 'event id is not the next event id');
export const ErrConflictingAttestation = registerError(CODESPACE, 10, 'attested event differs from the pending event with that id');
export const ErrDuplicateAttestation = registerError(CODESPACE, 11, 'listener already attested this event');
export const ErrInvalidEvent = registerError(CODESPACE, 12, 'malformed bridge event');
export const ErrAlreadyDeployed = registerError(CODESPACE, 13, 'bridge contract already deployed');
export const ErrActionOutOfOrder = registerError(CODESPACE, 14, 'action is not the lowest pending action');
export const ErrUnknownAction = registerError(CODESPACE, 15, 'unknown or finished action');
export const ErrInvalidSignature = registerError(CODESPACE, 16, 'signature does not verify with the sender key');
export const ErrDuplicateApproval = registerError(CODESPACE, 17, 'key already approved');
export const ErrQuorumShort = registerError(CODESPACE, 18, 'quorum not reached');
export const ErrProcessorOrder = registerError(CODESPACE, 19, 'the processor approves actions one at a time in id order');
export const ErrAlreadyProcessorApproved = registerError(CODESPACE, 20, 'the processor already approved this action');
export const ErrUnknownAsset = registerError(CODESPACE, 21, 'asset is not configured on this chain');
export const ErrInvalidAmount = registerError(CODESPACE, 22, 'invalid amount');
export const ErrInvalidWallet = registerError(CODESPACE, 23, 'invalid external wallet');
export const ErrTimestampInFuture = registerError(CODESPACE, 24, 'message created more than 2 minutes after the block time');
export const ErrTimestampInPast = registerError(CODESPACE, 25, 'message created more than 2 minutes before the block time');
export const ErrUnknownOverride = registerError(CODESPACE, 26, 'unknown override');
export const ErrNotStuckAction = registerError(CODESPACE, 27, 'only the lowest pending action can be overridden');
export const ErrRevertNotLast = registerError(CODESPACE, 28, 'only the chain\'s last event can be reverted');
export const ErrDuplicateVote = registerError(CODESPACE, 29, 'listener already voted to revert this event');
export const ErrDuplicateProposal = registerError(CODESPACE, 30, 'an identical admin proposal is pending');
export const ErrUnknownProposal = registerError(CODESPACE, 31, 'unknown admin proposal');
export const ErrInvalidProposal = registerError(CODESPACE, 32, 'invalid admin proposal');
export const ErrInvalidReplacement = registerError(CODESPACE, 33, 'invalid replacement key');
export const ErrUnknownEvent = registerError(CODESPACE, 34, 'unknown event');
export const ErrInvalidQuery = registerError(CODESPACE, 35, 'invalid bridge query');
export const ErrMissingTimestamp = registerError(CODESPACE, 36, 'bridge validator messages must carry created_ms');
export const ErrUnrepresentableAmount = registerError(CODESPACE, 37, "withdrawal amount is finer than the external token's precision");
export const ErrTimestampAheadOfNode = registerError(CODESPACE, 38, "message created more than 2 minutes ahead of this node's clock");
export const ErrTimestampExpired = registerError(CODESPACE, 39, "message created more than 2 minutes before this node's clock");
export const ErrOverExportCap = registerError(CODESPACE, 40, 'withdrawal exceeds the transfer cap');
