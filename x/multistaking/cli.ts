/**
 * CLI of x/multistaking, in sekaid's shape:
 *
 *   sekaid-ts tx multistaking delegate <kiravaloper…> <amount>      e.g. 1000000ukex
 *   sekaid-ts tx multistaking undelegate <kiravaloper…> <amount>
 *   sekaid-ts tx multistaking claim-rewards
 *   sekaid-ts tx multistaking claim-commission --val-addr <kiravaloper…>   (from the withdraw account)
 *   sekaid-ts query multistaking vault <kiravaloper…> | vaults | delegations <addr> | rewards <addr> | pool
 */
import { protoJson } from '../../client/protoJson';
import { Command } from 'commander';
import {
  MsgClaimCommission,
  MsgClaimRewards,
  MsgDelegate,
  MsgUndelegate,
} from '../../proto/gen/sekai/multistaking/v1/tx';
import {
  QueryDelegationsRequest,
  QueryDelegationsResponse,
  QueryPoolRequest,
  QueryPoolResponse,
  QueryRewardsRequest,
  QueryRewardsResponse,
  QueryVaultRequest,
  QueryVaultResponse,
  QueryVaultsRequest,
  QueryVaultsResponse,
} from '../../proto/gen/sekai/multistaking/v1/query';
import { broadcast, pageRequest, query, senderOf, withPageFlags, type CliEnv, type EncodedMsg } from '../../client/cliEnv';
import { TypeUrls } from './msgServer';
import { QueryPaths } from './queryServer';

export function delegateMsg(sender: string, valKey: string, amount: string): EncodedMsg {
  return { typeUrl: TypeUrls.delegate, value: MsgDelegate.encode({ sender, valKey, amount }).finish() };
}
export function undelegateMsg(sender: string, valKey: string, amount: string): EncodedMsg {
  return { typeUrl: TypeUrls.undelegate, value: MsgUndelegate.encode({ sender, valKey, amount }).finish() };
}
export function claimRewardsMsg(sender: string): EncodedMsg {
  return { typeUrl: TypeUrls.claimRewards, value: MsgClaimRewards.encode({ sender }).finish() };
}
export function claimCommissionMsg(sender: string, valKey: string): EncodedMsg {
  return { typeUrl: TypeUrls.claimCommission, value: MsgClaimCommission.encode({ sender, valKey }).finish() };
}

export function multistakingTxCommand(env: CliEnv): Command {
  const tx = new Command('multistaking').description('Delegate ukex to validators and claim rewards (x/multistaking)');
  tx.command('delegate <validator> <amount>')
    .description('Delegate ukex to a validator (kiravaloper…); undelegation waits MIN_DELEGATION_PERIOD')
    .action(async (validator: string, amount: string, _o: unknown, cmd: Command) => {
      await broadcast(env, cmd, [delegateMsg(await senderOf(env, cmd), validator, amount)]);
    });
  tx.command('undelegate <validator> <amount>')
    .description('Take delegated ukex back, MIN_DELEGATION_PERIOD after the latest delegation')
    .action(async (validator: string, amount: string, _o: unknown, cmd: Command) => {
      await broadcast(env, cmd, [undelegateMsg(await senderOf(env, cmd), validator, amount)]);
    });
  tx.command('claim-rewards')
    .description('Claim every reward your delegations accrued')
    .action(async (_o: unknown, cmd: Command) => {
      await broadcast(env, cmd, [claimRewardsMsg(await senderOf(env, cmd))]);
    });
  tx.command('claim-commission')
    .description("Claim a validator's commission; --from must be its withdraw account")
    .requiredOption('--val-addr <kiravaloper>', 'the validator')
    .action(async (o: { valAddr: string }, cmd: Command) => {
      await broadcast(env, cmd, [claimCommissionMsg(await senderOf(env, cmd), o.valAddr)]);
    });
  return tx;
}

export function multistakingQueryCommand(env: CliEnv): Command {
  const q = new Command('multistaking').description('Query vaults, delegations and rewards (x/multistaking)');
  q.command('vault <validator>')
    .description("A validator's vault: shares, delegated ukex, delegators, reward per share, commission")
    .action(async (valKey: string, _o: unknown, cmd: Command) => {
      const res = await query(env, cmd, QueryPaths.vault, QueryVaultRequest.encode({ valKey }).finish(), (b) => QueryVaultResponse.decode(b));
      env.print(protoJson(res));
    });
  withPageFlags(q.command('vaults').description('Every vault in operator-address order')).action(
    async (o: { limit?: string; offset?: string; pageKey?: string; countTotal?: boolean; reverse?: boolean }, cmd: Command) => {
      const res = await query(env, cmd, QueryPaths.vaults, QueryVaultsRequest.encode({ pagination: pageRequest(o) }).finish(), (b) => QueryVaultsResponse.decode(b));
      env.print(protoJson(res));
    },
  );
  q.command('delegations <delegator>')
    .description("A delegator's delegations with their ukex value and claimable rewards")
    .action(async (delegator: string, _o: unknown, cmd: Command) => {
      const res = await query(env, cmd, QueryPaths.delegations, QueryDelegationsRequest.encode({ delegator }).finish(), (b) => QueryDelegationsResponse.decode(b));
      env.print(protoJson(res));
    });
  q.command('rewards <delegator>')
    .description('Claimable rewards per validator, their total, and commission claimable as a withdraw account')
    .action(async (delegator: string, _o: unknown, cmd: Command) => {
      const res = await query(env, cmd, QueryPaths.rewards, QueryRewardsRequest.encode({ delegator }).finish(), (b) => QueryRewardsResponse.decode(b));
      env.print(protoJson(res));
    });
  q.command('pool')
    .description('The community pool, dust, and inflation minted')
    .action(async (_o: unknown, cmd: Command) => {
      const res = await query(env, cmd, QueryPaths.pool, QueryPoolRequest.encode({}).finish(), (b) => QueryPoolResponse.decode(b));
      env.print(protoJson(res));
    });
  return q;
}
