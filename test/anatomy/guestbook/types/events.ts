/** Guestbook event types and attribute keys. */
export const GuestbookEvents = {
  signed: 'guestbook_signed',
  cleared: 'guestbook_cleared',
} as const;
