/** x/bank event types, with the Cosmos SDK's names so explorers and wallets read them as they do on any Cosmos chain. */
export const BankEvents = {
  coinSpent: 'coin_spent',
  coinReceived: 'coin_received',
  transfer: 'transfer',
  /** Coins minted into a module account. */
  coinbase: 'coinbase',
  burn: 'burn',
} as const;
