/** The embedded engine's errors (codespace `engine`): a node that cannot go on stops with one of them. */
import { registerError } from '../../types/errors';

export const ErrAppAhead = registerError('engine', 3, 'app block height is higher than the block store');
export const ErrAppHashMismatch = registerError('engine', 4, 'app hash mismatch');
export const ErrProposalRejected = registerError('engine', 5, 'ProcessProposal rejected our own proposal');
export const ErrNoValidators = registerError('engine', 6, 'no validators at genesis');
export const ErrProposalTooLarge = registerError('engine', 7, 'PrepareProposal returned txs over max_tx_bytes');
export const ErrTxResultsLength = registerError('engine', 8, 'expected tx results length to match size of transactions in block');
export const ErrEngineState = registerError('engine', 9, 'engine state inconsistent with the block store');
