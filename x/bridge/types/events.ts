/** x/bridge event types; ids and amounts in attributes are decimal strings. */
export const BridgeEvents = {
  attested: 'bridge_attested',
  eventProcessed: 'bridge_event_processed',
  unclaimedFunds: 'bridge_unclaimed_funds',
  newAction: 'bridge_new_action',
  actionApproved: 'bridge_action_approved',
  actionReady: 'bridge_action_ready',
  actionExecuted: 'bridge_action_executed',
  withdrawalQueued: 'bridge_withdrawal_queued',
  overrideProposed: 'bridge_override_proposed',
  overrideApplied: 'bridge_override_applied',
  revertVote: 'bridge_revert_vote',
  eventReverted: 'bridge_event_reverted',
  insolvency: 'bridge_insolvency',
  newAdminProposal: 'bridge_new_admin_proposal',
  adminProposalApproved: 'bridge_admin_proposal_approved',
  selfReplaced: 'bridge_self_replaced',
} as const;
