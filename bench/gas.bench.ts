/**
 * Gas against block time: does the gas a tx uses bound the time its block takes to execute?
 *
 * For each message kind a client can pack 480 times into one 64 KiB tx (bank sends to an
 * existing account, sends that create the recipient, multi-sends of 16 outputs), blocks of
 * 256 txs of 1 message and of 16 txs of N messages run through FinalizeBlock with signatures verified on the
 * main thread (no cache: the worst case), and each tx's time is divided by its gas_used.
 * Every ratio is judged against the calibration target of the gas table (`runtime/gas.ts`):
 * a unit of gas may cost 1/`VERIFY_GAS_EQUIVALENT` of a secp256k1 verification, timed in the
 * same run (L_verify), so the ratio holds on a loaded machine too. The notes give the flat gas
 * per tx and per message that the measured times call for at that target.
 *
 * Then the block: as many maximal txs (480 sends to new accounts, each asking exactly the gas
 * it uses) as `DEFAULT_BLOCK_MAX_GAS` admits, through PrepareProposal + ProcessProposal +
 * FinalizeBlock + Commit with its state writes, against the default block time (1 s). Beside
 * it, in the same run, the baseline: a block of single sends asking the client default of
 * 200k gas each, as many as the same max gas admits.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { toBech32 } from '@cosmjs/encoding';
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { MsgMultiSend, MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { createApp } from '../app/app';
import { sha256 } from '../crypto/hash';
import { signSecp256k1 } from '../crypto/secp256k1';
import type { BaseApp } from '../runtime/baseapp';
import { DEFAULT_BLOCK_MAX_GAS, TxGas, VERIFY_GAS_EQUIVALENT, requiredFee } from '../runtime/gas';
import type { CommitMultiStore } from '../runtime/multistore';
import { KEX_METADATA } from '../x/bank';
import { CHAIN_ID, rawKey, tempDir, time, type RawKey } from '../test/fixtures/runtimeApp';
import { median, type BenchSection, type Figure, type Limits } from './harness';

/** The block time `init` and `testnet` configure (timeout_commit, start --block-time). */
const BLOCK_TIME_MS = 1000;
/** Senders: enough for a block of 200k-gas single sends at the default max gas, one tx each. */
const SENDERS = Number(DEFAULT_BLOCK_MAX_GAS / 200_000n);
/** Txs per block: many single-message txs, so the per-tx figure is not one scheduling hiccup; 16 large ones. */
const txsPerBlock = (messages: number) => (messages === 1 ? 256 : 16);
const TIMED_BLOCKS = 3;
const MIN_TX_FEE = 100n;

interface EncodedMsg {
  typeUrl: string;
  value: Uint8Array;
}

/** A signed tx of `msgs` from `key`, asking `gasLimit` gas and paying what it requires. */
export function signedTx(key: RawKey, accountNumber: bigint, sequence: bigint, msgs: EncodedMsg[], gasLimit: bigint): Uint8Array {
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: msgs })).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [{ publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: key.pub }).finish() }, modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } }, sequence }],
      fee: { amount: [{ denom: 'ukex', amount: requiredFee(MIN_TX_FEE, gasLimit).toString() }], gasLimit },
    }),
  ).finish();
  const signBytes = SignDoc.encode({ bodyBytes, authInfoBytes, chainId: CHAIN_ID, accountNumber }).finish();
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signSecp256k1(key.priv, sha256(signBytes))] }).finish();
}

interface Running {
  app: BaseApp;
  store: CommitMultiStore;
  dir: string;
}

async function fresh(keys: RawKey[], blockMaxGas?: bigint): Promise<Running> {
  const dir = tempDir('bench-gas');
  const { app, store } = await createApp({ dbDir: join(dir, 'state'), pruning: { strategy: 'default' }, base: { blockMaxGas } });
  const addresses = keys.map((k) => k.address);
  const state = {
    accountid: { accounts: addresses.map((address, i) => ({ address, account_number: String(i), pub_keys: [Buffer.from(keys[i].pub).toString('base64')] })) },
    bank: { balances: addresses.map((address) => ({ address, coins: [{ denom: 'ukex', amount: '1000000000000' }] })), denom_metadata: [Metadata.toJSON(KEX_METADATA)] },
  };
  app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(state)), initialHeight: 1n });
  app.finalizeBlock(finalizeReq(1, []));
  await app.commit();
  await store.flush();
  return { app, store, dir };
}

async function close(r: Running): Promise<void> {
  await r.app.close();
  rmSync(r.dir, { recursive: true, force: true });
}

function finalizeReq(height: number, txs: Uint8Array[]) {
  return { txs, decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: BigInt(height), time: time(1_700_000_000 + height), nextValidatorsHash: new Uint8Array(32), proposerAddress: new Uint8Array(20) };
}

let freshRecipients = 0;
/** An address no account has: each send to it creates the account. */
function newAddress(): string {
  return toBech32('kira', sha256(Buffer.from(`gas bench recipient ${freshRecipients++}`)).subarray(0, 20));
}

const send = (from: string, to: string): EncodedMsg => ({ typeUrl: MsgSend.typeUrl, value: MsgSend.encode({ fromAddress: from, toAddress: to, amount: [{ denom: 'ukex', amount: '1' }] }).finish() });

interface Kind {
  name: string;
  /** Messages in the largest tx of this kind under 64 KiB. */
  max: number;
  msg(from: RawKey, i: number, keys: RawKey[]): EncodedMsg;
}

const KINDS: Kind[] = [
  { name: 'MsgSend to an existing account', max: 480, msg: (from, i, keys) => send(from.address, keys[(i * 7 + 1) % keys.length].address) },
  { name: 'MsgSend creating the recipient', max: 480, msg: (from) => send(from.address, newAddress()) },
  {
    name: 'MsgMultiSend, 16 outputs to existing accounts',
    max: 60,
    msg: (from, i, keys) => ({
      typeUrl: MsgMultiSend.typeUrl,
      value: MsgMultiSend.encode({
        inputs: [{ address: from.address, coins: [{ denom: 'ukex', amount: '16' }] }],
        outputs: Array.from({ length: 16 }, (_, j) => ({ address: keys[(i + j + 1) % keys.length].address, coins: [{ denom: 'ukex', amount: '1' }] })),
      }).finish(),
    }),
  },
];

/** Median FinalizeBlock ms per tx and the gas each used, for blocks of txs of `n` messages. */
async function perTx(keys: RawKey[], kind: Kind, n: number): Promise<{ ms: number; gas: number; bytes: number }> {
  const r = await fresh(keys);
  const times: number[] = [];
  let gas = 0;
  let bytes = 0;
  try {
    for (let b = 0; b <= TIMED_BLOCKS; b++) {
      const txs = keys.slice(0, txsPerBlock(n)).map((k, s) => signedTx(k, BigInt(s), BigInt(b), Array.from({ length: n }, (_, i) => kind.msg(k, i + b * n, keys)), 90_000_000n));
      const t0 = performance.now();
      const res = r.app.finalizeBlock(finalizeReq(b + 2, txs));
      const t1 = performance.now();
      const bad = res.txResults.find((x) => x.code !== 0);
      if (bad) throw new Error(`${kind.name}: ${bad.log}`);
      gas = Number(res.txResults[0].gasUsed);
      bytes = txs[0].length;
      await r.app.commit();
      await r.store.flush();
      // The first block is an untimed warm-up.
      if (b > 0) times.push((t1 - t0) / txs.length);
    }
  } finally {
    await close(r);
  }
  return { ms: median(times), gas, bytes };
}

interface BlockRun {
  ms: number;
  included: number;
  gasWanted: bigint;
  gasUsed: bigint;
}

/** One block of `txs` through the whole pipeline (prepare, process, finalize, commit, writes), in ms. */
async function blockTime(r: Running, height: number, txs: Uint8Array[]): Promise<BlockRun> {
  const t0 = performance.now();
  const prep = r.app.prepareProposal({ maxTxBytes: 22_020_096n, txs, localLastCommit: { round: 0, votes: [] }, misbehavior: [], height: BigInt(height), time: time(1_700_000_000 + height), nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) });
  const proc = await r.app.processProposal({ txs: prep.txs, proposedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: BigInt(height), time: time(1_700_000_000 + height), nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) });
  if (proc.status !== 1) throw new Error('proposal rejected');
  const res = r.app.finalizeBlock(finalizeReq(height, prep.txs));
  const bad = res.txResults.find((x) => x.code !== 0);
  if (bad) throw new Error(`a tx failed: ${bad.log}`);
  await r.app.commit();
  await r.store.flush();
  const gasWanted = res.txResults.reduce((g, x) => g + x.gasWanted, 0n);
  const gasUsed = res.txResults.reduce((g, x) => g + x.gasUsed, 0n);
  return { ms: performance.now() - t0, included: prep.txs.length, gasWanted, gasUsed };
}

/** Median over timed blocks (after one warm-up) of blocks built by `make(height)`, offered more txs than fit. */
async function fullBlocks(keys: RawKey[], make: (height: number) => Uint8Array[]): Promise<BlockRun> {
  const r = await fresh(keys, DEFAULT_BLOCK_MAX_GAS);
  const runs: BlockRun[] = [];
  try {
    for (let b = 0; b <= TIMED_BLOCKS; b++) {
      const out = await blockTime(r, b + 2, make(b));
      if (b > 0) runs.push(out);
    }
  } finally {
    await close(r);
  }
  const ms = median(runs.map((x) => x.ms));
  return { ...runs.find((x) => x.ms === ms)!, ms };
}

export async function run(limits: Limits): Promise<BenchSection> {
  /** ns of block time one gas may cost on this machine, in this run. */
  const budget = 1e9 / limits.L_verify / VERIFY_GAS_EQUIVALENT;
  const keys = Array.from({ length: SENDERS }, (_, i) => rawKey(i));
  const figures: Figure[] = [];
  const notes: string[] = [];
  let maximal: { gas: number } | undefined;
  let fixedNs = 0;
  for (const kind of KINDS) {
    const one = await perTx(keys, kind, 1);
    const many = await perTx(keys, kind, kind.max);
    const nsPerGas = (x: { ms: number; gas: number }) => (x.ms * 1e6) / x.gas;
    if (kind === KINDS[0]) {
      figures.push({ name: `${kind.name}, 1 message (${one.bytes} B, ${one.gas} gas)`, measured: nsPerGas(one), unit: 'ns/gas', limit: budget, goal: '<= 1' });
    }
    figures.push({ name: `${kind.name}, ${kind.max} messages (${many.bytes} B, ${many.gas} gas)`, measured: nsPerGas(many), unit: 'ns/gas', limit: budget, goal: '<= 1' });
    // What the times call for at the budget: the flat gas per message beyond its KV and byte gas.
    const msgMs = (many.ms - one.ms) / (kind.max - 1);
    const msgGas = (many.gas - one.gas) / (kind.max - 1);
    const flat = TxGas.perMsg;
    const needed = (msgMs * 1e6) / budget - (msgGas - flat);
    notes.push(`${kind.name}: ${(msgMs * 1000).toFixed(1)} µs and ${Math.round(msgGas)} gas per message (${flat} of it flat); at ${budget.toFixed(2)} ns/gas its flat gas would be ${Math.max(0, Math.ceil(needed))}`);
    if (kind.name.includes('creating')) maximal = many;
    if (kind === KINDS[0]) fixedNs = one.ms * 1e6 - (msgMs * 1e6);
  }
  {
    notes.push(`per tx beyond its messages: ${(fixedNs / 1000).toFixed(1)} µs; at ${budget.toFixed(2)} ns/gas TxGas.perTx would be ${Math.max(0, Math.ceil(fixedNs / budget - TxGas.sigVerifyCostSecp256k1 - TxGas.txSizeCostPerByte * 311))} (with a 311 B tx's byte gas)`);
  }

  // A block of maximal txs: each asks the gas the measured one used (1% more: later account
  // numbers encode a byte longer), so as many as possible fit.
  const gasEach = BigInt(Math.ceil(maximal!.gas * 1.01));
  const fit = Number(DEFAULT_BLOCK_MAX_GAS / gasEach);
  const maxBlock = await fullBlocks(keys, (b) =>
    keys.slice(0, fit).map((k, s) => signedTx(k, BigInt(s), BigInt(b), Array.from({ length: 480 }, () => send(k.address, newAddress())), gasEach)),
  );
  const base = await fullBlocks(keys, (b) => keys.map((k, s) => signedTx(k, BigInt(s), BigInt(b), [send(k.address, keys[(s + 1) % SENDERS].address)], 200_000n)));
  figures.push({
    name: `block of maximal txs: ${maxBlock.included} × 480 sends creating accounts (${gasEach} gas each, ${maxBlock.gasWanted} of max_gas ${DEFAULT_BLOCK_MAX_GAS}), prepare + process + finalize + commit`,
    measured: maxBlock.ms,
    unit: 'ms',
    limit: BLOCK_TIME_MS,
    goal: '<= 1',
  });
  figures.push({
    name: `baseline, same run: block of ${base.included} single sends asking 200k gas each (${base.gasWanted} gas)`,
    measured: base.ms,
    unit: 'ms',
    limit: BLOCK_TIME_MS,
    goal: '',
  });
  // Per gas used: whether a maximal tx buys more block time for its gas than an ordinary one.
  const perGas = (x: BlockRun) => (x.ms * 1e6) / Number(x.gasUsed);
  figures.push({ name: `block time per gas used: block of maximal txs (${maxBlock.gasUsed} used) against the baseline block (${base.gasUsed} used)`, measured: perGas(maxBlock), unit: 'ns/gas', limit: perGas(base), goal: '<= 1' });
  notes.push(`block time budget per gas in this run: ${budget.toFixed(2)} ns (1/${VERIFY_GAS_EQUIVALENT} of a verification at ${Math.round(limits.L_verify)} verify/s); max_gas ${DEFAULT_BLOCK_MAX_GAS} at that rate: ${((Number(DEFAULT_BLOCK_MAX_GAS) * budget) / 1e6).toFixed(0)} ms`);
  notes.push('signatures verified on the main thread with no cache (a node verifies most of them in CheckTx or during ProcessProposal in its worker pool)');
  return { title: 'Gas against block time (sekai app, FinalizeBlock)', figures, notes };
}
