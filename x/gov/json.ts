/**
 * The JSON that `query customgov …` prints: sekaid's shapes, every field present with its
 * default (a voter 0, `MIN_TX_FEE`, a proposer 0), snake_case names, enums by name, and a
 * proposal's content decoded to its message (`@type` plus fields) instead of base64.
 */
import { councilorStatusToJSON, voteOptionToJSON, voteResultToJSON } from '../../proto/gen/sekai/gov/v1/gov';
import { networkPropertyToJSON } from '../../proto/gen/sekai/gov/v1/network_properties';
import type * as Q from '../../proto/gen/sekai/gov/v1/query';
import { protoJson, type JsonCodec } from '../../client/protoJson';
import { sekaiTypes } from '../../client/registry';

let contentTypes: Record<string, JsonCodec> | undefined;

/**
 * Every proposal content type by type URL: the contents the client registry knows (each
 * module registers its generated messages and proposal contents there, client/registry.ts).
 */
export function proposalContentTypes(): Record<string, JsonCodec> {
  contentTypes ??= Object.fromEntries(sekaiTypes().entries());
  return contentTypes;
}

const ENUMS = { option: voteOptionToJSON, result: voteResultToJSON, property: networkPropertyToJSON, networkProperty: networkPropertyToJSON, status: councilorStatusToJSON };

const json = (v: unknown) => protoJson(v, { enums: ENUMS, anyTypes: proposalContentTypes() });

/** sekaid prints an actor's `Permissions` itself: both lists, always (empty with no standing). */
export const permissionsJson = (r: Q.QueryPermissionsResponse) => ({ blacklist: r.actor?.permissions?.blacklist ?? [], whitelist: r.actor?.permissions?.whitelist ?? [] });
export const rolesJson = (r: Q.QueryRolesResponse) => json(r);
export const roleJson = (r: Q.QueryRoleResponse) => json(r);
export const networkPropertiesJson = (r: Q.QueryNetworkPropertiesResponse) => json(r);
export const proposalsJson = (r: Q.QueryProposalsResponse) => json(r);
export const proposalJson = (r: Q.QueryProposalResponse) => json(r);
export const votesJson = (r: Q.QueryVotesResponse) => json(r);
export const councilorsJson = (r: Q.QueryCouncilorsResponse) => json(r);
