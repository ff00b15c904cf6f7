/** Guestbook errors, codespace `guestbook`. Codes are public API: never renumber or reuse one. */
import { registerError } from '../../../../types/errors';

export const ErrEntryTooLong = registerError('guestbook', 2, 'guestbook entry too long');
export const ErrNoEntry = registerError('guestbook', 3, 'no guestbook entry');
