/**
 * End-to-end throughput (G9): signed bank sends from SENDERS accounts, each sender sending its
 * txs in sequence order with `broadcast_tx_sync` (the next one as soon as CheckTx answered),
 * all senders at once, through
 * - real CometBFT (COMETBFT_BIN) in front of one validator,
 * - the 4-validator loopback network (test/network.ts), sent to node 0,
 * - the embedded engine (`sekaid-ts start`) on a one-validator home, the same load.
 * Figures: committed tx/s (from the first send to the block holding the last tx, as this
 * process sees the blocks by polling every 50 ms) and time from send to commit, p50 and p99.
 *
 * Same-run baseline: min(G1, G3, G4a-implied tx/s), measured here by the runtime and
 * multistore benches' own code (CheckTx throughput, FinalizeBlock execution, commit cost per
 * changed key × 4 keys a send changes: both balances, the fee collector's and the sender's
 * sequence). Goal: ≥ 0.5 × that on one validator.
 *
 * Without COMETBFT_BIN the section is skipped with one line. Nodes run with the config
 * `testnet` writes (timeout_commit 1s) except for ports; every process is stopped at the end.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { rpcGet } from '../cmd/sekaid-ts/localnet';
import { homeLayout } from '../node/config';
import { sha256 } from '../crypto/hash';
import { ok, removeDir, tempDir } from '../test/cli/cli';
import { findCometBFT, freePort } from '../test/cometbft';
import { spawnCli } from '../test/e2e/cliChain';
import { rawKey, rawSend, type RawKey } from '../test/fixtures/runtimeApp';
import { startNetwork } from '../test/network';
import { defaultCometConfig } from '../node/config';
import { median, percentile, type BenchSection, type Limits } from './harness';
import { run as multistoreRun } from './multistore.bench';
import { runSekai } from './runtime.bench';

const SENDERS = Number(process.env.BENCH_G9_SENDERS ?? 32);
const PER_SENDER = Number(process.env.BENCH_G9_TXS_PER_SENDER ?? 150);
/**
 * `async` (default): each sender sends its pre-signed sequence with `broadcast_tx_async`, the
 * next as soon as the node queued the previous for CheckTx (the order of one sender's txs is
 * kept; no round trip waits for CheckTx). `sync`: the next send waits for CheckTx's answer.
 */
const MODE = process.env.BENCH_G9_MODE === 'sync' ? 'sync' : 'async';
/** Which runs: `1` (CometBFT, one validator), `4` (the 4-validator network), `embedded`. */
const TARGETS = new Set((process.env.BENCH_G9_TARGETS ?? '1,4,embedded').split(','));
/** timeout_commit of the CometBFT runs (default: what `init` and `testnet` write). */
const TIMEOUT_COMMIT = process.env.BENCH_G9_TIMEOUT_COMMIT;
const CHAIN_ID = 'sekai-g9-1';
/** Store keys one bank send changes (sender and recipient balances, fee collector, sender sequence). */
const KEYS_PER_SEND = 4;
const FIRST_ACCOUNT_NUMBER = 1000;
const DEFAULT_TIMEOUT_COMMIT = defaultCometConfig().consensus.timeout_commit;

interface Load {
  keys: RawKey[];
  /** txs[i] = sender i's sends, in sequence order. */
  txs: Uint8Array[][];
}

/**
 * The gas each send asks for. CometBFT fills a block up to max_gas by what txs ask, not by
 * what they use, so this sets how many sends a block can hold: 100 000 is what a wallet asks
 * with `--gas auto` and its 1.3 margin over a send's ~77 000 (the CLI's fixed default,
 * 200 000, halves a block's room).
 */
const GAS = BigInt(process.env.BENCH_G9_GAS ?? '100000');

function makeLoad(): Load {
  const keys = Array.from({ length: SENDERS }, (_, i) => rawKey(9000 + i));
  const txs = keys.map((k, i) =>
    Array.from({ length: PER_SENDER }, (_, s) =>
      rawSend(k, { from: k.address, to: keys[(i + 1) % SENDERS].address, amount: '1', sequence: BigInt(s), accountNumber: BigInt(FIRST_ACCOUNT_NUMBER + i), chainId: CHAIN_ID, gas: GAS }),
    ),
  );
  return { keys, txs };
}

const SENDER_FUNDS = 1_000_000_000_000n;

/** Funds the senders in a parsed genesis (the supply follows), their public keys bound (steady-state accounts). */
function fundSenders(genesis: any, keys: RawKey[]): void {
  const s = genesis.app_state;
  keys.forEach((k, i) => {
    s.accountid.accounts.push({ address: k.address, account_number: String(FIRST_ACCOUNT_NUMBER + i), pub_keys: [Buffer.from(k.pub).toString('base64')] });
    s.bank.balances.push({ address: k.address, coins: [{ denom: 'ukex', amount: SENDER_FUNDS.toString() }] });
  });
  const supply = (s.bank.supply as { denom: string; amount: string }[] | undefined)?.find((c) => c.denom === 'ukex');
  if (supply) supply.amount = (BigInt(supply.amount) + SENDER_FUNDS * BigInt(keys.length)).toString();
}

interface Run {
  txPerSec: number;
  p50: number;
  p99: number;
  committed: number;
  failed: number;
  blocks: number;
}

/** Drives the load through `rpc` and waits for every tx's block. */
async function drive(rpc: string, load: Load): Promise<Run> {
  const sent = new Map<string, number>();
  const hex = (tx: Uint8Array) => Buffer.from(sha256(tx)).toString('hex').toUpperCase();
  const start0 = (await rpcGet<{ sync_info: { latest_block_height: string } }>(rpc, 'status')).sync_info.latest_block_height;
  let height = Number(start0);
  const committedAt = new Map<string, number>();
  let failed = 0;
  let blocks = 0;
  let lastCommit = 0;
  const total = load.txs.reduce((n, t) => n + t.length, 0);
  let refused = 0;

  const t0 = performance.now();
  const broadcast = async (tx: Uint8Array): Promise<void> => {
    // A connection the loaded node drops is sent again; CometBFT answers a resend it already
    // holds with "tx already exists in cache", which is not a refusal.
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await rpcGet<{ code: number; log: string }>(rpc, `broadcast_tx_${MODE}?tx=0x${Buffer.from(tx).toString('hex')}`, 60_000);
        if (r.code !== 0) refused++;
        return;
      } catch (err) {
        if (/already exists in cache/.test(String(err))) return;
        // A full mempool is back-pressure, not a failure: wait for a block to drain it.
        if (/mempool is full/.test(String(err)) && attempt < 600) {
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
        if (attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const senders = load.txs.map(async (txs) => {
    for (const tx of txs) {
      sent.set(hex(tx), performance.now());
      await broadcast(tx);
    }
  });
  let sending = true;
  let sendError: unknown;
  const sendingDone = Promise.all(senders).then(
    () => (sending = false),
    (err: unknown) => {
      sending = false;
      sendError = err;
    },
  );
  const deadline = performance.now() + 600_000;
  while (committedAt.size + failed + refused < total) {
    if (sendError !== undefined) throw sendError;
    if (performance.now() > deadline) throw new Error(`G9: ${committedAt.size} of ${total} txs committed after 10 minutes`);
    const latest = await rpcGet<{ sync_info: { latest_block_height: string } }>(rpc, 'status').then(
      (st) => Number(st.sync_info.latest_block_height),
      () => height,
    );
    for (let h = height + 1; h <= latest; h++) {
      const now = performance.now();
      // The block store holds a block before its results: read both, or come back next poll.
      const read = await Promise.all([
        rpcGet<{ block: { data: { txs: string[] | null } } }>(rpc, `block?height=${h}`),
        rpcGet<{ txs_results: { code: number }[] | null }>(rpc, `block_results?height=${h}`),
      ]).catch(() => undefined);
      if (read === undefined) break;
      const [block, results] = read;
      height = h;
      const txs = block.block.data.txs ?? [];
      if (txs.length === 0) continue;
      blocks++;
      txs.forEach((b64, i) => {
        const id = Buffer.from(sha256(Buffer.from(b64, 'base64'))).toString('hex').toUpperCase();
        if (!sent.has(id)) return;
        if ((results.txs_results ?? [])[i]?.code === 0) committedAt.set(id, now);
        else failed++;
      });
      lastCommit = now;
    }
    if (!sending && committedAt.size + failed + refused >= total) break;
    // Async sends learn of a CheckTx refusal only by its absence: once everything was sent and
    // the mempool is empty, what did not commit was refused.
    if (!sending && MODE === 'async' && performance.now() - lastCommit > 3000) {
      const pending = await rpcGet<{ n_txs: string }>(rpc, 'num_unconfirmed_txs').then((r) => Number(r.n_txs), () => 1);
      if (pending === 0) {
        refused = total - committedAt.size - failed;
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await sendingDone;
  const latencies = [...committedAt].map(([id, at]) => at - sent.get(id)!);
  return {
    txPerSec: (committedAt.size * 1000) / (lastCommit - t0),
    p50: median(latencies),
    p99: percentile(latencies, 99),
    committed: committedAt.size,
    failed: failed + refused,
    blocks,
  };
}

/** Homes of a one-validator testnet (ports moved to free ones), senders funded. */
async function embeddedRun(load: Load): Promise<Run> {
  const dir = tempDir('sekai-g9-');
  try {
    const made = JSON.parse(
      (await ok(['testnet', '--validators', '1', '--output-dir', dir, '--chain-id', CHAIN_ID, '--output', 'json', '--log_level', 'warn'])).stdout,
    ) as { nodes: { home: string }[] };
    const home = made.nodes[0].home;
    const genesisPath = homeLayout(home).genesis;
    const genesis = JSON.parse(readFileSync(genesisPath, 'utf8'));
    fundSenders(genesis, load.keys);
    writeFileSync(genesisPath, JSON.stringify(genesis, null, 2));
    const rpc = `127.0.0.1:${await freePort()}`;
    const node = await spawnCli(['start', '--home', home, '--rpc.laddr', `tcp://${rpc}`, '--log_level', 'warn'], /RPC listening at /, 120_000);
    try {
      return await drive(`http://${rpc}`, load);
    } finally {
      await node.stop();
    }
  } finally {
    removeDir(dir);
  }
}

async function cometRun(validators: number, load: Load): Promise<Run> {
  const net = await startNetwork({ validators, chainId: CHAIN_ID, timeoutCommit: TIMEOUT_COMMIT ?? DEFAULT_TIMEOUT_COMMIT, editGenesis: (g) => fundSenders(g, load.keys) });
  try {
    await net.waitForHeight(2);
    return await drive(net.nodes[0].rpc, load);
  } finally {
    await net.stop();
  }
}

export async function run(limits: Limits): Promise<BenchSection | void> {
  if (findCometBFT() === undefined) {
    console.log('end-to-end throughput (G9): skipped, COMETBFT_BIN is not set (a CometBFT v0.38 binary)');
    return;
  }
  // The same-run baseline: G1 and G3 from the runtime bench, G4a from the multistore bench.
  const runtime = await runSekai(limits);
  const g1 = runtime.figures.find((f) => f.id === 'G1')!.measured;
  const g3 = runtime.figures.find((f) => f.id === 'G3')!.measured;
  const g4aUsPerKey = (await multistoreRun(limits)).flatMap((s) => s.figures).find((f) => f.id === 'G4a')!.measured;
  const g4a = 1e6 / (g4aUsPerKey * KEYS_PER_SEND);
  const base = Math.min(g1, g3, g4a);

  const load = makeLoad();
  const runs: Array<[string, Run, string]> = [];
  if (TARGETS.has('1')) runs.push(['CometBFT, 1 validator', await cometRun(1, load), '>= 0.5']);
  if (TARGETS.has('4')) runs.push(['CometBFT, 4 validators on loopback', await cometRun(4, load), '']);
  if (TARGETS.has('embedded')) runs.push(['embedded engine, 1 validator', await embeddedRun(load), '']);
  const n = SENDERS * PER_SENDER;
  const row = ([label, r, goal]: [string, Run, string]): BenchSection['figures'] => [
    { name: `${label}: committed tx/s (${r.committed} of ${n} in ${r.blocks} blocks)`, measured: r.txPerSec, unit: 'tx/s', limit: base, goal, ...(goal ? { id: 'G9' } : {}) },
    { name: `${label}: time to commit p50 / p99`, measured: r.p50, unit: 'ms', limit: r.p99, goal: '(p50 vs p99)' },
  ];
  return {
    title: `End-to-end throughput (G9): signed bank sends through broadcast_tx_${MODE}`,
    figures: runs.flatMap(row),
    notes: [
      `${SENDERS} senders × ${PER_SENDER} pre-signed sends, each sender in sequence order (${MODE === 'async' ? 'next send once the node queued the previous' : 'next send when CheckTx answered'}), all at once; timeout_commit ${TIMEOUT_COMMIT ?? DEFAULT_TIMEOUT_COMMIT}`,
      `baseline min(G1, G3, G4a-implied) = ${base.toFixed(0)} tx/s: G1 CheckTx ${g1.toFixed(0)} tx/s, G3 FinalizeBlock ${g3.toFixed(0)} tx/s, G4a ${g4aUsPerKey.toFixed(1)} µs/key × ${KEYS_PER_SEND} keys = ${g4a.toFixed(0)} tx/s (same run)`,
      `refused or failed: ${runs.map(([label, r]) => `${label} ${r.failed}`).join(', ')}`,
    ],
  };
}
