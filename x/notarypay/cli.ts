/**
 * sekaid-ts commands of x/notarypay:
 *   tx notarypay notarize --height H --sigs a.json,b.json,…   (files written by `notary sign`)
 *   tx notarypay set-pubkey <payout>                          (--from the notary key; once)
 *   tx notarypay proposal add-era --index --start-time --pay --notaries | rebind-payout <pubkey> <payout>
 *   query notarypay info | send-many [amount] | iguana-json | era-heights
 *                 | last-notarization | proposer-tally <depth> | eras   [--height H: state at H]
 *                 | notary-tally [depth]            (from the node's tx index, up to --height)
 *   Komodo's RPC names are aliases: getnotarypayinfo, getnotarysendmany, getiguanajson,
 *   geterablockheights, getlastsegidstakes.
 *
 * JSON output has every field with its default, under its proto (snake_case) name.
 *
 * Both reach the node through the CLI's client (`chainClient`): every tx flag, and
 * abci_query at --height.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { MsgNotarize, MsgSetPubkey } from '../../proto/gen/sekai/notarypay/v1/tx';
import { fundingModeToJSON, ProposalAddNotaryEra, ProposalRebindNotaryPayout } from '../../proto/gen/sekai/notarypay/v1/notarypay';
import { MsgSubmitProposal } from '../../proto/gen/sekai/gov/v1/tx';
import { ADD_NOTARY_ERA_TYPE_URL, REBIND_NOTARY_PAYOUT_TYPE_URL } from './proposals';
import * as Q from '../../proto/gen/sekai/notarypay/v1/query';
import { CodedError } from '../../types/errors';
import { chainClient, type ChainClient, type CliEnv } from '../../client';
import { protoJson } from '../../client/protoJson';
import { notaryAddress } from './keeper';
import { NotaryPayTypeUrls } from './msgServer';
import { notarizationOf, tallyNotaries, type NotarizationRecord, type SearchedTx } from './tally';
import { NotaryPayEvents } from './types/events';

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

export function notaryPayTxCommand(env: CliEnv): Command {
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
  addNotaryProposalCommands(tx, submit);
  tx.command('set-pubkey <payout>')
    .description('Bind the payout account of the --from notary key (only once; governance rebinds)')
    .action(async (payout: string, _o, cmd: Command) => {
      await submit(cmd, (sender) => ({ typeUrl: NotaryPayTypeUrls.setPubkey, value: MsgSetPubkey.fromPartial({ sender, payout }) }));
    });
  return tx;
}

/** Content of a governance proposal, wrapped in x/gov's MsgSubmitProposal by the proposer. */
function submitProposal(proposer: string, o: { title: string; description: string }, typeUrl: string, content: Uint8Array): EncodeObject {
  return {
    typeUrl: '/sekai.gov.v1.MsgSubmitProposal',
    value: MsgSubmitProposal.fromPartial({ proposer, title: o.title, description: o.description, content: { typeUrl, value: Buffer.from(content) } }),
  };
}

/** `--notaries name:pubkeyhex,…` */
export function parseNotaries(text: string): { name: string; pubKey: Buffer }[] {
  return text.split(',').filter((x) => x !== '').map((entry) => {
    const i = entry.lastIndexOf(':');
    const name = entry.slice(0, i);
    const hex = entry.slice(i + 1);
    if (i <= 0 || !/^(02|03)[0-9a-fA-F]{64}$/.test(hex)) throw usage(`--notaries entry ${JSON.stringify(entry)}: expected name:<33-byte compressed secp256k1 key, hex>`);
    return { name, pubKey: Buffer.from(hex, 'hex') };
  });
}

/**
 * `tx notarypay proposal add-era | rebind-payout`: the two notary proposal types, raised
 * through x/gov (permission 70) without hand-built JSON.
 */
function addNotaryProposalCommands(tx: Command, submit: (cmd: Command, build: (sender: string) => EncodeObject) => Promise<void>): void {
  const proposal = tx.command('proposal').description('Governance proposals of notary pay (permission 70 to raise, 71 to vote)');
  proposal
    .command('add-era')
    .description('Propose ProposalAddNotaryEra: a notary set from --start-time (unix seconds) paid --pay per notarization')
    .requiredOption('--index <n>', 'the new era\'s index: the last era\'s + 1 (query notarypay eras)')
    .requiredOption('--start-time <unix>', 'block time from which the era is in force')
    .requiredOption('--pay <amount>', 'pay per notarization, in base units of the pay denom')
    .requiredOption('--notaries <list>', 'name:pubkeyhex,… (compressed secp256k1 keys)')
    .requiredOption('--title <t>')
    .requiredOption('--description <d>')
    .action(async (o: { index: string; startTime: string; pay: string; notaries: string; title: string; description: string }, cmd: Command) => {
      for (const [flag, v] of [['--index', o.index], ['--start-time', o.startTime], ['--pay', o.pay]] as const) {
        if (!/^\d+$/.test(v)) throw usage(`${flag} must be an unsigned integer, got ${v}`);
      }
      const era = { index: Number(o.index), startTime: BigInt(o.startTime), pay: o.pay, notaries: parseNotaries(o.notaries) };
      await submit(cmd, (sender) =>
        submitProposal(sender, o, ADD_NOTARY_ERA_TYPE_URL, ProposalAddNotaryEra.encode(ProposalAddNotaryEra.fromPartial({ proposer: sender, description: o.description, era })).finish()),
      );
    });
  proposal
    .command('rebind-payout <pubkey> <payout>')
    .description('Propose ProposalRebindNotaryPayout: pay the notary key <pubkey> (hex) to <payout>')
    .requiredOption('--title <t>')
    .requiredOption('--description <d>')
    .action(async (pubkey: string, payout: string, o: { title: string; description: string }, cmd: Command) => {
      if (!/^(02|03)[0-9a-fA-F]{64}$/.test(pubkey)) throw usage(`pubkey must be a 33-byte compressed secp256k1 key in hex, got ${pubkey}`);
      await submit(cmd, (sender) =>
        submitProposal(
          sender,
          o,
          REBIND_NOTARY_PAYOUT_TYPE_URL,
          ProposalRebindNotaryPayout.encode({ proposer: sender, description: o.description, pubKey: Buffer.from(pubkey, 'hex'), payout }).finish(),
        ),
      );
    });
}

interface Codec<T> {
  encode(m: T): { finish(): Uint8Array };
  decode(b: Uint8Array): T;
}

const JSON_OPTS = { enums: { funding: fundingModeToJSON } };

async function ask<Req, Res>(client: ChainClient, method: string, reqCodec: Codec<Req>, req: Req, resCodec: Codec<Res>): Promise<Res> {
  return resCodec.decode(await client.query(`/sekai.notarypay.v1.Query/${method}`, reqCodec.encode(req).finish()));
}

async function run<Req, Res>(env: CliEnv, cmd: Command, method: string, reqCodec: Codec<Req>, req: Req, resCodec: Codec<Res>): Promise<void> {
  env.print(protoJson(await ask(await chainClient(env, cmd), method, reqCodec, req, resCodec), JSON_OPTS));
}

function rpcOf(client: ChainClient): NonNullable<ChainClient['rpc']> {
  if (!client.rpc) throw usage('this client cannot reach the node\'s RPC (tx_search, status)');
  return client.rpc.bind(client);
}

/** The height a command reads at: --height, else the node's latest. */
async function heightOf(client: ChainClient, cmd: Command): Promise<number> {
  const { height } = cmd.optsWithGlobals() as { height?: string };
  if (height !== undefined) return Number(height);
  const status = (await rpcOf(client)('status')) as { sync_info: { latest_block_height: string } };
  return Number(status.sync_info.latest_block_height);
}

/** Per page of tx_search: CometBFT's maximum. */
const SEARCH_PAGE = 100;

/** Every accepted notarization in blocks from..to, read from the node's tx index. */
export async function searchNotarizations(client: ChainClient, from: number, to: number): Promise<NotarizationRecord[]> {
  const rpc = rpcOf(client);
  const query = `${NotaryPayEvents.notarization}.era EXISTS AND tx.height>=${from} AND tx.height<=${to}`;
  const out: NotarizationRecord[] = [];
  for (let page = 1; ; page++) {
    const res = (await rpc('tx_search', { query, page: String(page), per_page: String(SEARCH_PAGE), order_by: 'asc' })) as { txs: SearchedTx[]; total_count: string };
    for (const t of res.txs) {
      const r = notarizationOf(t);
      if (r) out.push(r);
    }
    if (res.txs.length < SEARCH_PAGE || page * SEARCH_PAGE >= Number(res.total_count)) return out;
  }
}

/**
 * getiguanajson's shape: Komodo's iguana config fields where they mean something here.
 * `port` is the P2P port of the node asked and `seeds` the IPs of its peers (where another
 * node finds the network); `minsigs` the signatures a notarization needs and `BTCminsigs`
 * the same number, since notarizations are written to this chain, not to a parent chain;
 * `notaries` is Komodo's list of {name: pubkey}.
 */
async function iguanaJson(client: ChainClient): Promise<Record<string, unknown>> {
  const res = await ask(client, 'IguanaJson', Q.QueryIguanaJsonRequest, {}, Q.QueryIguanaJsonResponse);
  const rpc = rpcOf(client);
  const status = (await rpc('status')) as { node_info?: { listen_addr?: string } };
  const net = (await rpc('net_info')) as { peers?: { remote_ip?: string }[] };
  const port = Number(/:(\d+)$/.exec(status.node_info?.listen_addr ?? '')?.[1] ?? 0);
  // eslint-disable-next-line determinism/no-unordered-iteration -- sorted right here
  const seeds = [...new Set((net.peers ?? []).map((p) => p.remote_ip ?? '').filter((ip) => ip !== ''))].sort();
  const minsigs = Number(res.minsigs);
  return { era: res.era, in_gap: res.inGap, port, BTCminsigs: minsigs, minsigs, seeds, notaries: res.notaries.map((n) => ({ [n.name]: n.pubkey })) };
}

export function notaryPayQueryCommand(env: CliEnv): Command {
  const q = new Command('notarypay').description('Notary pay: Komodo-style notary RPCs');
  q.command('info').aliases(['notary-pay-info', 'getnotarypayinfo']).description('Burn balance, total pay and estimates (getnotarypayinfo)')
    .action((_o, cmd: Command) => run(env, cmd, 'NotaryPayInfo', Q.QueryNotaryPayInfoRequest, {}, Q.QueryNotaryPayInfoResponse));
  q.command('send-many [amount]').aliases(['notary-send-many', 'getnotarysendmany']).description('Payout address → amount for the current era (getnotarysendmany)')
    .action((amount: string | undefined, _o, cmd: Command) => run(env, cmd, 'NotarySendMany', Q.QueryNotarySendManyRequest, { amount: amount ?? '0' }, Q.QueryNotarySendManyResponse));
  q.command('iguana-json').alias('getiguanajson').description("Current era's notaries, minsigs, the node's P2P port and peers (getiguanajson)")
    .action(async (_o, cmd: Command) => env.print(await iguanaJson(await chainClient(env, cmd))));
  q.command('era-heights').alias('geterablockheights').description('First height of each era (geterablockheights)')
    .action((_o, cmd: Command) => run(env, cmd, 'EraHeights', Q.QueryEraHeightsRequest, {}, Q.QueryEraHeightsResponse));
  q.command('last-notarization').description('The latest checkpoint')
    .action((_o, cmd: Command) => run(env, cmd, 'LastNotarization', Q.QueryLastNotarizationRequest, {}, Q.QueryLastNotarizationResponse));
  q.command('proposer-tally <depth>').alias('getlastsegidstakes').description('Who proposed the last <depth> blocks (getlastsegidstakes)')
    .action((depth: string, _o, cmd: Command) => {
      if (!/^[1-9][0-9]*$/.test(depth)) throw usage(`depth must be a positive integer, got ${depth}`);
      return run(env, cmd, 'ProposerTally', Q.QueryProposerTallyRequest, { depth: BigInt(depth) }, Q.QueryProposerTallyResponse);
    });
  q.command('notary-tally [depth]')
    .description('Per notary: notarizations signed and pay earned, over the last [depth] blocks or the whole chain (getnotarysendmany as history)')
    .action(async (depth: string | undefined, _o, cmd: Command) => {
      if (depth !== undefined && !/^[1-9][0-9]*$/.test(depth)) throw usage(`depth must be a positive integer, got ${depth}`);
      const client = await chainClient(env, cmd);
      const to = await heightOf(client, cmd);
      const from = depth === undefined ? 1 : Math.max(1, to - Number(depth) + 1);
      const eras = await ask(client, 'Eras', Q.QueryErasRequest, {}, Q.QueryErasResponse);
      const bound = new Map(eras.payouts.map((p) => [Buffer.from(p.pubKey).toString('hex'), p.payout]));
      const payoutOf = (pk: Uint8Array) => bound.get(Buffer.from(pk).toString('hex')) ?? notaryAddress(pk);
      const records = await searchNotarizations(client, from, to);
      env.print(tallyNotaries(eras.eras, payoutOf, records, { from, to, denom: eras.params?.denom ?? '' }));
    });
  q.command('eras').description('Every era, the parameters and bound payouts')
    .action((_o, cmd: Command) => run(env, cmd, 'Eras', Q.QueryErasRequest, {}, Q.QueryErasResponse));
  return q;
}
