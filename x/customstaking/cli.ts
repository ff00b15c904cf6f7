/**
 * CLI of the validator modules: message builders (pure, tested) and commander commands.
 *
 *   sekaid-ts tx customstaking claim-validator-seat --moniker <m> [--pubkey '<Cosmos JSON>'] [--commission-rate 0.05] [--deposit 10000ukex --withdraw-account <kira…>]
 *   sekaid-ts tx customstaking deposit --amount 5000ukex [--withdraw-account <kira…>]
 *   sekaid-ts tx customstaking withdraw --val-addr <kiravaloper…> --amount 5000ukex   (from the withdraw account)
 *   sekaid-ts tx customstaking commission init --rate 0.05 | commission finalize
 *   sekaid-ts tx customstaking unjail
 *   sekaid-ts query customstaking validator --addr <kira…> | --val-addr <kiravaloper…> | --moniker <m>
 *   sekaid-ts query customstaking validators [--status ACTIVE] [--limit n --offset n --page-key b64 --count-total]
 *     (sekaid's shape: {validators: [{address, valkey, pubkey, proposer, moniker, status, rank,
 *     streak, mischance, identity}], actors, pagination})
 *
 * Signing and broadcasting belong to the CLI (client/cliEnv.ts): a command hands its
 * messages to `broadcast(env, cmd, msgs)` and reads state through `query(env, cmd, …)`.
 */
import { Command, Option } from 'commander';
import { broadcast, pageRequest, query, senderOf, withPageFlags, type CliEnv, type EncodedMsg } from '../../client/cliEnv';
import { CodedError } from '../../types/errors';
import { MsgClaimValidator, MsgDeposit, MsgFinalizeCommissionChange, MsgInitCommissionChange, MsgUnjail, MsgWithdraw } from '../../proto/gen/sekai/staking/v1/tx';
import { QueryValidatorRequest, QueryValidatorResponse, QueryValidatorsRequest, QueryValidatorsResponse } from '../../proto/gen/sekai/staking/v1/query';
import { QuerySigningInfosRequest, QuerySigningInfosResponse } from '../../proto/gen/sekai/slashing/v1/query';
import { addressToBech32, consAddressFromEd25519 } from '../../crypto/address';
import { parsePubKeyArg, queryValidatorJson, validatorToJson } from './json';
import { TypeUrls } from './msgServer';
import { QueryPaths } from './queryServer';
import { ErrCliUsage } from './types/errors';

export function claimValidatorMsg(sender: string, moniker: string, pubKey: Uint8Array, commissionRate = '', deposit = '', withdrawAccount = ''): EncodedMsg {
  return {
    typeUrl: TypeUrls.claimValidator,
    value: MsgClaimValidator.encode({ sender, moniker, pubKey: Buffer.from(pubKey), commissionRate, deposit, withdrawAccount }).finish(),
  };
}
export function depositMsg(sender: string, amount: string, withdrawAccount = '', valKey = ''): EncodedMsg {
  return { typeUrl: TypeUrls.deposit, value: MsgDeposit.encode({ sender, valKey, amount, withdrawAccount }).finish() };
}
export function withdrawMsg(sender: string, valKey: string, amount: string): EncodedMsg {
  return { typeUrl: TypeUrls.withdraw, value: MsgWithdraw.encode({ sender, valKey, amount }).finish() };
}
export function initCommissionMsg(sender: string, rate: string, valKey = ''): EncodedMsg {
  return { typeUrl: TypeUrls.initCommissionChange, value: MsgInitCommissionChange.encode({ sender, valKey, rate }).finish() };
}
export function finalizeCommissionMsg(sender: string, valKey = ''): EncodedMsg {
  return { typeUrl: TypeUrls.finalizeCommissionChange, value: MsgFinalizeCommissionChange.encode({ sender, valKey }).finish() };
}
export function unjailMsg(sender: string, valKey = ''): EncodedMsg {
  return { typeUrl: TypeUrls.unjail, value: MsgUnjail.encode({ sender, valKey }).finish() };
}

/** The CLI's --pubkey default: the home's consensus key, as `comet show-validator` prints it. */
function homePubKey(env: CliEnv): Uint8Array {
  if (!env.consensusPubKey) throw ErrCliUsage.wrap('--pubkey is required: this environment has no node home');
  return env.consensusPubKey();
}

function pubKeyOption(text: string | undefined, env: CliEnv): Uint8Array {
  if (text === undefined) return homePubKey(env);
  try {
    return parsePubKeyArg(text);
  } catch (err) {
    throw ErrCliUsage.wrap(err instanceof CodedError || err instanceof Error ? err.message : String(err));
  }
}

export function stakingTxCommand(env: CliEnv): Command {
  const tx = new Command('customstaking').description('Validator seats, commission and jail (x/customstaking)');
  tx.command('claim-validator-seat')
    .description("Claim a validator seat (needs permission 2, PermClaimValidator); --pubkey defaults to the home's consensus key")
    .requiredOption('--moniker <moniker>', 'unique validator name')
    .option('--pubkey <json>', 'consensus key as Cosmos JSON, as `sekaid-ts comet show-validator` prints it')
    .option('--commission-rate <rate>', 'initial commission, a decimal in [0, 1]', '')
    .option('--deposit <amount>', 'ukex to deposit, e.g. 10000000ukex (at least MIN_VALIDATOR_DEPOSIT)', '')
    .option('--withdraw-account <kira>', 'the only account that may withdraw the deposit; fixed once set (keep its key off the validator box)', '')
    .action(async (o: { moniker: string; pubkey?: string; commissionRate: string; deposit: string; withdrawAccount: string }, cmd: Command) => {
      const sender = await senderOf(env, cmd);
      await broadcast(env, cmd, [claimValidatorMsg(sender, o.moniker, pubKeyOption(o.pubkey, env), o.commissionRate, o.deposit, o.withdrawAccount)]);
    });
  tx.command('deposit')
    .description("Add ukex to the --from account's validator deposit (restarts the MIN_DELEGATION_PERIOD wait)")
    .requiredOption('--amount <amount>', 'ukex, e.g. 5000ukex')
    .option('--withdraw-account <kira>', 'sets the withdraw account of a seat that has none; never replaces one', '')
    .action(async (o: { amount: string; withdrawAccount: string }, cmd: Command) => {
      await broadcast(env, cmd, [depositMsg(await senderOf(env, cmd), o.amount, o.withdrawAccount)]);
    });
  tx.command('withdraw')
    .description("Withdraw from a validator's deposit to its withdraw account; --from must be that withdraw account")
    .requiredOption('--val-addr <kiravaloper>', 'the validator whose deposit is withdrawn')
    .requiredOption('--amount <amount>', 'ukex, e.g. 5000ukex')
    .action(async (o: { valAddr: string; amount: string }, cmd: Command) => {
      await broadcast(env, cmd, [withdrawMsg(await senderOf(env, cmd), o.valAddr, o.amount)]);
    });
  const commission = tx.command('commission').description('Two-step commission change (init, then finalize after COMMISSION_CHANGE_DELAY)');
  commission
    .command('init')
    .description('Record a pending commission rate; restarts the delay')
    .requiredOption('--rate <rate>', 'new commission, a decimal in [0, 1], e.g. 0.05')
    .option('--val-addr <kiravaloper>', 'validator (default: the --from account\'s own)', '')
    .action(async (o: { rate: string; valAddr: string }, cmd: Command) => {
      await broadcast(env, cmd, [initCommissionMsg(await senderOf(env, cmd), o.rate, o.valAddr)]);
    });
  commission
    .command('finalize')
    .description('Apply the pending commission rate once the delay has passed')
    .option('--val-addr <kiravaloper>', 'validator (default: the --from account\'s own)', '')
    .action(async (o: { valAddr: string }, cmd: Command) => {
      await broadcast(env, cmd, [finalizeCommissionMsg(await senderOf(env, cmd), o.valAddr)]);
    });
  tx.command('unjail')
    .description('Leave jail after JAIL_PERIOD (the validator becomes INACTIVE; then `tx customslashing activate`)')
    .option('--val-addr <kiravaloper>', 'validator (default: the --from account\'s own)', '')
    .action(async (o: { valAddr: string }, cmd: Command) => {
      await broadcast(env, cmd, [unjailMsg(await senderOf(env, cmd), o.valAddr)]);
    });
  return tx;
}

/** Every validator's mischance by consensus address, from x/customslashing's signing infos (all pages). */
async function mischances(env: CliEnv, cmd: Command): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  let key: Buffer = Buffer.alloc(0);
  for (;;) {
    const data = QuerySigningInfosRequest.encode({ pagination: { key, offset: 0n, limit: 0n, countTotal: false, reverse: false } }).finish();
    const res = await query(env, cmd, '/sekai.slashing.v1.Query/SigningInfos', data, (b) => QuerySigningInfosResponse.decode(b));
    for (const i of res.infos) out.set(addressToBech32('consensus', i.address), i.mischance);
    if (!res.pagination?.nextKey.length) return out;
    key = res.pagination.nextKey;
  }
}

export function stakingQueryCommand(env: CliEnv): Command {
  const q = new Command('customstaking').description('Query validators (x/customstaking)');
  q.command('validator')
    .description('One validator by --addr, --val-addr or --moniker (sekai JSON shape)')
    .addOption(new Option('--addr <kira>', 'operator account address'))
    .addOption(new Option('--val-addr <kiravaloper>', 'validator operator address'))
    .addOption(new Option('--moniker <moniker>', 'validator moniker'))
    .addOption(new Option('--cons-addr <kiravalcons>', 'consensus address'))
    .action(async (o: { addr?: string; valAddr?: string; moniker?: string; consAddr?: string }, cmd: Command) => {
      const req = QueryValidatorRequest.fromPartial({ addr: o.addr, valAddr: o.valAddr, moniker: o.moniker, consAddr: o.consAddr });
      if ([req.addr, req.valAddr, req.moniker, req.consAddr].filter((s) => s !== '').length !== 1) {
        throw ErrCliUsage.wrap('give exactly one of --addr, --val-addr, --moniker, --cons-addr');
      }
      const res = await query(env, cmd, QueryPaths.validator, QueryValidatorRequest.encode(req).finish(), (b) => QueryValidatorResponse.decode(b));
      env.print(res.validator ? validatorToJson(res.validator) : null);
    });
  withPageFlags(
    q.command('validators')
      .description('Validators in operator-address order, optionally by --status')
      .option('--status <status>', 'ACTIVE | INACTIVE | PAUSED | JAILED', ''),
  ).action(async (o: { status: string; limit?: string; offset?: string; pageKey?: string; countTotal?: boolean; reverse?: boolean }, cmd: Command) => {
    const req = { status: o.status, pagination: pageRequest(o) };
    const res = await query(env, cmd, QueryPaths.validators, QueryValidatorsRequest.encode(req).finish(), (b) => QueryValidatorsResponse.decode(b));
    const mischance = await mischances(env, cmd);
    env.print({
      validators: res.validators.map((v) => queryValidatorJson(v, mischance.get(addressToBech32('consensus', consAddressFromEd25519(v.pubKey))) ?? 0n)),
      actors: res.actors,
      pagination: { next_key: res.pagination?.nextKey.length ? res.pagination.nextKey.toString('base64') : null, total: (res.pagination?.total ?? 0n).toString() },
    });
  });
  return q;
}
