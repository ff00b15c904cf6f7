/** Event types and attribute keys of x/customslashing. */
export const SlashingEvents = {
  liveness: 'liveness',
  inactivate: 'inactivate',
  inactivationDeferred: 'inactivation_deferred',
  pause: 'pause',
  unpause: 'unpause',
  activate: 'activate',
  resetRanks: 'reset_whole_validator_rank',
} as const;
