/**
 * sekaid-ts commands of x/bridge:
 *   tx bridge attest <chain> <event-id> <event-json> | withdraw <chain> <asset> <dest-wallet> <amount>
 *            | approve <chain> <action-id> | processor-approve <chain> <action-id>
 *            | override <chain> <action-id> (--skip | --replacement <body-json>) | override confirm <chain> <override-id>
 *            | revert <chain> <event-id> | propose (--new-set <json> | --migrate <chain>:<code> | --upgrade <version>)
 *            | approve-proposal <id> | self-replace <processor|listener|approver> <new-key-hex>
 *   query bridge config | chains | events <chain> | actions <chain> | pending-withdrawals <chain> | proposals | history
 *
 * Signatures over actions and admin changes are made here with the --from key (the
 * bridge validator key); created_ms is the client's clock (or --created-ms), checked by
 * the chain against the block time.
 */
import { Command } from 'commander';
import {
  ActionBody,
  AdminPayload,
  BridgeEvent,
  Role,
  actionStatusToJSON,
  eventStatusToJSON,
  roleToJSON,
  type ValidatorSet,
} from '../../proto/gen/sekai/bridge/v1/bridge';
import * as Q from '../../proto/gen/sekai/bridge/v1/query';
import * as Tx from '../../proto/gen/sekai/bridge/v1/tx';
import { CodedError } from '../../types/errors';
import { chainClient, type ChainClient, type CliEnv } from '../../client';
import { adminBytes, selfReplaceBytes, signBridgeBytes } from './payload';
import { BridgeQueryPaths } from './queryServer';
import { BridgeTypeUrls } from './msgServer';
import { sortKeys } from './validatorSet';
import { nowMs } from '../../client/clock';
import { protoJson, type ProtoJsonOptions } from '../../client/protoJson';

const usage = (msg: string) => new CodedError('cli', 2, 'invalid usage', msg);

const KEY_HEX = /^0[23][0-9a-fA-F]{64}$/;

/** Bytes fields in JSON: a 66-hex-digit key, or base64 as protobuf JSON writes them. */
function bytesJson(v: unknown): unknown {
  return typeof v === 'string' && KEY_HEX.test(v) ? Buffer.from(v, 'hex').toString('base64') : v;
}

/**
 * A bridge event from JSON, e.g.
 *   {"regular": {"wallet": "eth:0x…", "funds": [{"denom": "usdc", "amount": "1000"}], "keys": ["02…"]}}
 *   {"instantiated": {"contract": "0x…"}}   {"action_executed": {"action_id": "3"}}
 *   {"balance_sync": {"holdings": [{"denom": "usdc", "amount": "5000"}]}}
 */
export function eventFromJson(json: unknown): BridgeEvent {
  if (json === null || typeof json !== 'object') throw usage('an event is a JSON object');
  const o = json as Record<string, unknown>;
  const regular = o.regular as Record<string, unknown> | undefined;
  const fixed = regular && Array.isArray(regular.keys) ? { ...o, regular: { ...regular, keys: regular.keys.map(bytesJson) } } : o;
  return BridgeEvent.fromJSON(fixed);
}

/** A validator set from JSON with hex keys (keys are sorted here). */
export function validatorSetFromCli(json: unknown): ValidatorSet {
  const o = json as { processor?: string; listeners?: string[]; needed_listeners?: number; approvers?: string[]; needed_approvers?: number };
  const key = (k: unknown, what: string) => {
    if (typeof k !== 'string' || !KEY_HEX.test(k)) throw usage(`${what}: a 66-hex-digit compressed secp256k1 key`);
    return Buffer.from(k, 'hex');
  };
  return {
    processor: key(o.processor, 'processor'),
    listeners: sortKeys((o.listeners ?? []).map((k, i) => key(k, `listeners[${i}]`))),
    neededListeners: Number(o.needed_listeners ?? 0),
    approvers: sortKeys((o.approvers ?? []).map((k, i) => key(k, `approvers[${i}]`))),
    neededApprovers: Number(o.needed_approvers ?? 0),
  };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw usage(`${what}: ${(err as Error).message}`);
  }
}

function uint(text: string, what: string): bigint {
  if (!/^(0|[1-9][0-9]{0,19})$/.test(text)) throw usage(`${what} must be an unsigned integer, got ${text}`);
  return BigInt(text);
}

export function roleFromName(name: string): Role {
  const r = { processor: Role.ROLE_PROCESSOR, listener: Role.ROLE_LISTENER, approver: Role.ROLE_APPROVER }[name];
  if (r === undefined) throw usage(`role must be processor, listener or approver, got ${name}`);
  return r;
}

/** What a command needs: the signer's address, its private key, query and broadcast. */
export interface BridgeSession {
  client: ChainClient;
  address: string;
  priv: Uint8Array;
}

export async function bridgeSession(env: CliEnv, cmd: Command): Promise<BridgeSession> {
  const client = await chainClient(env, cmd);
  const key = await client.fromKey();
  return { client, address: key.address, priv: await client.privateKey(key.name) };
}

/** created_ms of a message made now: the client's clock, kept out of x/ (the chain checks it). */
export { nowMs };

async function send(env: CliEnv, s: BridgeSession, typeUrl: string, value: Uint8Array): Promise<void> {
  const res = await s.client.broadcast([{ typeUrl, value }]);
  env.print(res);
}

export async function queryAction(client: ChainClient, chain: string, actionId: bigint) {
  const res = Q.QueryActionsResponse.decode(await client.query(BridgeQueryPaths.actions, Q.QueryActionsRequest.encode({ chain, startId: actionId, limit: 1 }).finish()));
  const a = res.actions[0];
  if (!a || a.actionId !== actionId) throw usage(`action ${actionId} on ${chain} does not exist`);
  return a;
}

async function historyLength(client: ChainClient): Promise<bigint> {
  return Q.QueryConfigResponse.decode(await client.query(BridgeQueryPaths.config, Q.QueryConfigRequest.encode({}).finish())).historyLength;
}

export function bridgeTxCommand(env: CliEnv): Command {
  const tx = new Command('bridge').description('Bridge messages: attestations, withdrawals, approvals, overrides, reverts, admin');
  tx.command('attest <chain> <event-id> <event-json>')
    .description('As a listener, attest an event of a bridge contract')
    .action(async (chain: string, id: string, json: string, _o, cmd: Command) => {
      const s = await bridgeSession(env, cmd);
      const m = Tx.MsgListenerAttest.fromPartial({ sender: s.address, chain, eventId: uint(id, 'event-id'), event: eventFromJson(parseJson(json, 'event')), createdMs: createdOf(cmd) });
      await send(env, s, BridgeTypeUrls.attest, Tx.MsgListenerAttest.encode(m).finish());
    });
  tx.command('withdraw <chain> <asset> <dest-wallet> <amount>')
    .description('Burn <amount> of local denom <asset> and send it to <dest-wallet> on <chain>')
    .action(async (chain: string, asset: string, dest: string, amount: string, _o, cmd: Command) => {
      const s = await bridgeSession(env, cmd);
      const m = Tx.MsgWithdraw.fromPartial({ sender: s.address, chain, asset, destWallet: dest, amount });
      await send(env, s, BridgeTypeUrls.withdraw, Tx.MsgWithdraw.encode(m).finish());
    });
  for (const [name, processor] of [['approve', false], ['processor-approve', true]] as const) {
    tx.command(`${name} <chain> <action-id>`)
      .description(processor ? 'As the processor, complete the next action' : "As an approver, sign an action's payload")
      .action(async (chain: string, id: string, _o, cmd: Command) => {
        const s = await bridgeSession(env, cmd);
        const actionId = uint(id, 'action-id');
        const a = await queryAction(s.client, chain, actionId);
        const fields = { sender: s.address, chain, actionId, signature: signBridgeBytes(s.priv, a.payload), createdMs: createdOf(cmd) };
        if (processor) await send(env, s, BridgeTypeUrls.processorApprove, Tx.MsgProcessorApprove.encode(Tx.MsgProcessorApprove.fromPartial(fields)).finish());
        else await send(env, s, BridgeTypeUrls.approve, Tx.MsgApprove.encode(Tx.MsgApprove.fromPartial(fields)).finish());
      });
  }
  const override = tx.command('override').description('Hard override of a stuck action');
  override
    .command('propose <chain> <action-id>')
    .description('As an approver, propose to skip or replace the lowest pending action')
    .option('--skip', 'skip the action')
    .option('--replacement <body-json>', 'ActionBody JSON, e.g. {"transfer": {...}}')
    .action(async (chain: string, id: string, o: { skip?: boolean; replacement?: string }, cmd: Command) => {
      if (!o.skip === !o.replacement) throw usage('give either --skip or --replacement');
      const s = await bridgeSession(env, cmd);
      const replacement = o.replacement ? ActionBody.fromJSON(parseJson(o.replacement, '--replacement')) : undefined;
      const m = Tx.MsgProposeOverride.fromPartial({ sender: s.address, chain, actionId: uint(id, 'action-id'), skip: !!o.skip, replacement, createdMs: createdOf(cmd) });
      await send(env, s, BridgeTypeUrls.proposeOverride, Tx.MsgProposeOverride.encode(m).finish());
    });
  override
    .command('confirm <chain> <override-id>')
    .description('As an approver, confirm an override; as the processor, apply it')
    .action(async (chain: string, id: string, _o, cmd: Command) => {
      const s = await bridgeSession(env, cmd);
      const m = Tx.MsgConfirmOverride.fromPartial({ sender: s.address, chain, overrideId: uint(id, 'override-id'), createdMs: createdOf(cmd) });
      await send(env, s, BridgeTypeUrls.confirmOverride, Tx.MsgConfirmOverride.encode(m).finish());
    });
  tx.command('revert <chain> <event-id>')
    .description("As a listener, vote to revert the chain's last event; as the processor, confirm it")
    .action(async (chain: string, id: string, _o, cmd: Command) => {
      const s = await bridgeSession(env, cmd);
      const m = Tx.MsgRevertEvent.fromPartial({ sender: s.address, chain, eventId: uint(id, 'event-id'), createdMs: createdOf(cmd) });
      await send(env, s, BridgeTypeUrls.revertEvent, Tx.MsgRevertEvent.encode(m).finish());
    });
  tx.command('propose')
    .description('Propose an admin change (signed by --from)')
    .option('--new-set <json>', '{"processor": hex, "listeners": [hex], "needed_listeners": n, "approvers": [hex], "needed_approvers": n}')
    .option('--migrate <chain:code>', 'migrate a chain contract to new code')
    .option('--upgrade <version>', 'set the chain version')
    .action(async (o: { newSet?: string; migrate?: string; upgrade?: string }, cmd: Command) => {
      const given = [o.newSet, o.migrate, o.upgrade].filter((x) => x !== undefined).length;
      if (given !== 1) throw usage('give exactly one of --new-set, --migrate, --upgrade');
      let payload: AdminPayload;
      if (o.newSet) payload = { newSet: validatorSetFromCli(parseJson(o.newSet, '--new-set')) };
      else if (o.migrate) {
        const i = o.migrate.indexOf(':');
        if (i <= 0) throw usage('--migrate is <chain>:<new code>');
        payload = { migrateContract: { chain: o.migrate.slice(0, i), newCode: o.migrate.slice(i + 1) } };
      } else payload = { upgrade: { desiredVersion: o.upgrade! } };
      const s = await bridgeSession(env, cmd);
      const signature = signBridgeBytes(s.priv, adminBytes(await chainIdOf(cmd), await historyLength(s.client), payload));
      const m = Tx.MsgProposeAdmin.fromPartial({ sender: s.address, payload, signature, createdMs: createdOf(cmd) });
      await send(env, s, BridgeTypeUrls.proposeAdmin, Tx.MsgProposeAdmin.encode(m).finish());
    });
  tx.command('approve-proposal <id>')
    .description('Approve a pending admin proposal (signed by --from)')
    .action(async (id: string, _o, cmd: Command) => {
      const s = await bridgeSession(env, cmd);
      const proposalId = uint(id, 'id');
      const list = Q.QueryProposalsResponse.decode(await s.client.query(BridgeQueryPaths.proposals, Q.QueryProposalsRequest.encode({}).finish())).proposals;
      const p = list.find((x) => x.id === proposalId);
      if (!p) throw usage(`proposal ${proposalId} is not pending`);
      const signature = signBridgeBytes(s.priv, adminBytes(await chainIdOf(cmd), await historyLength(s.client), p.payload!));
      const m = Tx.MsgApproveAdmin.fromPartial({ sender: s.address, proposalId, signature, createdMs: createdOf(cmd) });
      await send(env, s, BridgeTypeUrls.approveAdmin, Tx.MsgApproveAdmin.encode(m).finish());
    });
  tx.command('self-replace <role> <new-key-hex>')
    .description('Replace the --from key in one group by a new key, at once')
    .action(async (role: string, newKey: string, _o, cmd: Command) => {
      if (!KEY_HEX.test(newKey)) throw usage('new key: a 66-hex-digit compressed secp256k1 key');
      const s = await bridgeSession(env, cmd);
      const current = Buffer.from((await s.client.fromKey()).pubKey);
      const change = { role: roleFromName(role), current, replacement: Buffer.from(newKey, 'hex') };
      const signature = signBridgeBytes(s.priv, selfReplaceBytes(await chainIdOf(cmd), await historyLength(s.client), change));
      const m = Tx.MsgSelfReplace.fromPartial({ sender: s.address, role: change.role, replacement: change.replacement, signature, createdMs: createdOf(cmd) });
      await send(env, s, BridgeTypeUrls.selfReplace, Tx.MsgSelfReplace.encode(m).finish());
    });
  tx.option('--chain-id <id>', 'chain id the admin signatures are bound to');
  tx.option('--created-ms <unix-ms>', 'stamp created_ms with this time instead of the clock (a message signed ahead of sending); the chain refuses it more than 2 minutes from the block time');
  return tx;
}

/** created_ms of a message: --created-ms when given, else the client's clock. */
export function createdOf(cmd: Command): bigint {
  const { createdMs } = cmd.optsWithGlobals() as { createdMs?: string };
  return createdMs === undefined ? nowMs() : uint(createdMs, '--created-ms');
}

async function chainIdOf(cmd: Command): Promise<string> {
  const { chainId } = cmd.optsWithGlobals() as { chainId?: string };
  if (!chainId) throw usage('--chain-id is required: admin signatures are bound to the chain id');
  return chainId;
}

interface Codec<T> {
  encode(m: T): { finish(): Uint8Array };
  decode(b: Uint8Array): T;
}

/** Enum fields spelled out by name; `status` is an event's or an action's, by response. */
const EVENT_JSON = { enums: { status: eventStatusToJSON, role: roleToJSON } };
const ACTION_JSON = { enums: { status: actionStatusToJSON, role: roleToJSON } };

/**
 * Prints a query response as every other module's `--output json` does: every field with its
 * default, under its proto (snake_case) name. `--replacement` takes an action body in this
 * form back (the generated fromJSON reads both spellings).
 */
async function run<Req, Res>(env: CliEnv, cmd: Command, path: string, reqCodec: Codec<Req>, req: Req, resCodec: Codec<Res>, opts: ProtoJsonOptions = EVENT_JSON): Promise<void> {
  const client = await chainClient(env, cmd);
  env.print(protoJson(resCodec.decode(await client.query(path, reqCodec.encode(req).finish())), opts));
}

export function bridgeQueryCommand(env: CliEnv): Command {
  const q = new Command('bridge').description('Bridge state: validator set, chains, events, actions, queue, proposals, history');
  q.command('config').description('The bridge validator set').action((_o, cmd: Command) => run(env, cmd, BridgeQueryPaths.config, Q.QueryConfigRequest, {}, Q.QueryConfigResponse));
  q.command('chains').description('External chains and their counters and balances').action((_o, cmd: Command) => run(env, cmd, BridgeQueryPaths.chains, Q.QueryChainsRequest, {}, Q.QueryChainsResponse));
  q.command('events <chain>')
    .description("A chain's events (and reverted ones)")
    .option('--start <id>', 'first event id', '0')
    .option('--limit <n>', 'at most n events', '100')
    .action((chain: string, o: { start: string; limit: string }, cmd: Command) =>
      run(env, cmd, BridgeQueryPaths.events, Q.QueryEventsRequest, { chain, startId: uint(o.start, '--start'), limit: Number(uint(o.limit, '--limit')) }, Q.QueryEventsResponse),
    );
  q.command('actions <chain>')
    .description("A chain's actions and open overrides")
    .option('--start <id>', 'first action id', '0')
    .option('--limit <n>', 'at most n actions', '100')
    .action((chain: string, o: { start: string; limit: string }, cmd: Command) =>
      run(env, cmd, BridgeQueryPaths.actions, Q.QueryActionsRequest, { chain, startId: uint(o.start, '--start'), limit: Number(uint(o.limit, '--limit')) }, Q.QueryActionsResponse, ACTION_JSON),
    );
  q.command('pending-withdrawals <chain>')
    .description("A chain's withdrawal queue")
    .action((chain: string, _o, cmd: Command) => run(env, cmd, BridgeQueryPaths.pendingWithdrawals, Q.QueryPendingWithdrawalsRequest, { chain }, Q.QueryPendingWithdrawalsResponse));
  q.command('proposals').description('Pending admin proposals').action((_o, cmd: Command) => run(env, cmd, BridgeQueryPaths.proposals, Q.QueryProposalsRequest, {}, Q.QueryProposalsResponse));
  q.command('history').description('The validator-set history from genesis').action((_o, cmd: Command) => run(env, cmd, BridgeQueryPaths.history, Q.QueryHistoryRequest, {}, Q.QueryHistoryResponse));
  return q;
}
