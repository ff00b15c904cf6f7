/**
 * The app runtime end to end over the IAVL RootMultiStore on LevelDB, for two module
 * sets: the sekai app (x/accountid + x/bank, `app/app.ts`) and the ledger test modules
 * (JSON values, bech32 parsed on every access). For each:
 * - CheckTx NEW throughput of signed transfers (full ante: decode, verify, account read,
 *   sequence and fee in the check state) against L_tx (G1);
 * - blocks of 1 000 transfers through PrepareProposal + ProcessProposal + FinalizeBlock +
 *   Commit, with signatures verified on the main thread, then by a worker pool while
 *   ProcessProposal runs, against L_tx;
 * - FinalizeBlock alone with signature verification excluded, against L_decode (G3).
 *
 * Senders are steady-state accounts: their public keys are bound at genesis, as they are
 * after an account's first tx. One extra CheckTx row measures first use, where each tx also
 * binds its signer's key (an address derivation and an account write more).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { createApp } from '../app/app';
import type { BaseApp, BaseAppOptions } from '../runtime/baseapp';
import type { CommitMultiStore } from '../runtime/multistore';
import { DEFAULT_SIG_CACHE_ENTRIES, VerifiedSignatures } from '../runtime/sigcache';
import { createWorkerPoolVerifier } from '../crypto/verifier';
import { KEX_METADATA } from '../x/bank';
import { CHAIN_ID, genesisFor, openTestApp, rawKey, rawSend, tempDir, time } from '../test/fixtures/runtimeApp';
import { median, type BenchSection, type Limits } from './harness';

const SENDERS = 5_000;
const BLOCK_TXS = 1_000;

type ModuleSet = 'sekai' | 'ledger';

interface Running {
  app: BaseApp;
  /** Its multistore: `flush` waits for the writes a commit leaves to the background. */
  store: CommitMultiStore;
  dir: string;
}

function sekaiGenesis(addresses: string[], pubKeys?: Uint8Array[]): Uint8Array {
  const state = {
    accountid: {
      accounts: addresses.map((address, i) => ({
        address,
        account_number: String(i),
        ...(pubKeys ? { pub_keys: [Buffer.from(pubKeys[i]).toString('base64')] } : {}),
      })),
    },
    bank: {
      balances: addresses.map((address) => ({ address, coins: [{ denom: 'ukex', amount: '1000000000' }] })),
      denom_metadata: [Metadata.toJSON(KEX_METADATA)],
    },
  };
  return new TextEncoder().encode(JSON.stringify(state));
}

/** Senders' addresses, with their public keys when they are bound at genesis. */
interface Senders {
  addresses: string[];
  pubKeys?: Uint8Array[];
}

async function freshApp(set: ModuleSet, tag: string, senders: Senders, options: Partial<BaseAppOptions> = {}): Promise<Running> {
  const dir = tempDir(tag);
  let opened: { app: BaseApp; store: CommitMultiStore };
  let genesis: Uint8Array;
  if (set === 'sekai') {
    opened = await createApp({ dbDir: join(dir, 'state'), pruning: { strategy: 'default' }, base: options });
    genesis = sekaiGenesis(senders.addresses, senders.pubKeys);
  } else {
    opened = await openTestApp(dir, { options });
    genesis = genesisFor(senders.addresses, undefined, senders.pubKeys);
  }
  const { app, store } = opened;
  app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: genesis, initialHeight: 1n });
  app.finalizeBlock(finalizeReq(1, []));
  await app.commit();
  await store.flush();
  return { app, store, dir };
}

function finalizeReq(height: number, txs: Uint8Array[]) {
  return {
    txs,
    decidedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: new Uint8Array(32),
    height: BigInt(height),
    time: time(1_700_000_000 + height),
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  };
}

async function close(r: Running): Promise<void> {
  await r.app.close();
  rmSync(r.dir, { recursive: true, force: true });
}

async function blockSeries(set: ModuleSet, tag: string, addresses: Senders, txs: Uint8Array[], options: Partial<BaseAppOptions>) {
  const rates: number[] = [];
  const phase = { prepare: [] as number[], process: [] as number[], finalize: [] as number[], commit: [] as number[], write: [] as number[] };
  const r = await freshApp(set, tag, addresses, options);
  // The first block is an untimed warm-up (first-call compilation); the others are timed.
  for (let b = 0; b * BLOCK_TXS < txs.length; b++) {
    const height = b + 2;
    const batch = txs.slice(b * BLOCK_TXS, (b + 1) * BLOCK_TXS);
    const t0 = performance.now();
    const prep = r.app.prepareProposal({ maxTxBytes: 22_020_096n, txs: batch, localLastCommit: { round: 0, votes: [] }, misbehavior: [], height: BigInt(height), time: time(1_700_000_000 + height), nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) });
    const t1 = performance.now();
    const proc = await r.app.processProposal({ txs: prep.txs, proposedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: BigInt(height), time: time(1_700_000_000 + height), nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) });
    if (proc.status !== 1) throw new Error('proposal rejected');
    const t2 = performance.now();
    const res = r.app.finalizeBlock(finalizeReq(height, prep.txs));
    const failed = res.txResults.find((x) => x.code !== 0);
    if (failed) throw new Error(`a tx failed: ${failed.log}`);
    const t3 = performance.now();
    await r.app.commit();
    const t4 = performance.now();
    // The state writes Commit leaves to the background (write-ahead-log mode) run between
    // blocks in a node; here they are waited for and counted in the block's time.
    await r.store.flush();
    const t5 = performance.now();
    if (b === 0) continue;
    phase.prepare.push(t1 - t0);
    phase.process.push(t2 - t1);
    phase.finalize.push(t3 - t2);
    phase.commit.push(t4 - t3);
    phase.write.push(t5 - t4);
    rates.push((batch.length * 1000) / (t5 - t0));
  }
  await close(r);
  return { rates, phase };
}

/**
 * CheckTx NEW of every tx once (each advances its sender's sequence in the check state):
 * the median of several passes, each on a fresh check state. The verified-signature cache
 * holds one entry, so every pass verifies every signature as CheckTx of new txs does (a full
 * cache would let passes after the first skip the curve arithmetic). With `fullCache`, the
 * cache is the node's (100,000 entries) and is filled with other signatures before each pass,
 * as in a node that has been running: every tx still verifies, and each insert evicts.
 */
async function checkTxRate(set: ModuleSet, senders: Senders, txs: Uint8Array[], fullCache = false): Promise<number> {
  const rates: number[] = [];
  const sigCache = fullCache ? new VerifiedSignatures(DEFAULT_SIG_CACHE_ENTRIES) : new VerifiedSignatures(1);
  const r = await freshApp(set, 'bench-check', senders, { sigCache });
  const filler = { pub: new Uint8Array(33).fill(2), digest: new Uint8Array(32).fill(1), sig: new Uint8Array(64) };
  const fillerSig = new DataView(filler.sig.buffer);
  let filled = 0;
  for (let pass = 0; pass < 3; pass++) {
    if (fullCache) {
      for (let i = 0; i < DEFAULT_SIG_CACHE_ENTRIES; i++, filled++) {
        fillerSig.setUint32(0, filled);
        sigCache.add(filler.pub, filler.digest, filler.sig);
      }
    }
    const start = performance.now();
    for (const tx of txs) {
      const res = r.app.checkTx({ tx, type: CheckTxType.NEW });
      if (res.code !== 0) throw new Error(`CheckTx refused a valid tx: ${res.log}`);
    }
    rates.push((txs.length * 1000) / (performance.now() - start));
    // An empty block resets the check state to committed state (sequences 0 again).
    r.app.finalizeBlock(finalizeReq(pass + 2, []));
    await r.app.commit();
    await r.store.flush();
  }
  await close(r);
  return median(rates);
}

async function measure(set: ModuleSet, limits: Limits, addresses: Senders, txs: Uint8Array[]): Promise<BenchSection> {
  const checkRate = await checkTxRate(set, addresses, txs);
  const firstUseRate = set === 'sekai' ? await checkTxRate(set, { addresses: addresses.addresses }, txs) : undefined;
  const fullCacheRate = set === 'sekai' ? await checkTxRate(set, addresses, txs, true) : undefined;

  const main = await blockSeries(set, 'bench-blocks', addresses, txs, {});
  const pool = await createWorkerPoolVerifier();
  let pooled: Awaited<ReturnType<typeof blockSeries>>;
  try {
    pooled = await blockSeries(set, 'bench-blocks-pool', addresses, txs, { verifier: pool });
  } finally {
    await pool.close();
  }

  const execRates: number[] = [];
  {
    const r = await freshApp(set, 'bench-exec', addresses, { verify: () => true });
    for (let b = 0; b * BLOCK_TXS < txs.length; b++) {
      const batch = txs.slice(b * BLOCK_TXS, (b + 1) * BLOCK_TXS);
      const start = performance.now();
      r.app.finalizeBlock(finalizeReq(b + 2, batch));
      // The first block is an untimed warm-up.
      if (b > 0) execRates.push((batch.length * 1000) / (performance.now() - start));
      await r.app.commit();
      // Each block starts with the previous one written, as between blocks in a node.
      await r.store.flush();
    }
    await close(r);
  }

  const ms = (xs: number[]) => median(xs).toFixed(1);
  const label = set === 'sekai' ? 'x/accountid + x/bank' : 'ledger test modules';
  // The goals are the product's; the test modules (JSON values, bech32 parsed on every
  // access) are printed beside it only to show what the product's codecs and memos buy.
  const goal = (g: string) => (set === 'sekai' ? g : '');
  // G9's bound without the consensus engine: half the slower of the two stages a block
  // must pass through, CheckTx (G1) and execution (G3), as measured above in this run.
  const g9Limit = Math.min(checkRate, median(execRates));
  return {
    title: `App runtime: BaseApp over RootMultiStore, ${label}`,
    figures: [
      { name: `CheckTx NEW, signed transfers (${txs.length} txs, median of 3 passes)`, measured: checkRate, unit: 'tx/s', limit: limits.L_tx, goal: goal('>= 0.70'), ...(set === 'sekai' ? { id: 'G1' } : {}) },
      ...(firstUseRate === undefined
        ? []
        : [{ name: `same, each sender's first tx (binds its public key)`, measured: firstUseRate, unit: 'tx/s', limit: limits.L_tx, goal: '' }]),
      ...(fullCacheRate === undefined
        ? []
        : [{ name: `same, the node's signature cache full (${DEFAULT_SIG_CACHE_ENTRIES} entries, each insert evicts)`, measured: fullCacheRate, unit: 'tx/s', limit: limits.L_tx, goal: '' }]),
      { name: `Prepare+Process+Finalize+Commit with its state writes, ${BLOCK_TXS}-tx blocks (median of 4 after a warm-up), main-thread verify`, measured: median(main.rates), unit: 'tx/s', limit: g9Limit, goal: goal('>= 0.5') },
      { name: `same, worker-pool verify during ProcessProposal (${limits.cores} cores)`, measured: median(pooled.rates), unit: 'tx/s', limit: g9Limit, goal: goal('>= 0.5') },
      { name: `FinalizeBlock only, verification excluded, ${BLOCK_TXS}-tx blocks`, measured: median(execRates), unit: 'tx/s', limit: limits.L_decode, goal: goal('>= 0.25'), ...(set === 'sekai' ? { id: 'G3' } : {}) },
    ],
    notes: [
      ...(set === 'sekai' ? [] : ['reference only: the goals apply to the product module set above']),
      'the block rows are judged as G9 is, without CometBFT: limit = min(CheckTx rate, FinalizeBlock-only rate) of this section',
      `per 1000-tx block, main-thread verify (median ms): prepare ${ms(main.phase.prepare)}, process ${ms(main.phase.process)}, finalize ${ms(main.phase.finalize)}, commit ${ms(main.phase.commit)}, background state writes ${ms(main.phase.write)}`,
      `per 1000-tx block, worker-pool verify (median ms): prepare ${ms(pooled.phase.prepare)}, process ${ms(pooled.phase.process)}, finalize ${ms(pooled.phase.finalize)}, commit ${ms(pooled.phase.commit)}, background state writes ${ms(pooled.phase.write)}`,
    ],
  };
}

/** The product module set's section alone (G1 and G3), for benches that need them as a baseline. */
export async function runSekai(limits: Limits): Promise<BenchSection> {
  const { senders, txs } = load();
  return measure('sekai', limits, senders, txs);
}

function load(): { senders: Senders; txs: Uint8Array[] } {
  const keys = Array.from({ length: SENDERS }, (_, i) => rawKey(i));
  const addresses = keys.map((k) => k.address);
  const txs = keys.map((k, i) =>
    rawSend(k, { from: k.address, to: addresses[(i + 1) % SENDERS], sequence: 0n, accountNumber: BigInt(i), amount: '10' }),
  );
  return { senders: { addresses, pubKeys: keys.map((k) => k.pub) }, txs };
}

export async function run(limits: Limits): Promise<BenchSection[]> {
  const { senders, txs } = load();
  const out: BenchSection[] = [];
  for (const set of ['sekai', 'ledger'] as const) out.push(await measure(set, limits, senders, txs));
  return out;
}
