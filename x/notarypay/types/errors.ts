/**
 * x/notarypay errors (codespace `notarypay`). Each reason a notarization is refused has
 * its own code, so a rejected proposal or a failed tx says exactly why. Codes are public
 * API: never renumber or reuse one.
 */
import { registerError } from '../../../types/errors';

export const CODESPACE = 'notarypay';

export const ErrInvalidNotarization = registerError(CODESPACE, 2, 'malformed notarization');
export const ErrNoEra = registerError(CODESPACE, 3, 'no notary era at this block time');
export const ErrEraGap = registerError(CODESPACE, 4, 'notarizations are refused during the era gap');
export const ErrStaleHeight = registerError(CODESPACE, 5, 'height is not above the last notarized height');
export const ErrFutureHeight = registerError(CODESPACE, 6, 'height is above the previous block');
export const ErrUnknownAppHash = registerError(CODESPACE, 7, 'the app hash of that height is not known');
export const ErrWrongAppHash = registerError(CODESPACE, 8, 'app hash does not match the chain');
export const ErrDuplicateSigner = registerError(CODESPACE, 9, 'duplicate signer');
export const ErrNotCurrentNotary = registerError(CODESPACE, 10, 'signer is not a notary of the current era');
export const ErrInvalidNotarySignature = registerError(CODESPACE, 11, 'invalid notary signature');
export const ErrTooFewSignatures = registerError(CODESPACE, 12, 'fewer signatures than minsigs');
export const ErrFundingExhausted = registerError(CODESPACE, 13, 'notary pay funding exhausted');
export const ErrNotarizationPosition = registerError(CODESPACE, 14, 'a notarization must be the first tx of its block');
export const ErrTooManyNotarizations = registerError(CODESPACE, 15, 'only one notarization fits in a block');
export const ErrPubkeyAlreadySet = registerError(CODESPACE, 16, 'can only set pubkey once');
export const ErrNotANotary = registerError(CODESPACE, 17, 'the signing key is not a notary key');
export const ErrInvalidEra = registerError(CODESPACE, 18, 'invalid notary era');
export const ErrInvalidQuery = registerError(CODESPACE, 19, 'invalid notary pay query');
export const ErrMixedNotarizationTx = registerError(CODESPACE, 20, 'a notarization tx must carry MsgNotarize alone');
