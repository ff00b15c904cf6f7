/** x/notarypay event types. */
export const NotaryPayEvents = {
  /** A notary's payout account was bound (or rebound). */
  payout: 'notary_payout',
  /** A notarization was accepted and its notaries paid. */
  notarization: 'notarization',
} as const;
