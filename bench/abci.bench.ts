/**
 * The ABCI socket layer's own cost, with a no-op application so only framing, protobuf,
 * dispatch and the socket are measured:
 * - pipelined CheckTx (1000 per Flush, as CometBFT's mempool connection sends them), against
 *   the same frames echoed by a bare frame-level loopback server (the transport floor), and
 *   against L_tx: the socket must stay a small share of a real CheckTx;
 * - a synchronous FinalizeBlock + Flush round trip, against a bare one-frame ping-pong.
 */
import * as net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Request, Response, type ResponseCheckTx } from 'cosmjs-types/tendermint/abci/types';
import type { AbciApplication } from '../abci/application';
import { AbciClient } from '../abci/client';
import { FrameDecoder } from '../abci/framing';
import { encodeRequestFrame, encodeResponseFrame } from '../abci/messages';
import { AbciServer } from '../abci/server';
import { median, percentile, type BenchSection, type Limits } from './harness';

const TX_BYTES = 250;
const PIPELINE = 1000;

const okCheck: ResponseCheckTx = { code: 0, data: new Uint8Array(), log: '', info: '', gasWanted: 1n, gasUsed: 0n, events: [], codespace: '' };

const noopApp: AbciApplication = {
  info: () => ({ data: '', version: '', appVersion: 0n, lastBlockHeight: 0n, lastBlockAppHash: new Uint8Array() }),
  query: () => ({ code: 0, log: '', info: '', index: 0n, key: new Uint8Array(), value: new Uint8Array(), height: 0n, codespace: '' }),
  checkTx: () => okCheck,
  initChain: () => ({ validators: [], appHash: new Uint8Array() }),
  prepareProposal: (r) => ({ txs: r.txs }),
  processProposal: () => ({ status: 1 }),
  extendVote: () => ({ voteExtension: new Uint8Array() }),
  verifyVoteExtension: () => ({ status: 1 }),
  finalizeBlock: (r) => ({ events: [], txResults: r.txs.map(() => ({ ...okCheck })), validatorUpdates: [], appHash: new Uint8Array(32) }),
  commit: () => ({ retainHeight: 0n }),
  listSnapshots: () => ({ snapshots: [] }),
  offerSnapshot: () => ({ result: 1 }),
  loadSnapshotChunk: () => ({ chunk: new Uint8Array() }),
  applySnapshotChunk: () => ({ result: 1, refetchChunks: [], rejectSenders: [] }),
};

/** Runs `batch` repeatedly for `ms` after a warm-up; returns the median items/s of `runs` runs. */
async function rate(batch: () => Promise<number>, runs = 5, ms = 300): Promise<number> {
  const until = performance.now() + 200;
  while (performance.now() < until) await batch();
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < ms) n += await batch();
    rates.push((n * 1000) / (performance.now() - start));
  }
  return median(rates);
}

/**
 * The codec-and-socket floor: a peer that decodes every Request frame with the same codec
 * and answers with a freshly encoded `reply`, without queueing, dispatch or an application.
 */
async function bareServer(reply: Response): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.setNoDelay(true);
    const dec = new FrameDecoder();
    s.on('data', (chunk: Buffer) => {
      const frames = dec.push(chunk);
      if (frames.length === 0) return;
      const out: Buffer[] = [];
      for (const f of frames) {
        Request.decode(f);
        out.push(encodeResponseFrame(reply));
      }
      s.write(Buffer.concat(out));
    });
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Encodes `requests`, writes them in one go and resolves when as many decoded replies came back. */
async function bareClient(port: number): Promise<{ roundTrip(requests: Request[]): Promise<void>; close(): void }> {
  const s = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => s.once('connect', () => r()));
  s.setNoDelay(true);
  const dec = new FrameDecoder();
  let want = 0;
  let done: (() => void) | undefined;
  s.on('data', (chunk: Buffer) => {
    for (const f of dec.push(chunk)) {
      Response.decode(f);
      want--;
    }
    if (want <= 0 && done) {
      const d = done;
      done = undefined;
      d();
    }
  });
  return {
    roundTrip(requests) {
      want = requests.length;
      return new Promise<void>((r) => {
        done = r;
        s.write(Buffer.concat(requests.map((q) => encodeRequestFrame(q))));
      });
    },
    close: () => s.destroy(),
  };
}

export async function run(limits: Limits): Promise<BenchSection> {
  const tx = new Uint8Array(TX_BYTES).fill(0x61);
  const server = new AbciServer(noopApp);
  await server.listen('tcp://127.0.0.1:0');
  const client = new AbciClient();
  await client.connect(server.address());

  // Pipelined CheckTx through the real client and server.
  const abciCheck = await rate(async () => {
    const answers: Array<Promise<ResponseCheckTx>> = [];
    for (let i = 0; i < PIPELINE; i++) answers.push(client.checkTxAsync({ tx }));
    await client.flush();
    await Promise.all(answers);
    return PIPELINE;
  });

  // Sync round trip: FinalizeBlock (empty) + Flush, as CometBFT sends it.
  const rtts: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now();
    await client.finalizeBlock({ height: BigInt(i + 1) });
    if (i >= 500) rtts.push((performance.now() - t0) * 1000);
  }
  await client.close();
  await server.close();

  // The same traffic against the codec-and-socket floor.
  const flush = Request.fromPartial({ flush: {} });
  const bare = await bareServer(Response.fromPartial({ checkTx: okCheck }));
  const bc = await bareClient(bare.port);
  const bareCheck = await rate(async () => {
    const reqs = Array.from({ length: PIPELINE }, () => Request.fromPartial({ checkTx: { tx } }));
    reqs.push(flush);
    await bc.roundTrip(reqs);
    return PIPELINE;
  });
  const bareRtts: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now();
    await bc.roundTrip([Request.fromPartial({ finalizeBlock: { height: BigInt(i + 1) } }), flush]);
    if (i >= 500) bareRtts.push((performance.now() - t0) * 1000);
  }
  bc.close();
  await bare.close();

  return {
    title: 'ABCI socket (no-op application, TCP loopback, client and server in one process)',
    figures: [
      { name: `pipelined CheckTx, ${TX_BYTES}-byte txs, ${PIPELINE} per Flush`, measured: abciCheck, unit: 'tx/s', limit: bareCheck, goal: '>= 0.5' },
      { name: 'same, against the CheckTx floor (socket share of a real CheckTx)', measured: abciCheck, unit: 'tx/s', limit: limits.L_tx, goal: '>= 5' },
      { name: 'FinalizeBlock + Flush round trip, p50', measured: median(rtts), unit: 'µs', limit: median(bareRtts), goal: '<= 3' },
      { name: 'FinalizeBlock + Flush round trip, p99 (GC-sensitive, no goal)', measured: percentile(rtts, 99), unit: 'µs', limit: percentile(bareRtts, 99) },
    ],
    notes: [
      'Limits for the first and last two rows: the same requests through a peer that only frames and runs the cosmjs-types codec (no queue, dispatch or application), measured in this run.',
      'A ratio >= 5 against L_tx means the socket costs at most a fifth of the CheckTx floor.',
    ],
  };
}
