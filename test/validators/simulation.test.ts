/**
 * Simulation: 20 validators over 20 000 blocks at the keeper level on the IAVL multistore
 * over LevelDB (each block folded into the working trees, persisted every COMMIT_EVERY
 * blocks: a LevelDB write per block would make the run I/O-bound), with random online / offline spells and random
 * pause / unpause / activate traffic (valid and invalid). After every block:
 * - no rank or streak is negative;
 * - only ACTIVE validators have power, and every power change went out exactly once;
 * - a pause never leaves fewer than MIN_VALIDATORS ACTIVE (only downtime may: the floor bounds
 *   voluntary exits), and the ACTIVE set never empties;
 * - rank and signing counters change only for validators ACTIVE when the block began.
 * The random source is a seeded xorshift, so a failure replays exactly.
 */
import { rmSync } from 'node:fs';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { Context } from '../../runtime/context';
import { StateDb } from '../../store/db';
import { RootMultiStore } from '../../store/rootmulti';
import { CodedError } from '../../types/errors';
import { ValidatorStatus, type Validator } from '../../proto/gen/sekai/staking/v1/staking';
import { stakingModule, fixedProperties, STAKING_STORE_KEY, validatorToJson } from '../../x/customstaking';
import { slashingModule, SLASHING_STORE_KEY } from '../../x/customslashing';
import { ed25519ToCosmosJson } from '../../crypto/keys';
import { tempDir } from '../fixtures/runtimeApp';
import { operator } from './harness';

const N = 20;
const BLOCKS = Number(process.env.SIM_BLOCKS ?? 20_000);
const MIN_VALIDATORS = 5n;
const COMMIT_EVERY = 500;

function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

test(`${N} validators, ${BLOCKS} blocks of random downtime and operator traffic keep the invariants`, async () => {
  const dir = tempDir('validator-sim');
  const store = await RootMultiStore.open(await StateDb.open(dir), { stores: [STAKING_STORE_KEY, SLASHING_STORE_KEY, 'acc'], pruning: { strategy: 'everything' } });
  try {
    const ops = Array.from({ length: N }, (_, i) => operator(i, BigInt(i)));
    // Operators are identified by their address; account i = operator i.
    const byAddress = new Map(ops.map((o, i) => [o.address, BigInt(i)]));
    const properties = fixedProperties({ minValidators: MIN_VALIDATORS, downtimeInactiveDuration: 300n });
    const staking = stakingModule({
      accounts: {
        tryResolve: (_c, ref) => byAddress.get(ref),
        resolveOrCreate: (_c, ref) => byAddress.get(ref)!,
        addressOf: (_c, id) => ops[Number(id)].address,
      },
      permissions: { isAllowed: () => true },
      properties,
    });
    const slashing = slashingModule({ staking: staking.keeper, properties });
    const rand = xorshift(20_000);
    let now = 1_700_000_000n;
    const ctxFor = (branch: ReturnType<RootMultiStore['cacheMultiStore']>, height: number, votes: { validator: { address: Uint8Array; power: bigint }; blockIdFlag: BlockIDFlag }[] = []) =>
      new Context({ mode: 'deliver', block: { chainId: 'sim', height, time: { seconds: now, nanos: 0 }, proposer: new Uint8Array(20) }, stores: branch, decidedLastCommit: { round: 0, votes } });

    // Genesis: every operator seated and ACTIVE.
    {
      const branch = store.cacheMultiStore();
      const init = staking.module.genesis!.initGenesis(ctxFor(branch, 1), {
        validators: ops.map((o, i) => ({ val_key: o.valAddr, pub_key: ed25519ToCosmosJson(o.consPub), status: 'ACTIVE', rank: '0', streak: '0', moniker: `v${i}` })),
      });
      expect(init).toHaveLength(N);
      branch.write();
      await store.commit();
    }

    const offlineUntil = new Array<number>(N).fill(0);
    /** Power CometBFT holds, as the updates told it. */
    const cometPower = new Array<bigint>(N).fill(1n);
    const stats = { inactivations: 0, activations: 0, pauses: 0, unpauses: 0, refused: 0, updates: 0, minActive: N, belowMin: 0 };
    const all = (ctx: Context) => ops.map((o) => staking.keeper.validator(ctx, o.valKeyBytes)!);
    const infoOf = (ctx: Context, i: number) => slashing.keeper.signingInfo(ctx, ops[i].consAddr)!;

    for (let height = 2; height <= BLOCKS + 1; height++) {
      now += 5n;
      for (let i = 0; i < N; i++) {
        if (offlineUntil[i] < height && rand() < 0.003) offlineUntil[i] = height + 1 + Math.floor(rand() * 400);
      }
      // The previous block's commit: validators CometBFT has, present unless offline.
      const votes = ops
        .map((o, i) => ({ o, i }))
        .filter(({ i }) => cometPower[i] === 1n)
        .map(({ o, i }) => ({ validator: { address: o.consAddr, power: 1n }, blockIdFlag: offlineUntil[i] >= height ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : BlockIDFlag.BLOCK_ID_FLAG_COMMIT }));
      const branch = store.cacheMultiStore();
      const ctx = ctxFor(branch, height, votes);
      const before = all(ctx);
      const infosBefore = ops.map((_, i) => infoOf(ctx, i));

      slashing.module.beginBlock!(ctx);
      const afterBegin = all(ctx);
      for (let i = 0; i < N; i++) {
        if (before[i].status !== ValidatorStatus.ACTIVE) {
          const info = infoOf(ctx, i);
          const same =
            afterBegin[i].rank === before[i].rank &&
            afterBegin[i].streak === before[i].streak &&
            info.mischance === infosBefore[i].mischance &&
            info.mischanceConfidence === infosBefore[i].mischanceConfidence &&
            info.missedBlocksCounter === infosBefore[i].missedBlocksCounter &&
            info.producedBlocksCounter === infosBefore[i].producedBlocksCounter;
          if (!same) throw new Error(`height ${height}: validator ${i} with status ${before[i].status} changed rank or counters`);
        }
      }
      for (let i = 0; i < N; i++) {
        if (afterBegin[i].status === ValidatorStatus.INACTIVE && before[i].status === ValidatorStatus.ACTIVE) stats.inactivations++;
      }

      // Operator traffic: each msg on its own branch, dropped when refused (as a failed tx).
      let active = afterBegin.filter((v) => v.status === ValidatorStatus.ACTIVE).length;
      for (let i = 0; i < N; i++) {
        const r = rand();
        if (r > 0.02) continue;
        const online = offlineUntil[i] < height;
        const action = rand() < 0.34 ? 'pause' : rand() < 0.5 ? 'unpause' : 'activate';
        if (!online && action !== 'pause') continue;
        const txBranch = branch.branch();
        const txCtx = ctx.withStores(txBranch);
        try {
          if (action === 'pause') slashing.keeper.pause(txCtx, ops[i].address, '');
          else if (action === 'unpause') slashing.keeper.unpause(txCtx, ops[i].address, '');
          else slashing.keeper.activate(txCtx, ops[i].address, '');
          txBranch.write();
          if (action === 'pause' && BigInt(active - 1) < MIN_VALIDATORS) throw new Error(`height ${height}: a pause left ${active - 1} ACTIVE < MIN_VALIDATORS`);
          active += action === 'pause' ? -1 : 1;
          stats[action === 'pause' ? 'pauses' : action === 'unpause' ? 'unpauses' : 'activations']++;
        } catch (err) {
          if (!(err instanceof CodedError)) throw err;
          stats.refused++;
        }
      }
      const afterTxs = all(ctx);
      for (let i = 0; i < N; i++) {
        if (afterTxs[i].rank !== afterBegin[i].rank || afterTxs[i].streak !== afterBegin[i].streak) throw new Error(`height ${height}: a message changed validator ${i}'s rank`);
      }

      const updates = staking.keeper.endBlock(ctx);
      branch.write();
      // Invariants on the state after the block (the emptied branch reads through to it).
      const vals: Validator[] = all(ctx);
      if (height % COMMIT_EVERY === 0) await store.commit();

      const changed = new Set<number>();
      for (const u of updates) {
        const i = ops.findIndex((o) => Buffer.from(o.consPub).equals(Buffer.from(u.ed25519PubKey)));
        if (changed.has(i) || u.power === cometPower[i]) throw new Error(`height ${height}: update ${i}:${u.power} repeats or changes nothing`);
        changed.add(i);
        cometPower[i] = u.power;
        stats.updates++;
      }
      active = 0;
      vals.forEach((v, i) => {
        if (v.rank < 0n || v.streak < 0n) throw new Error(`height ${height}: ${JSON.stringify(validatorToJson(v))} has a negative rank`);
        const want = v.status === ValidatorStatus.ACTIVE ? 1n : 0n;
        if (v.power !== want || cometPower[i] !== want) throw new Error(`height ${height}: validator ${i} status ${v.status} has power ${v.power} (CometBFT ${cometPower[i]})`);
        if (v.status === ValidatorStatus.ACTIVE) active++;
      });
      stats.minActive = Math.min(stats.minActive, active);
      if (active < 1) throw new Error(`height ${height}: no ACTIVE validator left`);
      if (BigInt(active) < MIN_VALIDATORS) stats.belowMin++;
    }
    // The run exercised every path it checks.
    expect(stats.inactivations).toBeGreaterThan(10);
    expect(stats.activations).toBeGreaterThan(10);
    expect(stats.pauses).toBeGreaterThan(10);
    expect(stats.unpauses).toBeGreaterThan(10);
    expect(stats.refused).toBeGreaterThan(10);
    expect(stats.minActive).toBeLessThanOrEqual(Number(MIN_VALIDATORS) + 2);
    // Downtime did take the set below MIN_VALIDATORS at times (and pauses never did).
    expect(stats.belowMin).toBeGreaterThan(0);
    console.log(`validator simulation: ${JSON.stringify(stats)}`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);
