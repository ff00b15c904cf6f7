/** The guestbook's public face. */
export { guestbookModule } from './module';
export { GuestbookKeeper, MAX_ENTRY_LENGTH, type GuestbookKeeperDeps } from './keeper';
export * as GuestbookTypes from './types/codec';
export * as GuestbookErrors from './types/errors';
export { GuestbookEvents } from './types/events';
export { MODULE_NAME as GUESTBOOK_MODULE_NAME, STORE_KEY as GUESTBOOK_STORE_KEY } from './types/keys';
