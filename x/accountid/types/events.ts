/** x/accountid event types; AccountIDs in attributes are decimal strings. */
export const AccountEvents = {
  created: 'account_created',
  nameRegistered: 'name_registered',
  nameTransferred: 'name_transferred',
  keyAdded: 'key_added',
  keyRemoved: 'key_removed',
  walletLinked: 'wallet_linked',
  walletUnlinked: 'wallet_unlinked',
} as const;
