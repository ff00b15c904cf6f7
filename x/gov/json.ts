/**
 * The JSON that `query customgov …` prints: sekaid's shapes, every field present with its
 * default (a voter 0, `MIN_TX_FEE`, a proposer 0), snake_case names, enums by name, and a
 * proposal's content decoded to its message (`@type` plus fields) instead of base64.
 */
import * as NP from '../../proto/gen/sekai/notarypay/v1/notarypay';
import * as SL from '../../proto/gen/sekai/slashing/v1/slashing';
import { councilorStatusToJSON, voteOptionToJSON, voteResultToJSON } from '../../proto/gen/sekai/gov/v1/gov';
import { networkPropertyToJSON } from '../../proto/gen/sekai/gov/v1/network_properties';
import * as P from '../../proto/gen/sekai/gov/v1/proposal';
import type * as Q from '../../proto/gen/sekai/gov/v1/query';
import { protoJson, type JsonCodec } from '../../client/protoJson';

/** Every proposal content type the chain executes, by type URL. */
export const PROPOSAL_CONTENT_TYPES: Record<string, JsonCodec> = {
  '/sekai.gov.v1.SetNetworkPropertyProposal': P.SetNetworkPropertyProposal,
  '/sekai.gov.v1.WhitelistAccountPermissionProposal': P.WhitelistAccountPermissionProposal,
  '/sekai.gov.v1.BlacklistAccountPermissionProposal': P.BlacklistAccountPermissionProposal,
  '/sekai.gov.v1.RemoveWhitelistedAccountPermissionProposal': P.RemoveWhitelistedAccountPermissionProposal,
  '/sekai.gov.v1.RemoveBlacklistedAccountPermissionProposal': P.RemoveBlacklistedAccountPermissionProposal,
  '/sekai.gov.v1.CreateRoleProposal': P.CreateRoleProposal,
  '/sekai.gov.v1.WhitelistRolePermissionProposal': P.WhitelistRolePermissionProposal,
  '/sekai.gov.v1.BlacklistRolePermissionProposal': P.BlacklistRolePermissionProposal,
  '/sekai.gov.v1.RemoveWhitelistedRolePermissionProposal': P.RemoveWhitelistedRolePermissionProposal,
  '/sekai.gov.v1.RemoveBlacklistedRolePermissionProposal': P.RemoveBlacklistedRolePermissionProposal,
  '/sekai.gov.v1.AssignRoleToAccountProposal': P.AssignRoleToAccountProposal,
  '/sekai.gov.v1.UnassignRoleFromAccountProposal': P.UnassignRoleFromAccountProposal,
  '/sekai.gov.v1.RemoveRoleProposal': P.RemoveRoleProposal,
  '/sekai.gov.v1.SetProposalDurationsProposal': P.SetProposalDurationsProposal,
  '/sekai.gov.v1.SoftwareUpgradeProposal': P.SoftwareUpgradeProposal,
  '/sekai.gov.v1.ProposalResetWholeValidatorRank': P.ProposalResetWholeValidatorRank,
  '/sekai.gov.v1.ProposalUnjailValidator': P.ProposalUnjailValidator,
  '/sekai.gov.v1.TextProposal': P.TextProposal,
  '/sekai.slashing.v1.ProposalResetWholeValidatorRank': SL.ProposalResetWholeValidatorRank,
  '/sekai.notarypay.v1.ProposalAddNotaryEra': NP.ProposalAddNotaryEra,
  '/sekai.notarypay.v1.ProposalRebindNotaryPayout': NP.ProposalRebindNotaryPayout,
};

const OPTS = {
  enums: { option: voteOptionToJSON, result: voteResultToJSON, property: networkPropertyToJSON, networkProperty: networkPropertyToJSON, status: councilorStatusToJSON },
  anyTypes: PROPOSAL_CONTENT_TYPES,
};

const json = (v: unknown) => protoJson(v, OPTS);

/** sekaid prints an actor's `Permissions` itself: both lists, always (empty with no standing). */
export const permissionsJson = (r: Q.QueryPermissionsResponse) => ({ blacklist: r.actor?.permissions?.blacklist ?? [], whitelist: r.actor?.permissions?.whitelist ?? [] });
export const rolesJson = (r: Q.QueryRolesResponse) => json(r);
export const roleJson = (r: Q.QueryRoleResponse) => json(r);
export const networkPropertiesJson = (r: Q.QueryNetworkPropertiesResponse) => json(r);
export const proposalsJson = (r: Q.QueryProposalsResponse) => json(r);
export const proposalJson = (r: Q.QueryProposalResponse) => json(r);
export const votesJson = (r: Q.QueryVotesResponse) => json(r);
export const councilorsJson = (r: Q.QueryCouncilorsResponse) => json(r);
