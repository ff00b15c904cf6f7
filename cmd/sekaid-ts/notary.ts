/**
 * Notary tooling:
 *   genesis add-notary <key> --name <n> [--era 1]        a keyring key (or 66-hex pubkey) joins a genesis era
 *   genesis set-notary-pay <amount> [--era 1] [--funding emission|burn-funded] [--start-time <unix s>]
 *   notary sign --height H --key <k>                     one notary's signature as JSON (app hash read from the node)
 *   notary run --keys k1,k2,… --every 5 [--from <relayer>] [--until H]
 *                                                        notarizes every N blocks with the keys it holds
 *
 * `notaryGenesisCommands` go under `genesis`, `notaryCommand` at the top level
 * (CliExtensions.commands).
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { readJsonFile, validateGenesisDoc, writeJsonFile, EMPTY_GENESIS_REGISTRY } from '../../node/config';
import { QueryErasRequest, QueryErasResponse, QueryLastNotarizationRequest, QueryLastNotarizationResponse } from '../../proto/gen/sekai/notarypay/v1/query';
import { signNotarization } from '../../x/notarypay';
import { abciQuery, appHashAt, broadcastWithKey, latestHeight, type NodeFlags } from '../../x/notarypay/client';
import { notarizeFromSignatures, type NotarySignatureJson } from '../../x/notarypay/cli';
import type { EraJson, FundingName, NotaryPayGenesisJson } from '../../x/notarypay/genesis';
import type { CliEnv } from './env';
import { ErrUsage } from './errors';
import { withKeyringFlags } from './keys';
import { DEFAULT_NODE } from './root';

type AppState = Record<string, unknown>;

function section(appState: AppState): NotaryPayGenesisJson {
  const s = appState.notarypay;
  if (s === undefined) return (appState.notarypay = { eras: [] }) as NotaryPayGenesisJson;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw ErrUsage.wrap('app_state.notarypay must be an object');
  return s as NotaryPayGenesisJson;
}

/** The era `index` (1-based) of the genesis section, created (with the eras before it) when missing. */
function eraOf(g: NotaryPayGenesisJson, index: number): EraJson {
  if (!Number.isInteger(index) || index < 1) throw ErrUsage.wrap(`--era must be a positive integer, got ${index}`);
  g.eras ??= [];
  if (index > g.eras.length + 1) throw ErrUsage.wrap(`era ${index} cannot be created before era ${g.eras.length + 1}`);
  if (index === g.eras.length + 1) {
    const prev = g.eras[index - 2];
    g.eras.push({ start_time: prev ? String(BigInt(prev.start_time) + 1n) : '0', pay: prev?.pay ?? '0', notaries: [] });
  }
  return g.eras[index - 1];
}

/** Adds a notary to a genesis era; refuses a duplicate name or key in that era. */
export function addGenesisNotary(appState: AppState, o: { name: string; pubKeyHex: string; era: number; payout?: string }): void {
  if (o.name.trim() === '') throw ErrUsage.wrap('--name must not be empty');
  if (!/^0[23][0-9a-f]{64}$/i.test(o.pubKeyHex)) throw ErrUsage.wrap('the notary key must be a 33-byte compressed secp256k1 key (66 hex digits)');
  const era = eraOf(section(appState), o.era);
  const pub = o.pubKeyHex.toLowerCase();
  if (era.notaries.some((n) => n.name === o.name)) throw ErrUsage.wrap(`era ${o.era} already has a notary named ${o.name}`);
  if (era.notaries.some((n) => n.pub_key.toLowerCase() === pub)) throw ErrUsage.wrap(`era ${o.era} already has this key`);
  era.notaries.push({ name: o.name, pub_key: pub, ...(o.payout ? { payout: o.payout } : {}) });
}

/** Sets an era's pay per notarization, and optionally the funding mode and start time. */
export function setGenesisNotaryPay(appState: AppState, o: { amount: string; era: number; funding?: string; startTime?: string }): void {
  if (!/^(0|[1-9][0-9]*)$/.test(o.amount)) throw ErrUsage.wrap(`amount must be a non-negative integer of base units, got ${o.amount}`);
  const g = section(appState);
  const era = eraOf(g, o.era);
  era.pay = o.amount;
  if (o.startTime !== undefined) {
    if (!/^(0|[1-9][0-9]*)$/.test(o.startTime)) throw ErrUsage.wrap(`--start-time must be unix seconds, got ${o.startTime}`);
    era.start_time = o.startTime;
  }
  if (o.funding !== undefined) {
    if (o.funding !== 'emission' && o.funding !== 'burn-funded') throw ErrUsage.wrap(`--funding must be emission or burn-funded, got ${o.funding}`);
    g.params = { ...g.params, funding: o.funding as FundingName };
  }
}

function editGenesis(env: CliEnv, edit: (appState: AppState) => void): void {
  const path = env.layout().genesis;
  const doc = validateGenesisDoc(readJsonFile(path), EMPTY_GENESIS_REGISTRY);
  edit(doc.app_state as AppState);
  writeJsonFile(path, doc);
}

export function notaryGenesisCommands(env: CliEnv): Command[] {
  const add = withKeyringFlags(
    new Command('add-notary')
      .description('Add a notary key to a genesis notary era')
      .argument('<key>', 'keyring key name, or a 66-hex compressed public key')
      .requiredOption('--name <name>', 'notary name')
      .option('--era <n>', 'era (1-based)', '1')
      .option('--payout <account>', 'payout account (default: the key’s own address until set-pubkey)'),
  ).action(async (keyRef: string, o: { name: string; era: string; payout?: string }, cmd: Command) => {
    const pubKeyHex = /^0[23][0-9a-fA-F]{64}$/.test(keyRef) ? keyRef : Buffer.from((await env.keyring(cmd).get(keyRef)).pubKey).toString('hex');
    editGenesis(env, (s) => addGenesisNotary(s, { name: o.name, pubKeyHex, era: Number(o.era), payout: o.payout }));
    env.print({ name: o.name, pub_key: pubKeyHex, era: Number(o.era) }, `Added notary ${o.name} to era ${o.era}`);
  });
  const pay = new Command('set-notary-pay')
    .description("Set a genesis era's pay per notarization (base units, split among signers)")
    .argument('<amount>', 'e.g. 1500000000')
    .option('--era <n>', 'era (1-based)', '1')
    .option('--funding <mode>', 'emission | burn-funded')
    .option('--start-time <seconds>', 'era start (unix seconds, block time)')
    .action((amount: string, o: { era: string; funding?: string; startTime?: string }) => {
      editGenesis(env, (s) => setGenesisNotaryPay(s, { amount, era: Number(o.era), funding: o.funding, startTime: o.startTime }));
      env.print({ era: Number(o.era), pay: amount }, `Era ${o.era} pays ${amount} per notarization`);
    });
  return [add, pay];
}

/** One notary's signature over (chain id, height, AppHash at height), as `tx notarypay notarize` reads it. */
export async function signAt(env: CliEnv, cmd: Command, keyName: string, node: string, height: number): Promise<NotarySignatureJson> {
  const keyring = env.keyring(cmd);
  const k = await keyring.get(keyName);
  const priv = Buffer.from(await keyring.exportPrivateKeyHex(k.name), 'hex');
  const { chainId, appHash } = await appHashAt(node, height);
  return {
    name: k.name,
    chain_id: chainId,
    height: String(height),
    app_hash: Buffer.from(appHash).toString('hex'),
    pub_key: Buffer.from(k.pubKey).toString('hex'),
    signature: Buffer.from(signNotarization(priv, chainId, height, appHash)).toString('hex'),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function notaryCommand(env: CliEnv): Command {
  const notary = new Command('notary').description('Notary tools: sign checkpoints, run a notary');
  notary.addCommand(
    withKeyringFlags(
      new Command('sign')
        .description("Print one notary's signature of the chain's AppHash at a height, as JSON")
        .requiredOption('--height <h>', 'height to notarize')
        .requiredOption('--key <name>', 'notary key in the keyring')
        .option('--node <url>', 'CometBFT RPC endpoint', DEFAULT_NODE)
        .option('--out <file>', 'write the JSON to a file instead of stdout'),
    ).action(async (o: { height: string; key: string; node: string; out?: string }, cmd: Command) => {
      if (!/^[1-9][0-9]*$/.test(o.height)) throw ErrUsage.wrap(`--height must be a positive integer, got ${o.height}`);
      const sig = await signAt(env, cmd, o.key, o.node, Number(o.height));
      if (o.out) writeFileSync(o.out, JSON.stringify(sig, null, 2) + '\n');
      else process.stdout.write(JSON.stringify(sig) + '\n');
    }),
  );
  notary.addCommand(
    withKeyringFlags(
      new Command('run')
        .description('Notarize every N blocks with every held key that belongs to the current era')
        .requiredOption('--keys <names>', 'comma-separated notary keys in the keyring')
        .option('--every <n>', 'blocks between notarizations', '5')
        .option('--from <key>', 'key that submits and pays the fee (default: the first notary key)')
        .option('--node <url>', 'CometBFT RPC endpoint', DEFAULT_NODE)
        .option('--fees <coins>', 'fee per notarization tx', '200ukex')
        .option('--until <height>', 'stop once this height is notarized')
        .option('--poll <ms>', 'poll interval', '500'),
    ).action(async (o: { keys: string; every: string; from?: string; node: string; fees: string; until?: string; poll: string }, cmd: Command) => {
      const names = o.keys.split(',').filter((x) => x !== '');
      if (names.length === 0) throw ErrUsage.wrap('--keys names no key');
      const every = Number(o.every);
      if (!Number.isInteger(every) || every < 1) throw ErrUsage.wrap(`--every must be a positive integer, got ${o.every}`);
      const keyring = env.keyring(cmd);
      const held = await Promise.all(names.map((nm) => keyring.get(nm)));
      const from = o.from ?? names[0];
      const flags: NodeFlags = { node: o.node, fees: o.fees, gas: '400000' };
      const until = o.until ? Number(o.until) : Infinity;
      for (;;) {
        const last = QueryLastNotarizationResponse.decode(await abciQuery(o.node, '/sekai.notarypay.v1.Query/LastNotarization', QueryLastNotarizationRequest.encode({}).finish()));
        const lastHeight = Number(last.state?.lastNotarizedHeight ?? 0n);
        if (lastHeight >= until) break;
        const latest = await latestHeight(o.node);
        const target = latest - 1; // the newest height whose AppHash is in a header
        if (target >= Math.max(1, lastHeight + every)) {
          const eras = QueryErasResponse.decode(await abciQuery(o.node, '/sekai.notarypay.v1.Query/Eras', QueryErasRequest.encode({}).finish()));
          const current = eras.eras.find((e) => e.index === eras.currentEra);
          const members = new Set((current?.notaries ?? []).map((x) => Buffer.from(x.pubKey).toString('hex')));
          const mine = held.filter((k) => members.has(Buffer.from(k.pubKey).toString('hex')));
          if (!eras.inGap && mine.length > 0) {
            const sigs = await Promise.all(mine.map((k) => signAt(env, cmd, k.name, o.node, target)));
            const sender = (await keyring.get(from)).address;
            const res = await broadcastWithKey(keyring, from, flags, [notarizeFromSignatures(sender, BigInt(target), sigs)]);
            env.print({ height: target, signers: mine.length, code: res.code, txhash: res.transactionHash }, `notarized ${target} with ${mine.length} signatures: code ${res.code} in block ${res.height}`);
          }
        }
        await sleep(Number(o.poll));
      }
    }),
  );
  return notary;
}
