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
import { abciQuery, connectNode, sekaiTypes, signAndBroadcast, withNode, type NodeConnection, type SigningKey } from '../../client';
import { directSigner } from '../../keyring';
import { QueryErasRequest, QueryErasResponse, QueryLastNotarizationRequest, QueryLastNotarizationResponse } from '../../proto/gen/sekai/notarypay/v1/query';
import { parseCoins } from '../../types/coins';
import { signNotarization, notarizeFromSignatures, type EraJson, type FundingName, type NotaryPayGenesisJson, type NotarySignatureJson } from '../../x/notarypay';
import type { SekaidEnv } from './env';
import { ErrUsage } from './errors';
import { withKeyringFlags } from './keys';
import { nodeOf, nodeOption } from './txFlags';

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

function editGenesis(env: SekaidEnv, edit: (appState: AppState) => void): void {
  const path = env.layout().genesis;
  const doc = validateGenesisDoc(readJsonFile(path), EMPTY_GENESIS_REGISTRY);
  edit(doc.app_state as AppState);
  writeJsonFile(path, doc);
}

export function notaryGenesisCommands(env: SekaidEnv): Command[] {
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
    env.print({ name: o.name, pub_key: pubKeyHex, era: Number(o.era) });
  });
  const pay = new Command('set-notary-pay')
    .description("Set a genesis era's pay per notarization (base units, split among signers)")
    .argument('<amount>', 'e.g. 1500000000')
    .option('--era <n>', 'era (1-based)', '1')
    .option('--funding <mode>', 'emission | burn-funded')
    .option('--start-time <seconds>', 'era start (unix seconds, block time)')
    .action((amount: string, o: { era: string; funding?: string; startTime?: string }) => {
      editGenesis(env, (s) => setGenesisNotaryPay(s, { amount, era: Number(o.era), funding: o.funding, startTime: o.startTime }));
      env.print({ era: Number(o.era), pay: amount });
    });
  return [add, pay];
}

/** The chain id, the latest height, and the AppHash committed at `height` (header of height+1). */
export async function appHashAt(conn: NodeConnection, height: number): Promise<{ chainId: string; latest: number; appHash: Uint8Array }> {
  const status = await conn.call((c) => c.status());
  const latest = status.syncInfo.latestBlockHeight;
  if (height + 1 > latest) throw ErrUsage.wrap(`the app hash of height ${height} is known from block ${height + 1}; the node is at ${latest}`);
  // The latest header's app hash is in the status already; older ones come from their header.
  const appHash =
    height + 1 === latest ? status.syncInfo.latestAppHash : (await conn.call((c) => c.blockchain(height + 1, height + 1))).blockMetas[0].header.appHash;
  return { chainId: status.nodeInfo.network, latest, appHash };
}

interface NotaryKey {
  name: string;
  pubKey: Uint8Array;
  privKey: Uint8Array;
}

async function loadKey(env: SekaidEnv, cmd: Command, name: string): Promise<NotaryKey> {
  const keyring = env.keyring(cmd);
  const k = await keyring.get(name);
  return { name: k.name, pubKey: k.pubKey, privKey: Uint8Array.from(Buffer.from(await keyring.exportPrivateKeyHex(k.name), 'hex')) };
}

function signatureOf(k: NotaryKey, chainId: string, height: number, appHash: Uint8Array): NotarySignatureJson {
  return {
    name: k.name,
    chain_id: chainId,
    height: String(height),
    app_hash: Buffer.from(appHash).toString('hex'),
    pub_key: Buffer.from(k.pubKey).toString('hex'),
    signature: Buffer.from(signNotarization(k.privKey, chainId, height, appHash)).toString('hex'),
  };
}

/** One notary's signature over (chain id, height, AppHash at height), as `tx notarypay notarize` reads it. */
export async function signAt(env: SekaidEnv, cmd: Command, keyName: string, node: string, height: number): Promise<NotarySignatureJson> {
  const k = await loadKey(env, cmd, keyName);
  const { chainId, appHash } = await withNode(node, (conn) => appHashAt(conn, height));
  return signatureOf(k, chainId, height, appHash);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const LAST_NOTARIZATION = '/sekai.notarypay.v1.Query/LastNotarization';
const ERAS = '/sekai.notarypay.v1.Query/Eras';
/**
 * Blocks a submitted notarization may wait before the operator gives up on it and signs a
 * newer height: PrepareProposal includes a valid one in the next block, so three blocks
 * mean it was dropped (e.g. another operator notarized first).
 */
const RESUBMIT_AFTER_BLOCKS = 3;

export interface NotaryRunOptions {
  every: number;
  until: number;
  pollMs: number;
  fees: string;
  gas: bigint;
}

/**
 * The `notary run` loop over one connection. Keys are read from the keyring once. Each new
 * block costs one status and one query; when a notarization is due (the newest height
 * whose AppHash a header carries is `every` above the last notarized one) the operator
 * reads the era, signs with every held key of it, and broadcasts sync: CheckTx judges the
 * notarization at once, and the next blocks show it in state. At most one notarization of
 * this operator is in flight.
 */
export async function runNotary(
  conn: NodeConnection,
  keys: NotaryKey[],
  sender: SigningKey,
  o: NotaryRunOptions,
  report: (value: unknown) => void,
): Promise<void> {
  const types = sekaiTypes();
  const fees = parseCoins(o.fees).toProto();
  let seen = 0;
  let pending: { height: number; submittedAt: number } | undefined;
  for (;;) {
    const status = await conn.call((c) => c.status());
    const latest = status.syncInfo.latestBlockHeight;
    if (latest === seen) {
      await sleep(o.pollMs);
      continue;
    }
    seen = latest;
    const state = QueryLastNotarizationResponse.decode(await abciQuery(conn, LAST_NOTARIZATION, QueryLastNotarizationRequest.encode({}).finish())).state;
    const lastHeight = Number(state?.lastNotarizedHeight ?? 0n);
    if (pending && lastHeight >= pending.height) {
      const block = Number(state?.lastNotarizationBlock ?? 0n);
      report({ notarized: lastHeight, block });
      pending = undefined;
    }
    if (lastHeight >= o.until) return;
    if (pending && latest > pending.submittedAt + RESUBMIT_AFTER_BLOCKS) {
      report({ dropped: pending.height });
      pending = undefined;
    }
    // The newest height whose AppHash is in a header: the latest header carries it.
    const target = latest - 1;
    if (pending || target < Math.max(1, lastHeight + o.every)) continue;
    const eras = QueryErasResponse.decode(await abciQuery(conn, ERAS, QueryErasRequest.encode({}).finish()));
    const current = eras.eras.find((e) => e.index === eras.currentEra);
    const members = new Set((current?.notaries ?? []).map((x) => Buffer.from(x.pubKey).toString('hex')));
    const mine = keys.filter((k) => members.has(Buffer.from(k.pubKey).toString('hex')));
    if (eras.inGap || mine.length === 0) continue;
    // Client-side timing of the round (signing and the sync broadcast), for the operator's log.
    const began = performance.now();
    const chainId = status.nodeInfo.network;
    const sigs = mine.map((k) => signatureOf(k, chainId, target, status.syncInfo.latestAppHash));
    const msg = notarizeFromSignatures(sender.address, BigInt(target), sigs);
    const res = await signAndBroadcast(conn, sender, [msg], { chainId, fees, gas: o.gas, mode: 'sync', types });
    if (res.code === 0) {
      pending = { height: target, submittedAt: latest };
      const ms = Math.round(performance.now() - began);
      report({ height: target, signers: mine.length, code: 0, txhash: res.txhash, ms });
    } else {
      report({ height: target, signers: mine.length, code: res.code, codespace: res.codespace, log: res.raw_log });
    }
  }
}

export function notaryCommand(env: SekaidEnv): Command {
  const notary = new Command('notary').description('Notary tools: sign checkpoints, run a notary');
  notary.addCommand(
    withKeyringFlags(
      new Command('sign')
        .description("Print one notary's signature of the chain's AppHash at a height, as JSON")
        .requiredOption('--height <h>', 'height to notarize')
        .requiredOption('--key <name>', 'notary key in the keyring')
        .addOption(nodeOption())
        .option('--out <file>', 'write the JSON to a file instead of stdout'),
    ).action(async (o: { height: string; key: string; node: string; out?: string }, cmd: Command) => {
      if (!/^[1-9][0-9]*$/.test(o.height)) throw ErrUsage.wrap(`--height must be a positive integer, got ${o.height}`);
      const sig = await signAt(env, cmd, o.key, nodeOf(cmd), Number(o.height));
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
        .addOption(nodeOption())
        .option('--fees <coins>', 'fee per notarization tx', '200ukex')
        .option('--gas <limit>', 'gas limit per notarization tx', '400000')
        .option('--until <height>', 'stop once this height is notarized')
        .option('--poll <ms>', 'how often to look for a new block', '100'),
    ).action(async (o: { keys: string; every: string; from?: string; node: string; fees: string; gas: string; until?: string; poll: string }, cmd: Command) => {
      const names = o.keys.split(',').filter((x) => x !== '');
      if (names.length === 0) throw ErrUsage.wrap('--keys names no key');
      const every = Number(o.every);
      if (!Number.isInteger(every) || every < 1) throw ErrUsage.wrap(`--every must be a positive integer, got ${o.every}`);
      if (!/^[1-9][0-9]*$/.test(o.gas)) throw ErrUsage.wrap(`--gas must be a positive integer, got ${o.gas}`);
      const pollMs = Number(o.poll);
      if (!Number.isInteger(pollMs) || pollMs < 10) throw ErrUsage.wrap(`--poll must be at least 10 ms, got ${o.poll}`);
      if (o.until !== undefined && !/^[1-9][0-9]*$/.test(o.until)) throw ErrUsage.wrap(`--until must be a positive integer, got ${o.until}`);
      parseCoins(o.fees);
      const keys: NotaryKey[] = [];
      for (const nm of names) keys.push(await loadKey(env, cmd, nm));
      const from = await loadKey(env, cmd, o.from ?? names[0]);
      const signer = directSigner(from.privKey);
      const sender: SigningKey = { address: (await signer.getAccounts())[0].address, pubKey: from.pubKey, signer };
      const conn = await connectNode(nodeOf(cmd));
      try {
        await runNotary(conn, keys, sender, { every, until: o.until ? Number(o.until) : Infinity, pollMs, fees: o.fees, gas: BigInt(o.gas) }, (v) => env.print(v));
      } finally {
        conn.disconnect();
      }
    }),
  );
  return notary;
}
