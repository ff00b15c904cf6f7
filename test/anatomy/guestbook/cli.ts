/** `tx guestbook sign <text>` and `query guestbook entry <account>`. */
import { Command } from 'commander';
import { broadcast, query, senderOf, type CliEnv } from '../../../client/cliEnv';
import { MsgSign, QueryEntryRequest, QueryEntryResponse, TypeUrls } from './types/codec';

export function guestbookTxCommand(env: CliEnv): Command {
  const tx = new Command('guestbook').description('guestbook transactions');
  tx.command('sign <text>').action(async (text: string, _o: unknown, cmd: Command) =>
    broadcast(env, cmd, [{ typeUrl: TypeUrls.sign, value: MsgSign.encode({ signer: await senderOf(env, cmd), text }).finish() }]));
  return tx;
}

export function guestbookQueryCommand(env: CliEnv): Command {
  const q = new Command('guestbook').description('guestbook queries');
  q.command('entry <account>').action(async (account: string, _o: unknown, cmd: Command) =>
    env.print(await query(env, cmd, TypeUrls.queryEntry, QueryEntryRequest.encode({ account }).finish(), (b) => QueryEntryResponse.decode(b))));
  return q;
}
