/**
 * End-to-end throughput (G9): signed bank sends from SENDERS accounts, each sender sending its
 * pre-signed txs in sequence order, all senders at once, through
 * - real CometBFT (COMETBFT_BIN) in front of one validator,
 * - the 4-validator loopback network (test/network.ts), sent to node 0,
 * - the embedded engine (`sekaid-ts start`) on a one-validator home, the same load.
 * The load is a closed loop (at most WINDOW txs sent and not yet in a block) sent as JSON-RPC
 * batches over keep-alive connections, so the generator, which shares the machine's two cores
 * with the node, costs little CPU per tx; each run reports the CPU every process spent per
 * committed tx, which is where the time goes.
 * Figures: committed tx/s (from the first send to the block holding the last tx, as this
 * process sees the blocks by polling every 50 ms) and time from send to commit, p50 and p99.
 * Results (codes) are read once the clock has stopped.
 *
 * Same-run baseline: min(G1, G3, G4a-implied tx/s), measured here by the runtime and
 * multistore benches' own code (CheckTx throughput, FinalizeBlock execution, commit cost per
 * changed key × 4 keys a send changes: both balances, the fee collector's and the sender's
 * sequence). Goal: ≥ 0.5 × that on one validator.
 *
 * Without COMETBFT_BIN the section is skipped with one line. Nodes run with the config
 * `testnet` writes (timeout_commit 1s, max_gas, mempool size) except for ports, unless a
 * BENCH_G9_* variable below says otherwise; every process is stopped at the end.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { homeLayout } from '../node/config';
import { sha256 } from '../crypto/hash';
import { ok, removeDir, tempDir } from '../test/cli/cli';
import { findCometBFT, freePort } from '../test/cometbft';
import { spawnCli } from '../test/e2e/cliChain';
import { rawKey, rawSend, type RawKey } from '../test/fixtures/runtimeApp';
import { startNetwork } from '../test/network';
import { defaultCometConfig } from '../node/config';
import { median, percentile, procCpu, type BenchSection, type Limits } from './harness';
import { run as multistoreRun } from './multistore.bench';
import { runSekai } from './runtime.bench';

const SENDERS = Number(process.env.BENCH_G9_SENDERS ?? 64);
const PER_SENDER = Number(process.env.BENCH_G9_TXS_PER_SENDER ?? 400);
/**
 * `async` (default): each sender sends its pre-signed sequence with `broadcast_tx_async`, the
 * next as soon as the node queued the previous for CheckTx (the order of one sender's txs is
 * kept; no round trip waits for CheckTx). `sync`: the next send waits for CheckTx's answer.
 */
const MODE = process.env.BENCH_G9_MODE === 'sync' ? 'sync' : 'async';
/**
 * Txs per HTTP request: each sender sends its next BATCH txs as one JSON-RPC batch (one POST;
 * 1 is one request per tx, as a wallet sends), so the load generator, which shares the machine's cores with the node, spends
 * less of them on HTTP per tx. CometBFT's rpc.max_request_batch_size (default 10) caps it.
 */
const BATCH = Number(process.env.BENCH_G9_BATCH ?? 10);
/**
 * Most txs in flight (sent, not yet in a block): a block's worth (3,000 sends at the default
 * max_gas), well under the mempool's 10,000. A larger backlog only adds rechecks: CometBFT
 * checks every tx left in the mempool again after each block.
 */
const WINDOW = Number(process.env.BENCH_G9_WINDOW ?? 3000);
/** Which runs: `1` (CometBFT, one validator), `4` (the 4-validator network), `embedded`. */
const TARGETS = new Set((process.env.BENCH_G9_TARGETS ?? '1,4,embedded').split(','));
/** timeout_commit of the CometBFT runs (default: what `init` and `testnet` write). */
const TIMEOUT_COMMIT = process.env.BENCH_G9_TIMEOUT_COMMIT;
/** tx_index.indexer of the CometBFT runs (default: what `init` writes, "kv"). */
const INDEXER = process.env.BENCH_G9_INDEXER;
/** app.toml index-events of the CometBFT runs, comma-separated (default: what `init` writes, [] = every attribute). */
const INDEX_EVENTS = process.env.BENCH_G9_INDEX_EVENTS;
/** consensus_params.block.max_gas of the runs (default: what `init` and `testnet` write). */
const MAX_GAS = process.env.BENCH_G9_MAX_GAS;
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
  if (MAX_GAS !== undefined) genesis.consensus_params.block.max_gas = MAX_GAS;
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
  /** CPU milliseconds per committed tx, by process, over the driven interval. */
  cpuPerTx: { label: string; ms: number }[];
}

/** A process whose CPU the run accounts for. */
interface Watched {
  label: string;
  pid: number;
}

/** utime + stime of a process in milliseconds, or undefined when it cannot be read. */
function cpuMs(pid: number): number | undefined {
  const cpu = procCpu(pid);
  return cpu === undefined ? undefined : (cpu.own.user + cpu.own.system) / 1000;
}

/** One keep-alive HTTP connection pool to the node's RPC, cheaper per call than fetch. */
function rpcClient(rpc: string): { get: <T>(path: string) => Promise<T>; post: <T>(body: string) => Promise<T>; close: () => void } {
  const url = new URL(rpc);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const call = <T>(method: 'GET' | 'POST', path: string, body?: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path, method, agent, headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
            } catch (err) {
              reject(err);
            }
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(60_000, () => req.destroy(new Error(`${path}: no answer in 60 s`)));
      req.on('error', reject);
      req.end(body);
    });
  return {
    get: async <T>(path: string) => {
      const body = await call<{ result?: T; error?: { message: string; data?: string } }>('GET', `/${path}`);
      if (body.error) throw new Error(`${path.slice(0, 40)}: ${body.error.message} ${body.error.data ?? ''}`.trim());
      return body.result as T;
    },
    post: <T>(body: string) => call<T>('POST', '/', body),
    close: () => agent.destroy(),
  };
}

/** Retries `read` every 100 ms for up to 60 s. */
async function waitFor<T>(read: () => Promise<T>, what: string): Promise<T> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (performance.now() > deadline) throw new Error(`G9: no ${what} after 60 s: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Drives the load through `rpc` and waits until every tx is in a block. The clock stops at the
 * block holding the last tx; each block's results (codes) are read after that, so the JSON of
 * thousands of tx results is not rendered on the node while it is being measured.
 */
async function drive(rpc: string, load: Load, watched: Watched[]): Promise<Run> {
  const client = rpcClient(rpc);
  const sent = new Map<string, number>();
  const hex = (tx: Uint8Array) => Buffer.from(sha256(tx)).toString('hex').toUpperCase();
  const start0 = (await client.get<{ sync_info: { latest_block_height: string } }>('status')).sync_info.latest_block_height;
  let height = Number(start0);
  const includedAt = new Map<string, number>();
  /** Heights holding our txs, with the ids in block order. */
  const ourBlocks = new Map<number, (string | undefined)[]>();
  let lastCommit = 0;
  const total = load.txs.reduce((n, t) => n + t.length, 0);
  let refused = 0;

  const cpu0 = watched.map((w) => cpuMs(w.pid));
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  /**
   * Up to BATCH of one sender's txs in one JSON-RPC batch (CometBFT runs a batch's calls in
   * order); what the node answers "mempool is full" is sent again, in order, once a block
   * drained it. A connection the loaded node drops is sent again too: CometBFT answers a tx it
   * already holds with "tx already exists in cache", which is not a refusal.
   */
  const sendBatch = async (txs: Uint8Array[]): Promise<void> => {
    let rest = txs;
    for (let attempt = 0; rest.length > 0; attempt++) {
      const body = JSON.stringify(rest.map((tx, id) => ({ jsonrpc: '2.0', id, method: `broadcast_tx_${MODE}`, params: { tx: Buffer.from(tx).toString('base64') } })));
      type Answer = { id?: number; result?: { code: number }; error?: { message: string; data?: string } };
      let answers: Answer[];
      try {
        const got = await client.post<Answer | Answer[]>(body);
        // CometBFT answers a batch of one with a single object; one without an id refused the whole batch.
        answers = Array.isArray(got) ? got : [got];
        if (answers.some((a) => typeof a.id !== 'number')) throw new Error(`G9: the node refused a batch: ${JSON.stringify(got).slice(0, 300)}`);
      } catch (err) {
        if (attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const byId = new Map(answers.map((a) => [a.id, a]));
      let firstFull = rest.length;
      for (let i = 0; i < rest.length; i++) {
        const a = byId.get(i);
        const error = a?.error ? `${a.error.message} ${a.error.data ?? ''}` : undefined;
        if (error !== undefined && /mempool is full/.test(error)) {
          firstFull = i;
          break;
        }
        if (a?.result !== undefined ? a.result.code !== 0 : !/already exists in cache/.test(error ?? '')) refused++;
      }
      rest = rest.slice(firstFull);
      if (rest.length > 0) {
        if (attempt >= 600) throw new Error('G9: mempool still full after 2 minutes');
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  // Closed loop: no more than WINDOW txs sent and not yet in a block, so the load never
  // overruns the mempool (CometBFT drops a tx that passed CheckTx when the mempool filled up
  // meanwhile, and every later tx of its sender then fails on its sequence).
  const room = async (): Promise<void> => {
    while (sent.size - includedAt.size >= WINDOW) await new Promise((r) => setTimeout(r, 20));
  };
  const senders = load.txs.map(async (txs) => {
    for (let i = 0; i < txs.length; i += BATCH) {
      await room();
      const batch = txs.slice(i, i + BATCH);
      const at = performance.now();
      for (const tx of batch) sent.set(hex(tx), at);
      await sendBatch(batch);
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
  while (includedAt.size + refused < total) {
    if (sendError !== undefined) throw sendError;
    if (performance.now() > deadline) throw new Error(`G9: ${includedAt.size} of ${total} txs in blocks after 10 minutes`);
    const latest = await client.get<{ sync_info: { latest_block_height: string } }>('status').then(
      (st) => Number(st.sync_info.latest_block_height),
      () => height,
    );
    for (let h = height + 1; h <= latest; h++) {
      const now = performance.now();
      const block = await client.get<{ block: { data: { txs: string[] | null } } }>(`block?height=${h}`).catch(() => undefined);
      if (block === undefined) break;
      height = h;
      const txs = block.block.data.txs ?? [];
      const ids = txs.map((b64) => {
        const id = hex(Buffer.from(b64, 'base64'));
        if (!sent.has(id)) return undefined;
        includedAt.set(id, now);
        return id;
      });
      if (ids.some((id) => id !== undefined)) {
        ourBlocks.set(h, ids);
        lastCommit = now;
      }
    }
    if (!sending && includedAt.size + refused >= total) break;
    // Async sends learn of a CheckTx refusal only by its absence: once everything was sent and
    // the mempool is empty, what did not commit was refused.
    if (!sending && MODE === 'async' && performance.now() - lastCommit > 3000) {
      const pending = await client.get<{ n_txs: string }>('num_unconfirmed_txs').then((r) => Number(r.n_txs), () => 1);
      if (pending === 0) {
        refused = total - includedAt.size;
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const elapsed = lastCommit - t0;
  const self = process.cpuUsage(self0);
  const cpu1 = watched.map((w) => cpuMs(w.pid));
  await sendingDone;

  // Results, after the clock: a tx in a block whose result is not code 0 failed.
  let failed = 0;
  for (const [h, ids] of ourBlocks) {
    // The block store holds a block a moment before its results.
    const results = await waitFor(() => client.get<{ txs_results: { code: number }[] | null }>(`block_results?height=${h}`), `results of block ${h}`);
    ids.forEach((id, i) => {
      if (id !== undefined && (results.txs_results ?? [])[i]?.code !== 0) {
        includedAt.delete(id);
        failed++;
      }
    });
  }
  client.close();
  const latencies = [...includedAt].map(([id, at]) => at - sent.get(id)!);
  const committed = includedAt.size;
  const perTx = (ms: number | undefined) => (ms === undefined ? NaN : ms / Math.max(committed, 1));
  return {
    txPerSec: (committed * 1000) / elapsed,
    p50: median(latencies),
    p99: percentile(latencies, 99),
    committed,
    failed: failed + refused,
    blocks: ourBlocks.size,
    cpuPerTx: [
      ...watched.map((w, i) => ({ label: w.label, ms: perTx(cpu1[i] !== undefined && cpu0[i] !== undefined ? cpu1[i]! - cpu0[i]! : undefined) })),
      { label: 'load generator (this process)', ms: perTx((self.user + self.system) / 1000) },
    ],
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
      return await drive(`http://${rpc}`, load, [{ label: 'sekaid-ts (embedded engine)', pid: node.child.pid! }]);
    } finally {
      await node.stop();
    }
  } finally {
    removeDir(dir);
  }
}

async function cometRun(validators: number, load: Load): Promise<Run> {
  const net = await startNetwork({
    validators,
    chainId: CHAIN_ID,
    timeoutCommit: TIMEOUT_COMMIT ?? DEFAULT_TIMEOUT_COMMIT,
    editGenesis: (g) => fundSenders(g, load.keys),
    editAppConfig: (a) => {
      if (INDEX_EVENTS !== undefined) a.base['index-events'] = INDEX_EVENTS.split(',').filter((e) => e !== '');
    },
    editCometConfig: (c) => {
      if (INDEXER !== undefined) c.tx_index.indexer = INDEXER;
    },
  });
  try {
    await net.waitForHeight(2);
    const named = (n: (typeof net.nodes)[number], what: string) => (validators === 1 ? what : `node ${n.index} ${what}`);
    return await drive(
      net.nodes[0].rpc,
      load,
      net.nodes.flatMap((n) => [
        { label: named(n, 'sekaid-ts app'), pid: n.proc.app.pid! },
        { label: named(n, 'cometbft'), pid: n.proc.comet.pid! },
      ]),
    );
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
      ...runs.map(([label, r]) => `${label}, CPU ms per committed tx: ${r.cpuPerTx.map((c) => `${c.label} ${c.ms.toFixed(3)}`).join(', ')}`),
    ],
  };
}
