/**
 * Physical limits of this machine, measured in the benchmark process before any goal figure
 * (performance.md A3). Every goal is a ratio to one of these, which cancels the drift between
 * runs on a shared VM. The whole measurement takes about 15-25 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

import { ClassicLevel } from 'classic-level';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';

import { sha256 } from '../crypto/hash';
import { addressToBech32 } from '../crypto/address';
import { activeSecp256k1Backend, getSecp256k1Backend, verifySecp256k1With, type Secp256k1Backend } from '../crypto/secp256k1';
import { median, measureRate, percentile, type BenchSection, type Limits } from './harness';

/** 256 distinct inputs, so no cache flatters a figure (as in performance.md A1). */
const DISTINCT = 256;

export interface SigTuple {
  pubkey: Uint8Array;
  msgHash: Uint8Array;
  signature: Uint8Array;
}

/** `count` valid (key, digest, signature) tuples from deterministic keys. */
export function makeSignatureTuples(count: number): SigTuple[] {
  const signer = getSecp256k1Backend('native') ?? getSecp256k1Backend('noble')!;
  const out: SigTuple[] = [];
  for (let i = 0; i < count; i++) {
    const priv = sha256(Buffer.from(`bench key ${i % 64}`));
    const msgHash = sha256(Buffer.from(`bench sign bytes ${i}`));
    out.push({ pubkey: signer.publicKey(priv), msgHash, signature: signer.sign(priv, msgHash) });
  }
  return out;
}

function verifyRate(backend: Secp256k1Backend, tuples: SigTuple[], quick: boolean): number {
  let failures = 0;
  const rate = measureRate(
    (i) => {
      const t = tuples[i % tuples.length]!;
      if (!verifySecp256k1With(backend, t.pubkey, t.msgHash, t.signature)) failures++;
    },
    quick ? { warmupMs: 100, runs: 3, minRunMs: 300, chunk: 4 } : { warmupMs: 200, runs: 5, minRunMs: 300 },
  );
  if (failures > 0) throw new Error(`${backend.name}: ${failures} valid signatures failed to verify`);
  return rate.opsPerSec;
}

/** Realistic TxRaw bytes: one MsgSend, one secp256k1 signer, a fee (about 320 bytes). */
export function makeTxs(count: number): Uint8Array[] {
  const txs: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const pub = Uint8Array.from([2, ...sha256(Buffer.from(`pub ${i}`))]);
    const msg = MsgSend.encode({
      fromAddress: addressToBech32('account', sha256(pub).subarray(0, 20)),
      toAddress: addressToBech32('account', sha256(Buffer.from(`to ${i}`)).subarray(0, 20)),
      amount: [{ denom: 'ukex', amount: String(1000 + i) }],
    }).finish();
    const bodyBytes = TxBody.encode(
      TxBody.fromPartial({ messages: [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: msg }], memo: `memo ${i}` }),
    ).finish();
    const authInfoBytes = AuthInfo.encode(
      AuthInfo.fromPartial({
        signerInfos: [
          {
            publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: pub }).finish() },
            modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
            sequence: BigInt(i),
          },
        ],
        fee: { amount: [{ denom: 'ukex', amount: '200' }], gasLimit: 200000n },
      }),
    ).finish();
    txs.push(TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [new Uint8Array(64).fill(i & 255)] }).finish());
  }
  return txs;
}

/** The CheckTx work other than verification: decode everything, build the sign bytes, two hashes. */
export function decodeForCheckTx(txBytes: Uint8Array, chainId: string): { signHash: Uint8Array; txHash: Uint8Array; pubkey: Uint8Array } {
  const raw = TxRaw.decode(txBytes);
  const body = TxBody.decode(raw.bodyBytes);
  MsgSend.decode(body.messages[0]!.value);
  const authInfo = AuthInfo.decode(raw.authInfoBytes);
  const pubkey = PubKey.decode(authInfo.signerInfos[0]!.publicKey!.value).key;
  const signDoc = SignDoc.encode({ bodyBytes: raw.bodyBytes, authInfoBytes: raw.authInfoBytes, chainId, accountNumber: 7n }).finish();
  return { signHash: sha256(signDoc), txHash: sha256(txBytes), pubkey };
}

async function levelLimits(): Promise<{ t_put: number; t_get: number; t_open: number; keys: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sekai-bench-limits-'));
  const BATCH = 10_000;
  // 20 batches = 200k keys (26 MB of payload): enough for several LevelDB files and a
  // compaction, and small enough to stay within a few seconds. performance.md used 1M keys.
  const BATCHES = 20;
  try {
    const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
    await db.open();
    const value = new Uint8Array(100);
    const perEntry: number[] = [];
    let seq = 0;
    for (let b = 0; b < BATCHES; b++) {
      const ops: { type: 'put'; key: Uint8Array; value: Uint8Array }[] = [];
      for (let k = 0; k < BATCH; k++) {
        // 32-byte key: 8-byte version then 24-byte sequence, big-endian (IAVL v1-style node key).
        const key = new Uint8Array(32);
        const dv = new DataView(key.buffer);
        dv.setUint32(4, 1 + (b >> 3));
        dv.setUint32(28, seq++);
        value[0] = k & 255;
        ops.push({ type: 'put', key, value: value.slice() });
      }
      const start = performance.now();
      await db.batch(ops);
      perEntry.push(((performance.now() - start) * 1000) / BATCH);
    }
    const total = seq;
    // Random hits over the whole key range.
    const probe = new Uint8Array(32);
    const pdv = new DataView(probe.buffer);
    let x = 12345;
    let misses = 0;
    const get = measureRate(
      () => {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        const s = x % total;
        pdv.setUint32(4, 1 + (Math.floor(s / BATCH) >> 3));
        pdv.setUint32(28, s);
        if (db.getSync(probe) === undefined) misses++;
      },
      { warmupMs: 200, runs: 5, minRunMs: 200 },
    );
    if (misses > 0) throw new Error(`getSync missed ${misses} keys that were written`);
    await db.close();
    const opens: number[] = [];
    for (let r = 0; r < 5; r++) {
      const again = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
      const start = performance.now();
      await again.open();
      opens.push(performance.now() - start);
      await again.close();
    }
    // The first batches fill an empty memtable; the median covers the steady state with flushes.
    return { t_put: median(perEntry), t_get: get.usPerOp, t_open: median(opens), keys: total };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Round trip of a 48 KB buffer transferred to a worker and back (p50, p99 in µs). */
async function workerRoundTrip(): Promise<{ p50: number; p99: number }> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', (buf) => parentPort.postMessage(buf, [buf]));`,
    { eval: true },
  );
  try {
    let buf = new ArrayBuffer(48 * 1024);
    const once = () =>
      new Promise<void>((resolve) => {
        worker.once('message', (b: ArrayBuffer) => {
          buf = b;
          resolve();
        });
        worker.postMessage(buf, [buf]);
      });
    for (let i = 0; i < 200; i++) await once();
    const samples: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const start = performance.now();
      await once();
      samples.push((performance.now() - start) * 1000);
    }
    return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
  } finally {
    await worker.terminate();
  }
}

/** Measures every limit. Noble is measured briefly (3 x 300 ms): at ~300 verify/s a full run would take seconds. */
export async function measureLimits(): Promise<{ limits: Limits; section: BenchSection }> {
  const started = performance.now();
  const tuples = makeSignatureTuples(DISTINCT);
  const active = activeSecp256k1Backend();
  const L_verify = verifyRate(active, tuples, false);
  const noble = getSecp256k1Backend('noble');
  const L_verify_noble = noble === undefined ? NaN : verifyRate(noble, tuples.slice(0, 32), true);

  const txs = makeTxs(DISTINCT);
  let sink = 0;
  const decode = measureRate((i) => {
    sink ^= decodeForCheckTx(txs[i % txs.length]!, 'kira-bench-1').signHash[0]!;
  });
  const L_decode = decode.opsPerSec;
  const L_tx = 1 / (1 / L_verify + 1 / L_decode);

  const node80 = Uint8Array.from({ length: 80 }, (_, i) => i);
  const hash = measureRate((i) => {
    node80[0] = i & 255;
    sink ^= sha256(node80)[0]!;
  });

  const level = await levelLimits();
  const rtt = await workerRoundTrip();
  if (sink === -1) console.log('unreachable');

  const limits: Limits = {
    L_verify,
    L_verify_noble,
    verifyBackend: active.name,
    L_decode,
    L_tx,
    t_put: level.t_put,
    t_hash: hash.usPerOp,
    t_get: level.t_get,
    t_open: level.t_open,
    t_rtt: rtt.p50,
    cores: availableParallelism(),
  };
  const section: BenchSection = {
    title: 'Limits',
    figures: [
      { name: `L_verify (secp256k1, ${active.name}, 1 core)`, measured: L_verify, unit: 'verify/s' },
      { name: 'L_verify_noble (secp256k1, @noble/curves)', measured: L_verify_noble, unit: 'verify/s' },
      { name: 'L_decode (decode + SignDoc + 2 sha256)', measured: L_decode, unit: 'tx/s' },
      { name: 'L_tx (CheckTx floor)', measured: L_tx, unit: 'tx/s' },
      { name: 't_put (10k-op batch, sequential 32 B keys, 100 B values)', measured: level.t_put, unit: 'µs/entry' },
      { name: 't_hash (sha256 of 80 B)', measured: hash.usPerOp, unit: 'µs' },
      { name: `t_get (getSync random hit, ${level.keys / 1000}k keys)`, measured: level.t_get, unit: 'µs' },
      { name: 't_open (classic-level open, warm)', measured: level.t_open, unit: 'ms' },
      { name: 't_rtt (worker round trip, 48 KB transferred, p50)', measured: rtt.p50, unit: 'µs' },
      { name: 't_rtt p99', measured: rtt.p99, unit: 'µs' },
    ],
    notes: [
      `native/noble verify ratio ${(L_verify / L_verify_noble).toFixed(1)}x; verify share of L_tx ${((100 * L_tx) / L_verify).toFixed(0)}%`,
      `limits measured in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    ],
  };
  return { limits, section };
}
