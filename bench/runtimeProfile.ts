/**
 * A driver for CPU profiles of the sekai app's hot paths (not a benchmark of its own):
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof -r @swc-node/register bench/runtimeProfile.ts [finalize|check|pipeline] [blocks]
 *
 * `finalize` runs FinalizeBlock + Commit over 1000-tx blocks of signed MsgSend with
 * signature verification stubbed out (the G3 path); `check` runs CheckTx NEW over the
 * same txs (G1); `pipeline` runs Prepare + Process + Finalize + Commit with real
 * verification. Prints the time per phase so a change can be checked without the harness.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { createApp } from '../app/app';
import type { BaseAppOptions } from '../runtime/baseapp';
import { KEX_METADATA } from '../x/bank';
import { CHAIN_ID, rawKey, rawSend, tempDir, time } from '../test/fixtures/runtimeApp';

const SENDERS = 5_000;

/**
 * CPU time of the main thread alone, in ms (Linux schedstat, nanoseconds): unlike wall time
 * it leaves out waiting for a core, and unlike process.cpuUsage it leaves out GC helper and
 * LevelDB threads, so an A/B comparison holds on a busy machine. Undefined elsewhere.
 */
function mainThreadCpuMs(): number | undefined {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}
const BLOCK_TXS = 1_000;

/** Steady-state senders: keys bound at genesis (set PROFILE_FIRST_USE=1 to bind them in the first txs). */
function genesis(addresses: string[], pubKeys: Uint8Array[]): Uint8Array {
  const bind = !process.env.PROFILE_FIRST_USE;
  return new TextEncoder().encode(
    JSON.stringify({
      accountid: {
        accounts: addresses.map((address, i) => ({
          address,
          account_number: String(i),
          ...(bind ? { pub_keys: [Buffer.from(pubKeys[i]).toString('base64')] } : {}),
        })),
      },
      bank: {
        balances: addresses.map((address) => ({ address, coins: [{ denom: 'ukex', amount: '1000000000' }] })),
        denom_metadata: [Metadata.toJSON(KEX_METADATA)],
      },
    }),
  );
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

async function main(): Promise<void> {
  const mode = process.argv[2] ?? 'finalize';
  const rounds = Number(process.argv[3] ?? 3);
  const keys = Array.from({ length: SENDERS }, (_, i) => rawKey(i));
  const addresses = keys.map((k) => k.address);
  const txsFor = (sequence: bigint) =>
    keys.map((k, i) => rawSend(k, { from: k.address, to: addresses[(i + 1) % SENDERS], sequence, accountNumber: BigInt(i), amount: '10' }));
  const dir = tempDir('profile');
  const base: Partial<BaseAppOptions> = mode === 'finalize' ? { verify: () => true } : {};
  const { app } = await createApp({ dbDir: join(dir, 'state'), pruning: { strategy: 'default' }, base });
  app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: genesis(addresses, keys.map((k) => k.pub)), initialHeight: 1n });
  app.finalizeBlock(finalizeReq(1, []));
  await app.commit();
  let height = 2;
  // CPU time of this process per FinalizeBlock: less sensitive than wall time to other
  // processes competing for the cores (it still includes GC helper threads).
  const finalizeCpu: number[] = [];
  const finalizeMain: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const txs = txsFor(mode === 'check' ? 0n : BigInt(round));
      if (mode === 'check') {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        for (const tx of txs) {
          const res = app.checkTx({ tx, type: CheckTxType.NEW });
          if (res.code !== 0) throw new Error(`CheckTx refused: ${res.log}`);
        }
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(c0);
        console.log(`check CPU: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
        console.log(`check: ${txs.length} txs in ${ms.toFixed(0)} ms, ${((txs.length * 1000) / ms).toFixed(0)} tx/s`);
        app.finalizeBlock(finalizeReq(height++, []));
        await app.commit();
        continue;
      }
      for (let b = 0; b * BLOCK_TXS < txs.length; b++) {
        const batch = txs.slice(b * BLOCK_TXS, (b + 1) * BLOCK_TXS);
        const t0 = performance.now();
        let t1 = t0;
        if (mode === 'pipeline') {
          const prep = app.prepareProposal({ maxTxBytes: 22_020_096n, txs: batch, localLastCommit: { round: 0, votes: [] }, misbehavior: [], height: BigInt(height), time: time(1_700_000_000 + height), nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) });
          await app.processProposal({ txs: prep.txs, proposedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: BigInt(height), time: time(1_700_000_000 + height), nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) });
          t1 = performance.now();
        }
        const m0 = mainThreadCpuMs();
        const c0 = process.cpuUsage();
        const res = app.finalizeBlock(finalizeReq(height++, batch));
        const c1 = process.cpuUsage(c0);
        const m1 = mainThreadCpuMs();
        if (m0 !== undefined && m1 !== undefined) finalizeMain.push(m1 - m0);
        const failed = res.txResults.find((x) => x.code !== 0);
        if (failed) throw new Error(`a tx failed: ${failed.log}`);
        const t2 = performance.now();
        finalizeCpu.push((c1.user + c1.system) / 1000);
        await app.commit();
        const t3 = performance.now();
        console.log(`block ${height - 1}: proposal ${(t1 - t0).toFixed(1)} ms, finalize ${(t2 - t1).toFixed(1)} ms, commit ${(t3 - t2).toFixed(1)} ms`);
      }
    }
    if (finalizeCpu.length > 0) {
      const sorted = [...finalizeCpu].sort((a, b) => a - b);
      console.log(`finalize CPU ms per block: median ${sorted[sorted.length >> 1].toFixed(1)}, min ${sorted[0].toFixed(1)}`);
      if (finalizeMain.length > 0) {
        const main = [...finalizeMain].sort((a, b) => a - b);
        console.log(`finalize main-thread CPU ms per block: median ${main[main.length >> 1].toFixed(1)}, min ${main[0].toFixed(1)}`);
      }
    }
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
