/** x/gov event types; AccountIDs and proposal IDs in attributes are decimal strings. */
export const GovEvents = {
  createRole: 'create_role',
  removeRole: 'remove_role',
  assignRole: 'assign_role',
  unassignRole: 'unassign_role',
  setNetworkProperty: 'set_network_property',
  claimCouncilor: 'claim_councilor',
  submitProposal: 'submit_proposal',
  voteProposal: 'vote_proposal',
  proposalTally: 'proposal_tally',
  proposalEnacted: 'proposal_enacted',
  upgradeScheduled: 'upgrade_scheduled',
} as const;

/** `whitelist_permission`, `blacklist_permission`, and their `remove_` forms. */
export function permissionEvent(list: 'whitelist' | 'blacklist', add: boolean): string {
  return `${add ? '' : 'remove_'}${list}_permission`;
}

/** `councilor_<action>`: the councilor status message that moved it (e.g. `councilor_activate`). */
export function councilorEvent(action: string): string {
  return `councilor_${action}`;
}
