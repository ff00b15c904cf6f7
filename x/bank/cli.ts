/**
 * sekaid-ts commands of x/bank:
 *   tx bank send <from> <to> <coins>     (<to>: id, name, address or wallet; resolved on chain)
 *   query bank balances <id | name | address>
 *   query bank total
 */
import { Command } from 'commander';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { QueryAllBalancesRequest, QueryAllBalancesResponse, QueryTotalSupplyRequest, QueryTotalSupplyResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { parseCoins } from '../../types/coins';
import { chainClient, type CliEnv } from '../../client';

export function buildSend(from: string, to: string, coins: string): EncodeObject {
  return { typeUrl: MsgSend.typeUrl, value: MsgSend.fromPartial({ fromAddress: from, toAddress: to, amount: parseCoins(coins).toProto() }) };
}

export function bankTxCommand(env: CliEnv): Command {
  const tx = new Command('bank').description('Send coins');
  tx.command('send <from> <to> <coins>')
    .description('Send coins from a keyring key to an account id, name, address or wallet')
    .action(async (from: string, to: string, coins: string, _o, cmd: Command) => {
      const client = await chainClient(env, cmd, from);
      const key = await client.fromKey();
      const res = await client.broadcast([buildSend(key.address, to, coins)]);
      env.print(res);
    });
  return tx;
}

export function bankQueryCommand(env: CliEnv): Command {
  const q = new Command('bank').description('Query balances and supply');
  q.command('balances <ref>')
    .description('Balances of an account id, name or address')
    .action(async (ref: string, _o, cmd: Command) => {
      const client = await chainClient(env, cmd);
      const res = QueryAllBalancesResponse.decode(await client.query('/cosmos.bank.v1beta1.Query/AllBalances', QueryAllBalancesRequest.encode(QueryAllBalancesRequest.fromPartial({ address: ref })).finish()));
      env.print({ balances: res.balances });
    });
  q.command('total')
    .description('Total supply of every denom')
    .action(async (_o, cmd: Command) => {
      const client = await chainClient(env, cmd);
      const res = QueryTotalSupplyResponse.decode(await client.query('/cosmos.bank.v1beta1.Query/TotalSupply', QueryTotalSupplyRequest.encode(QueryTotalSupplyRequest.fromPartial({})).finish()));
      env.print({ supply: res.supply });
    });
  return q;
}
