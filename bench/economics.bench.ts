/**
 * Validator economics at scale (issue 18): 100 ACTIVE validators that all sign every block,
 * x/multistaking crediting each an equal part of the block's inflation, with 100 000
 * delegations (25 000 delegators × 4 vaults, 1 000 per vault) against the same chain with
 * none. Both chains hold the same 25 100 accounts; they differ only by the vaults' delegations
 * (200 000 more keys in the multistaking store). The lazy accumulator makes a block cost
 * O(validators): the goal is a block time with the delegations within 10% of the block time
 * without them, measured in the same run, blocks of the two chains interleaved so that load
 * and drift fall on both alike.
 *
 * A block here is FinalizeBlock (every module's begin and end block: x/customslashing ranks
 * the 100 signers, x/multistaking mints and credits them) plus Commit, with no tx: the
 * figure is the per-block economics cost, not tx execution (bench/runtime.bench.ts).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { createApp, appModules, type SekaiApp } from '../app/app';
import { addressToBech32, consAddressFromEd25519 } from '../crypto/address';
import { sha256 } from '../crypto/hash';
import { ed25519FromSeed, ed25519ToCosmosJson } from '../crypto/keys';
import { Delegation, Vault } from '../proto/gen/sekai/multistaking/v1/multistaking';
import { KEX_METADATA } from '../x/bank';
import { tempDir } from '../test/fixtures/runtimeApp';
import { median, percentile, type BenchSection } from './harness';

const VALIDATORS = 100;
const DELEGATORS = 25_000;
/** Vaults each delegator delegates to: 25 000 × 4 = 100 000 delegations, 1 000 per vault. */
const VAULTS_EACH = 4;
/** Blocks measured per chain (after WARMUP), interleaved. */
const BLOCKS = 150;
const WARMUP = 5;
const CHAIN_ID = 'sekai-economics-bench';
const GENESIS_TIME = 1_700_000_000;
/** ukex per delegation; shares are 10^6 per ukex in a vault's first delegations (DECIMAL_OFFSET). */
const DELEGATED = 1_000n;

interface Validator {
  operator: string;
  valAddr: string;
  valKey: Uint8Array;
  consPub: Uint8Array;
  consAddr: Uint8Array;
}

function validators(): Validator[] {
  return Array.from({ length: VALIDATORS }, (_, i) => {
    const valKey = sha256(Buffer.from(`economics bench operator ${i}`)).subarray(0, 20);
    const cons = ed25519FromSeed(sha256(Buffer.from(`economics bench consensus ${i}`)));
    return { operator: addressToBech32('account', valKey), valAddr: addressToBech32('validator', valKey), valKey, consPub: cons.pubkey, consAddr: consAddressFromEd25519(cons.pubkey) };
  });
}

function delegatorAddress(i: number): string {
  return addressToBech32('account', sha256(Buffer.from(`economics bench delegator ${i}`)).subarray(0, 20));
}

/** The genesis of both chains; `delegations` adds the vaults' 100 000 delegations. */
function genesis(vals: Validator[], delegations: boolean): Uint8Array {
  const accounts = [...vals.map((v) => v.operator), ...Array.from({ length: DELEGATORS }, (_, i) => delegatorAddress(i))];
  const defaults = appModules().defaultGenesis() as Record<string, Record<string, unknown>>;
  const vaults: unknown[] = [];
  const list: unknown[] = [];
  if (delegations) {
    const perVault = (DELEGATORS * VAULTS_EACH) / VALIDATORS;
    const shares = DELEGATED * 1_000_000n;
    vals.forEach((v) => {
      vaults.push(Vault.toJSON(Vault.fromPartial({ valKey: Buffer.from(v.valKey), totalShares: (shares * BigInt(perVault)).toString(), totalAssets: (DELEGATED * BigInt(perVault)).toString(), delegators: BigInt(perVault) })));
    });
    for (let d = 0; d < DELEGATORS; d++) {
      for (let k = 0; k < VAULTS_EACH; k++) {
        const v = vals[(d * VAULTS_EACH + k) % VALIDATORS];
        list.push(Delegation.toJSON(Delegation.fromPartial({ valKey: Buffer.from(v.valKey), delegator: BigInt(VALIDATORS + d), shares: shares.toString(), lastDelegatedAt: BigInt(GENESIS_TIME) })));
      }
    }
  }
  const state = {
    ...defaults,
    accountid: { accounts: accounts.map((address, i) => ({ address, account_number: String(i) })) },
    bank: {
      // The operators hold the supply inflation is computed from; delegated ukex sits in the vault account.
      balances: [
        ...vals.map((v) => ({ address: v.operator, coins: [{ denom: 'ukex', amount: '1000000000000' }] })),
      ],
      denom_metadata: [Metadata.toJSON(KEX_METADATA)],
    },
    customstaking: {
      validators: vals.map((v, i) => ({
        val_key: v.valAddr,
        pub_key: ed25519ToCosmosJson(v.consPub),
        status: 'ACTIVE',
        rank: '0',
        streak: '0',
        moniker: `validator-${i}`,
        address: v.operator,
        commission_rate: '0.1',
      })),
    },
    multistaking: { vaults, delegations: list },
  };
  return new TextEncoder().encode(JSON.stringify(state));
}

interface Chain {
  sekai: SekaiApp;
  dir: string;
  height: number;
  finalizeMs: number[];
  commitMs: number[];
  /** x/multistaking's reward distribution alone (its BeginBlock's keeper.distribute), per recorded block. */
  distributeMs: number[];
  /** Validators credited in the last block, and how many of those credits went to delegators. */
  credited: number;
  toDelegators: number;
  lastDistributeMs?: number;
}

async function open(tag: string, vals: Validator[], delegations: boolean): Promise<{ chain: Chain; initMs: number }> {
  const dir = tempDir(`economics-bench-${tag}`);
  const sekai = await createApp({ dbDir: join(dir, 'state'), pruning: { strategy: 'default' }, multistakingAtGenesis: true });
  const t0 = performance.now();
  sekai.app.initChain({
    time: { seconds: BigInt(GENESIS_TIME), nanos: 0 },
    chainId: CHAIN_ID,
    consensusParams: undefined,
    validators: [],
    appStateBytes: genesis(vals, delegations),
    initialHeight: 1n,
  });
  const chain: Chain = { sekai, dir, height: 0, finalizeMs: [], commitMs: [], distributeMs: [], credited: 0, toDelegators: 0 };
  // Times the distribution inside FinalizeBlock: the module calls this keeper's method.
  const keeper = sekai.keepers.multistaking;
  const distribute = keeper.distribute.bind(keeper);
  keeper.distribute = (ctx) => {
    const d0 = performance.now();
    distribute(ctx);
    chain.lastDistributeMs = performance.now() - d0;
  };
  await block(chain, vals, false);
  await sekai.store.flush();
  return { chain, initMs: performance.now() - t0 };
}

/** One empty block signed by every validator, 5 s after the previous one. */
async function block(c: Chain, vals: Validator[], record: boolean): Promise<void> {
  c.height += 1;
  const votes = c.height === 1 ? [] : vals.map((v) => ({ validator: { address: v.consAddr, power: 1n }, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT }));
  const t0 = performance.now();
  const res = c.sekai.app.finalizeBlock({
    txs: [],
    decidedLastCommit: { round: 0, votes },
    misbehavior: [],
    hash: new Uint8Array(32),
    height: BigInt(c.height),
    time: { seconds: BigInt(GENESIS_TIME + 5 * c.height), nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: vals[c.height % VALIDATORS].consAddr,
  });
  const t1 = performance.now();
  const rewards = res.events.filter((e) => e.type === 'validator_reward');
  c.credited = rewards.length;
  c.toDelegators = rewards.filter((e) => e.attributes.some((a) => a.key === 'delegators' && a.value !== '0ukex')).length;
  await c.sekai.app.commit();
  const t2 = performance.now();
  if (record) {
    c.finalizeMs.push(t1 - t0);
    c.distributeMs.push(c.lastDistributeMs ?? NaN);
    c.commitMs.push(t2 - t1);
  }
}

export async function run(): Promise<BenchSection> {
  const vals = validators();
  const base = await open('none', vals, false);
  const loaded = await open('delegations', vals, true);
  const chains = [base.chain, loaded.chain];
  for (let i = 0; i < WARMUP; i++) for (const c of chains) await block(c, vals, false);
  for (let i = 0; i < BLOCKS; i++) {
    // Interleaved, alternating which goes first.
    const order = i % 2 === 0 ? chains : [...chains].reverse();
    for (const c of order) {
      await block(c, vals, true);
      await c.sekai.store.flush();
    }
  }
  const total = (c: Chain) => c.finalizeMs.map((f, i) => f + c.commitMs[i]);
  const [b, l] = [median(total(base.chain)), median(total(loaded.chain))];
  const section: BenchSection = {
    title: `Validator economics: ${VALIDATORS} validators signing every block, ${DELEGATORS * VAULTS_EACH} delegations vs none (x/multistaking)`,
    figures: [
      { name: 'block (FinalizeBlock + Commit), no delegations, median', measured: b, unit: 'ms' },
      { name: 'block (FinalizeBlock + Commit), 100 000 delegations, median', measured: l, unit: 'ms', limit: b, goal: '<= 1.10' },
      { name: 'FinalizeBlock, no delegations, median', measured: median(base.chain.finalizeMs), unit: 'ms' },
      { name: 'FinalizeBlock, 100 000 delegations, median', measured: median(loaded.chain.finalizeMs), unit: 'ms', limit: median(base.chain.finalizeMs), goal: '<= 1.10' },
      { name: 'reward distribution (x/multistaking BeginBlock), no delegations, median', measured: median(base.chain.distributeMs), unit: 'ms' },
      { name: 'reward distribution, 100 000 delegations, median', measured: median(loaded.chain.distributeMs), unit: 'ms', limit: median(base.chain.distributeMs), goal: '<= 1.10' },
      { name: 'Commit, no delegations, median', measured: median(base.chain.commitMs), unit: 'ms' },
      { name: 'Commit, 100 000 delegations, median', measured: median(loaded.chain.commitMs), unit: 'ms', limit: median(base.chain.commitMs), goal: '<= 1.10' },
      { name: 'block, 100 000 delegations, p90', measured: percentile(total(loaded.chain), 90), unit: 'ms', limit: percentile(total(base.chain), 90), goal: '<= 1.10' },
    ],
    notes: [
      `${BLOCKS} blocks per chain after ${WARMUP} warm-up blocks, interleaved; each block credits ${VALIDATORS} validators (inflation, commission 0.1).`,
      `last block credited ${base.chain.credited} validators without delegations (all to commission) and ${loaded.chain.credited} with them (${loaded.chain.toDelegators} with a delegators' part).`,
      `genesis + first block: ${(base.initMs / 1000).toFixed(1)} s without delegations, ${(loaded.initMs / 1000).toFixed(1)} s with them.`,
    ],
  };
  for (const c of chains) {
    await c.sekai.app.close();
    rmSync(c.dir, { recursive: true, force: true });
  }
  return section;
}
