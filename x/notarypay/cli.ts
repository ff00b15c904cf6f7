/**
 * sekaid-ts commands of x/notarypay:
 *   tx notarypay notarize --height H --sigs a.json,b.json,…   (files written by `notary sign`)
 *   tx notarypay set-pubkey <payout>                          (--from the notary key; once)
 *   query notarypay info | send-many [amount] | iguana-json | era-heights
 *                 | last-notarization | proposer-tally <depth> | eras   [--height H: state at H]
 *
 * Both reach the node through the CLI's client (`chainClient`): every tx flag, and
 * abci_query at --height.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { MsgNotarize, MsgSetPubkey } from '../../proto/gen/sekai/notarypay/v1/tx';
import * as Q from '../../proto/gen/sekai/notarypay/v1/query';
import { CodedError } from '../../types/errors';
import { chainClient, type ModuleCliEnv } from '../../client/moduleClient';
import { NotaryPayTypeUrls } from './msgServer';

/** What `notary sign` prints: one notary's signature over (chain_id, height, app_hash). */
export interface NotarySignatureJson {
  name?: string;
  chain_id: string;
  height: string;
  app_hash: string;
  pub_key: string;
  signature: string;
}

const usage = (msg: string) => new CodedError('cli', 2, 'invalid usage', msg);

/** Builds MsgNotarize from signature files; they must agree on chain, height and app hash. */
export function notarizeFromSignatures(sender: string, height: bigint, sigs: NotarySignatureJson[]): EncodeObject {
  if (sigs.length === 0) throw usage('--sigs names no signature file');
  const first = sigs[0];
  for (const s of sigs) {
    if (BigInt(s.height) !== height) throw usage(`a signature is for height ${s.height}, not ${height}`);
    if (s.app_hash !== first.app_hash || s.chain_id !== first.chain_id) throw usage('the signatures disagree on the chain id or app hash');
  }
  const value = MsgNotarize.fromPartial({
    sender,
    height,
    appHash: Buffer.from(first.app_hash, 'hex'),
    signatures: sigs.map((s) => ({ pubKey: Buffer.from(s.pub_key, 'hex'), signature: Buffer.from(s.signature, 'hex') })),
  });
  return { typeUrl: NotaryPayTypeUrls.notarize, value };
}

function readSignature(file: string): NotarySignatureJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw usage(`${file}: ${(err as Error).message}`);
  }
  const s = parsed as Partial<NotarySignatureJson>;
  for (const f of ['chain_id', 'height', 'app_hash', 'pub_key', 'signature'] as const) {
    if (typeof s[f] !== 'string') throw usage(`${file}: missing ${f}`);
  }
  return s as NotarySignatureJson;
}

function fromOf(cmd: Command): string {
  const from = (cmd.optsWithGlobals() as { from?: string }).from;
  if (!from) throw usage('--from is required: the key that signs');
  return from;
}

export function notaryPayTxCommand(env: ModuleCliEnv): Command {
  const tx = new Command('notarypay').description('Notarize the chain and bind notary payouts');
  const submit = async (cmd: Command, build: (sender: string) => EncodeObject) => {
    const client = await chainClient(env, cmd, fromOf(cmd));
    const res = await client.broadcast([build((await client.fromKey()).address)]);
    env.print(res);
  };
  tx.command('notarize')
    .description('Submit a notarization from signature files written by `notary sign`')
    .requiredOption('--height <height>', 'notarized height')
    .requiredOption('--sigs <files>', 'comma-separated signature files')
    .action(async (o: { height: string; sigs: string }, cmd: Command) => {
      if (!/^[1-9][0-9]*$/.test(o.height)) throw usage(`--height must be a positive integer, got ${o.height}`);
      const sigs = o.sigs.split(',').filter((f) => f !== '').map(readSignature);
      await submit(cmd, (sender) => notarizeFromSignatures(sender, BigInt(o.height), sigs));
    });
  tx.command('set-pubkey <payout>')
    .description('Bind the payout account of the --from notary key (only once; governance rebinds)')
    .action(async (payout: string, _o, cmd: Command) => {
      await submit(cmd, (sender) => ({ typeUrl: NotaryPayTypeUrls.setPubkey, value: MsgSetPubkey.fromPartial({ sender, payout }) }));
    });
  return tx;
}

interface Codec<T> {
  encode(m: T): { finish(): Uint8Array };
  decode(b: Uint8Array): T;
  toJSON(m: T): unknown;
}

async function run<Req, Res>(env: ModuleCliEnv, cmd: Command, method: string, reqCodec: Codec<Req>, req: Req, resCodec: Codec<Res>): Promise<void> {
  const client = await chainClient(env, cmd);
  const res = resCodec.decode(await client.query(`/sekai.notarypay.v1.Query/${method}`, reqCodec.encode(req).finish()));
  const json = resCodec.toJSON(res);
  env.print(json);
}

export function notaryPayQueryCommand(env: ModuleCliEnv): Command {
  const q = new Command('notarypay').description('Notary pay: Komodo-style notary RPCs');
  q.command('info').alias('notary-pay-info').description('Burn balance, total pay and estimates (getnotarypayinfo)')
    .action((_o, cmd: Command) => run(env, cmd, 'NotaryPayInfo', Q.QueryNotaryPayInfoRequest, {}, Q.QueryNotaryPayInfoResponse));
  q.command('send-many [amount]').alias('notary-send-many').description('Payout address → amount for the current era (getnotarysendmany)')
    .action((amount: string | undefined, _o, cmd: Command) => run(env, cmd, 'NotarySendMany', Q.QueryNotarySendManyRequest, { amount: amount ?? '0' }, Q.QueryNotarySendManyResponse));
  q.command('iguana-json').description("Current era's minsigs and notaries (getiguanajson)")
    .action((_o, cmd: Command) => run(env, cmd, 'IguanaJson', Q.QueryIguanaJsonRequest, {}, Q.QueryIguanaJsonResponse));
  q.command('era-heights').description('First height of each era (geterablockheights)')
    .action((_o, cmd: Command) => run(env, cmd, 'EraHeights', Q.QueryEraHeightsRequest, {}, Q.QueryEraHeightsResponse));
  q.command('last-notarization').description('The latest checkpoint')
    .action((_o, cmd: Command) => run(env, cmd, 'LastNotarization', Q.QueryLastNotarizationRequest, {}, Q.QueryLastNotarizationResponse));
  q.command('proposer-tally <depth>').description('Who proposed the last <depth> blocks (getlastsegidstakes)')
    .action((depth: string, _o, cmd: Command) => {
      if (!/^[1-9][0-9]*$/.test(depth)) throw usage(`depth must be a positive integer, got ${depth}`);
      return run(env, cmd, 'ProposerTally', Q.QueryProposerTallyRequest, { depth: BigInt(depth) }, Q.QueryProposerTallyResponse);
    });
  q.command('eras').description('Every era, the parameters and bound payouts')
    .action((_o, cmd: Command) => run(env, cmd, 'Eras', Q.QueryErasRequest, {}, Q.QueryErasResponse));
  return q;
}
