/**
 * CLI of x/customslashing, exactly as KIRA's operators type it:
 *
 *   sekaid-ts tx customslashing pause --from "$ACCOUNT" --chain-id=$NETWORK_NAME --keyring-backend=test \
 *     --home=$SEKAID_HOME --fees 100ukex --yes --broadcast-mode=async --log_format=json --output=json
 *   (likewise unpause and activate)
 *   sekaid-ts tx customslashing proposal-reset-whole-validator-rank --title <t> --description <d> --from …
 *   sekaid-ts query customslashing signing-info <kiravalcons…> | signing-infos
 *
 * The reset proposal is wrapped in x/gov's MsgSubmitProposal (`submitProposal`, client/cliEnv.ts).
 */
import { Command } from 'commander';
import { MsgActivate, MsgPause, MsgUnpause } from '../../proto/gen/sekai/slashing/v1/tx';
import { ProposalResetWholeValidatorRank } from '../../proto/gen/sekai/slashing/v1/slashing';
import { QuerySigningInfoRequest, QuerySigningInfoResponse, QuerySigningInfosRequest, QuerySigningInfosResponse } from '../../proto/gen/sekai/slashing/v1/query';
import { broadcast, pageRequest, query, senderOf, submitProposal, withPageFlags, type CliEnv, type EncodedMsg } from '../../client/cliEnv';
import { signingInfoToJson } from './json';
import { TypeUrls } from './msgServer';
import { RESET_RANK_TYPE_URL } from './proposals';
import { QueryPaths } from './queryServer';

export function pauseMsg(sender: string, valKey = ''): EncodedMsg {
  return { typeUrl: TypeUrls.pause, value: MsgPause.encode({ sender, valKey }).finish() };
}
export function unpauseMsg(sender: string, valKey = ''): EncodedMsg {
  return { typeUrl: TypeUrls.unpause, value: MsgUnpause.encode({ sender, valKey }).finish() };
}
export function activateMsg(sender: string, valKey = ''): EncodedMsg {
  return { typeUrl: TypeUrls.activate, value: MsgActivate.encode({ sender, valKey }).finish() };
}
export function resetRankContent(proposer: string, description: string): EncodedMsg {
  return { typeUrl: RESET_RANK_TYPE_URL, value: ProposalResetWholeValidatorRank.encode({ proposer, description }).finish() };
}

export function slashingTxCommand(env: CliEnv): Command {
  const tx = new Command('customslashing').description('Pause, unpause and activate validators; reset ranks (x/customslashing)');
  const operator = (name: string, description: string, build: (sender: string, valKey: string) => EncodedMsg) =>
    tx
      .command(name)
      .description(description)
      .option('--val-addr <kiravaloper>', "validator (default: the --from account's own)", '')
      .action(async (o: { valAddr: string }, cmd: Command) => {
        await broadcast(env, cmd, [build(await senderOf(env, cmd), o.valAddr)]);
      });
  operator('pause', 'Leave consensus for maintenance (ACTIVE → PAUSED); the rank is kept', pauseMsg);
  operator('unpause', 'Return to consensus after a pause (PAUSED → ACTIVE)', unpauseMsg);
  operator('activate', 'Return to consensus after downtime (INACTIVE → ACTIVE) once inactive_until has passed', activateMsg);
  tx.command('proposal-reset-whole-validator-rank')
    .description('Propose resetting every rank, streak and signing counter (permission 26; statuses unchanged)')
    .requiredOption('--title <title>', 'proposal title')
    .requiredOption('--description <description>', 'proposal description')
    .action(async (o: { title: string; description: string }, cmd: Command) => {
      const proposer = await senderOf(env, cmd);
      await submitProposal(env, cmd, { title: o.title, description: o.description, content: resetRankContent(proposer, o.description) });
    });
  return tx;
}

export function slashingQueryCommand(env: CliEnv): Command {
  const q = new Command('customslashing').description('Query signing info (x/customslashing)');
  q.command('signing-info')
    .description("A validator's rank counters by consensus address")
    .argument('<cons-address>', 'kiravalcons… address')
    .action(async (consAddress: string, _o: unknown, cmd: Command) => {
      const data = QuerySigningInfoRequest.encode({ consAddress }).finish();
      const res = await query(env, cmd, QueryPaths.signingInfo, data, (b) => QuerySigningInfoResponse.decode(b));
      env.print(res.info ? signingInfoToJson(res.info) : null);
    });
  withPageFlags(q.command('signing-infos').description("Every validator's rank counters")).action(
    async (o: { limit?: string; offset?: string; pageKey?: string; countTotal?: boolean; reverse?: boolean }, cmd: Command) => {
      const data = QuerySigningInfosRequest.encode({ pagination: pageRequest(o) }).finish();
      const res = await query(env, cmd, QueryPaths.signingInfos, data, (b) => QuerySigningInfosResponse.decode(b));
      env.print({
        infos: res.infos.map(signingInfoToJson),
        pagination: { next_key: res.pagination?.nextKey.length ? res.pagination.nextKey.toString('base64') : null, total: (res.pagination?.total ?? 0n).toString() },
      });
    },
  );
  return q;
}
