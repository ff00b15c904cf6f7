/**
 * The client's wall clock. Messages whose `created_ms` the chain checks against block time
 * (x/bridge's 2-minute rule) are stamped here, outside the state machine.
 */
export const nowMs = (): bigint => BigInt(Date.now());
