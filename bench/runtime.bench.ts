/**
 * The app runtime end to end, over the IAVL RootMultiStore on LevelDB and the ledger test
 * modules (JSON-encoded accounts and balances, bech32 parsing on every access):
 * - CheckTx NEW throughput of signed transfers (full ante: decode, verify, account read,
 *   sequence and fee in the check state) against L_tx (G1);
 * - blocks of 1 000 transfers through PrepareProposal + ProcessProposal + FinalizeBlock +
 *   Commit, against L_tx;
 * - FinalizeBlock alone with signature verification excluded, against L_decode (G3).
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import type { TestApp } from '../test/fixtures/runtimeApp';
import { CHAIN_ID, genesisFor, openTestApp, rawKey, rawSend, tempDir, time } from '../test/fixtures/runtimeApp';
import type { BaseAppOptions } from '../app/baseapp';
import { createWorkerPoolVerifier } from '../crypto/verifier';
import { median, type BenchSection, type Limits } from './harness';

const SENDERS = 5_000;
const BLOCK_TXS = 1_000;

async function freshApp(tag: string, senders: string[], options: Partial<BaseAppOptions> = {}): Promise<TestApp> {
  const t = await openTestApp(tempDir(tag), { options });
  t.app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: genesisFor(senders), initialHeight: 1n });
  t.app.finalizeBlock(finalizeReq(1, []));
  await t.app.commit();
  return t;
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

async function close(t: TestApp): Promise<void> {
  await t.store.close();
  rmSync(t.dir, { recursive: true, force: true });
}

async function blockSeries(tag: string, addresses: string[], txs: Uint8Array[], options: Partial<BaseAppOptions>) {
  const rates: number[] = [];
  const phase = { prepare: [] as number[], process: [] as number[], finalize: [] as number[], commit: [] as number[] };
  {
    const t = await freshApp(tag, addresses, options);
    for (let b = 0; b * BLOCK_TXS < SENDERS; b++) {
      const height = b + 2;
      const batch = txs.slice(b * BLOCK_TXS, (b + 1) * BLOCK_TXS);
      const t0 = performance.now();
      const prep = t.app.prepareProposal({ maxTxBytes: 22_020_096n, txs: batch, localLastCommit: { round: 0, votes: [] }, misbehavior: [], height: BigInt(height), time: time(height), nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) });
      const t1 = performance.now();
      const proc = await t.app.processProposal({ txs: prep.txs, proposedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: BigInt(height), time: time(height), nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) });
      if (proc.status !== 1) throw new Error('proposal rejected');
      const t2 = performance.now();
      const res = t.app.finalizeBlock(finalizeReq(height, prep.txs));
      if (res.txResults.some((r) => r.code !== 0)) throw new Error(`a tx failed: ${res.txResults.find((r) => r.code !== 0)!.log}`);
      const t3 = performance.now();
      await t.app.commit();
      const t4 = performance.now();
      phase.prepare.push(t1 - t0);
      phase.process.push(t2 - t1);
      phase.finalize.push(t3 - t2);
      phase.commit.push(t4 - t3);
      rates.push((batch.length * 1000) / (t4 - t0));
    }
    await close(t);
  }

  return { rates, phase };
}

export async function run(limits: Limits): Promise<BenchSection> {
  const keys = Array.from({ length: SENDERS }, (_, i) => rawKey(i));
  const addresses = keys.map((k) => k.address);
  const txs = keys.map((k, i) =>
    rawSend(k, { from: k.address, to: addresses[(i + 1) % SENDERS], sequence: 0n, accountNumber: BigInt(i), amount: '10' }),
  );

  // CheckTx: every tx once (each advances its sender's sequence in the check state); the
  // median of several passes, each on a fresh check state.
  const checkRates: number[] = [];
  {
    const t = await freshApp('bench-check', addresses);
    for (let pass = 0; pass < 3; pass++) {
      const start = performance.now();
      for (const tx of txs) {
        const r = t.app.checkTx({ tx, type: CheckTxType.NEW });
        if (r.code !== 0) throw new Error(`CheckTx refused a valid tx: ${r.log}`);
      }
      checkRates.push((txs.length * 1000) / (performance.now() - start));
      // Commit an empty block to reset the check state to committed state (sequences 0).
      t.app.finalizeBlock(finalizeReq(pass + 2, []));
      await t.app.commit();
    }
    await close(t);
  }

  // Blocks of 1 000 transfers (never seen by CheckTx) through the whole consensus path:
  // signatures verified on the main thread in FinalizeBlock, then by a worker pool while
  // ProcessProposal runs.
  const main = await blockSeries('bench-blocks', addresses, txs, {});
  const pool = await createWorkerPoolVerifier();
  let pooled: Awaited<ReturnType<typeof blockSeries>>;
  try {
    pooled = await blockSeries('bench-blocks-pool', addresses, txs, { verifier: pool });
  } finally {
    await pool.close();
  }

  // FinalizeBlock with signature verification excluded (G3's scope).
  const execRates: number[] = [];
  {
    const t = await freshApp('bench-exec', addresses, { verify: () => true });
    for (let b = 0; b * BLOCK_TXS < SENDERS; b++) {
      const batch = txs.slice(b * BLOCK_TXS, (b + 1) * BLOCK_TXS);
      const start = performance.now();
      t.app.finalizeBlock(finalizeReq(b + 2, batch));
      execRates.push((batch.length * 1000) / (performance.now() - start));
      await t.app.commit();
    }
    await close(t);
  }

  const ms = (xs: number[]) => median(xs).toFixed(1);
  return {
    title: 'App runtime (BaseApp over RootMultiStore, ledger test modules)',
    figures: [
      { name: `CheckTx NEW, signed transfers (${SENDERS} txs, median of 3 passes)`, measured: median(checkRates), unit: 'tx/s', limit: limits.L_tx, goal: '>= 0.70', id: 'G1' },
      { name: `Prepare+Process+Finalize+Commit, ${BLOCK_TXS}-tx blocks, main-thread verify`, measured: median(main.rates), unit: 'tx/s', limit: limits.L_tx, goal: '>= 0.5' },
      { name: `same, worker-pool verify during ProcessProposal (${limits.cores} cores)`, measured: median(pooled.rates), unit: 'tx/s', limit: limits.L_tx, goal: '>= 0.5' },
      { name: `FinalizeBlock only, verification excluded, ${BLOCK_TXS}-tx blocks`, measured: median(execRates), unit: 'tx/s', limit: limits.L_decode, goal: '>= 0.25', id: 'G3' },
    ],
    notes: [
      `per 1000-tx block, main-thread verify (median ms): prepare ${ms(main.phase.prepare)}, process ${ms(main.phase.process)}, finalize ${ms(main.phase.finalize)}, commit ${ms(main.phase.commit)}`,
      `per 1000-tx block, worker-pool verify (median ms): prepare ${ms(pooled.phase.prepare)}, process ${ms(pooled.phase.process)}, finalize ${ms(pooled.phase.finalize)}, commit ${ms(pooled.phase.commit)}`,
      'The ledger test modules store JSON and parse bech32 on every access; x/ modules with protobuf values will differ.',
    ],
  };
}
