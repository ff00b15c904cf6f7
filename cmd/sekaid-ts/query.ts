/**
 * `status` and the chain-level queries under `query`: block, tx, txs, account. Module queries
 * are the modules' own subcommands (they go through abci_query with the module's codecs).
 * Every call goes through the node's CometBFT RPC with @cosmjs/tendermint-rpc.
 */
import { Command } from 'commander';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { ErrNotFound, abciQuery, getTx, searchTxs, sekaiTypes, withMessage, withNode } from '../../client';
import type { SekaidEnv } from './env';
import { ErrUsage } from './errors';
import { nodeOf, withNodeFlag } from './txFlags';

export function queryRoot(): Command {
  return withNodeFlag(new Command('query').alias('q').description('Query the chain state')).option(
    '--height <height>',
    'query the state at this height (default: latest)',
  );
}

interface QueryFlags {
  node: string;
  height?: number;
}

export function readQueryFlags(cmd: Command): QueryFlags {
  const o = cmd.optsWithGlobals() as { height?: string };
  let height: number | undefined;
  if (o.height !== undefined) {
    if (!/^\d+$/.test(o.height)) throw ErrUsage.wrap(`--height must be a non-negative integer, got "${o.height}"`);
    height = Number(o.height);
  }
  return { node: nodeOf(cmd), height };
}

/** Prints JSON as the SDK prints node JSON: compact with --output json, indented otherwise. */
function printNodeJson(env: SekaidEnv, value: unknown): void {
  process.stdout.write((env.output() === 'json' ? JSON.stringify(value) : JSON.stringify(value, null, 2)) + '\n');
}

/** `status`: CometBFT's status result, as `sekaid status` prints it. */
export function statusCommand(env: SekaidEnv): Command {
  return withNodeFlag(new Command('status').description("The node's status: network, latest block, validator")).action(async (_o: unknown, cmd: Command) => {
    const { node } = readQueryFlags(cmd);
    printNodeJson(env, await withNode(node, (c) => c.raw('status')));
  });
}

/** Turns `--events 'a.b=c&d.e=f'` (the SDK's form) into CometBFT's `a.b='c' AND d.e='f'`. */
export function eventsToQuery(events: string): string {
  const parts = events.split(/&|\s+AND\s+/).map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) throw ErrUsage.wrap('--events needs at least one type.attribute=value');
  return parts
    .map((p) => {
      const m = /^([^=\s]+?\.[^=\s]+)\s*=\s*(.+)$/.exec(p);
      if (!m) throw ErrUsage.wrap(`event "${p}" must look like type.attribute=value, e.g. message.sender=kira1…`);
      const value = m[2].replace(/^'(.*)'$/, '$1');
      if (value.includes("'")) throw ErrUsage.wrap(`event value in "${p}" must not contain a quote`);
      return `${m[1]}='${value}'`;
    })
    .join(' AND ');
}

/** The `block`, `tx`, `txs` and `account` queries, added to the `query` root. */
export function addChainQueries(env: SekaidEnv, query: Command): void {
  query
    .command('block')
    .description('A block by height (default: latest), as CometBFT returns it')
    .argument('[height]')
    .action(async (heightArg: string | undefined, _o: unknown, cmd: Command) => {
      const { node, height } = readQueryFlags(cmd);
      const h = heightArg ?? (height === undefined ? undefined : String(height));
      if (h !== undefined && !/^\d+$/.test(h)) throw ErrUsage.wrap(`block height must be a positive integer, got "${h}"`);
      printNodeJson(env, await withNode(node, (c) => c.raw('block', h === undefined ? {} : { height: h })));
    });

  query
    .command('tx')
    .description('A committed tx by hash, as the Cosmos SDK TxResponse')
    .argument('<hash>', 'tx hash (64 hex characters)')
    .action(async (hash: string, _o: unknown, cmd: Command) => {
      const { node } = readQueryFlags(cmd);
      env.print(await withNode(node, (c) => getTx(c, sekaiTypes(), hash)));
    });

  query
    .command('txs')
    .description("Search committed txs by events, e.g. --events 'message.sender=kira1…&message.action=/cosmos.bank.v1beta1.MsgSend'")
    .option('--events <events>', "events joined by &, each type.attribute=value")
    .option('--query <query>', "a CometBFT query instead, e.g. \"tx.height>5 AND message.module='bank'\"")
    .option('--page <n>', 'page of results', '1')
    .option('--limit <n>', 'results per page (at most 100)', '30')
    .action(async (opts: { events?: string; query?: string; page: string; limit: string }, cmd: Command) => {
      const { node } = readQueryFlags(cmd);
      if (!opts.events === !opts.query) throw ErrUsage.wrap('give exactly one of --events or --query');
      const page = Number(opts.page);
      const limit = Number(opts.limit);
      if (!Number.isInteger(page) || page < 1) throw ErrUsage.wrap(`--page must be a positive integer, got "${opts.page}"`);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw ErrUsage.wrap(`--limit must be between 1 and 100, got "${opts.limit}"`);
      const q = opts.query ?? eventsToQuery(opts.events!);
      env.print(await withNode(node, (c) => searchTxs(c, sekaiTypes(), q, page, limit)));
    });

  query
    .command('account')
    .description('The auth account of an address: account number, sequence, public key')
    .argument('<address>')
    .action(async (address: string, _o: unknown, cmd: Command) => {
      const { node, height } = readQueryFlags(cmd);
      const res = await withNode(node, async (c) => {
        try {
          return QueryAccountResponse.decode(await abciQuery(c, '/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode({ address }).finish(), { height }));
        } catch (err) {
          if (err instanceof Error && /NotFound/.test(err.message)) throw withMessage(ErrNotFound, `account ${address} not found: it has never received funds`);
          throw err;
        }
      });
      const acc = res.account && BaseAccount.decode(res.account.value);
      if (!acc) throw withMessage(ErrNotFound, `account ${address} not found`);
      env.print({
        '@type': res.account!.typeUrl,
        address: acc.address,
        pub_key: acc.pubKey ? sekaiTypes().anyToJson(acc.pubKey.typeUrl, acc.pubKey.value) : null,
        account_number: acc.accountNumber.toString(),
        sequence: acc.sequence.toString(),
      });
    });
}
