/**
 * Block-level tests of KIRA's rank rules through FinalizeBlock/Commit with chosen
 * decided_last_commit patterns.
 */
import { ValidatorStatus } from '../../proto/gen/sekai/staking/v1/staking';
import { pauseMsg, unpauseMsg, activateMsg } from '../../x/customslashing';
import { block, deliver, openHarness, signingInfoOf, tx, updatesOf, validatorOf, votes, type Harness } from './harness';

const ALL3 = [0, 1, 2];

describe('ranks from decided_last_commit (defaults)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(3, 3);
  });
  afterAll(() => h.close());

  test('InitChain hands CometBFT every genesis validator with power 1', async () => {
    const init = (h as Harness & { initValidators: { pubKey?: { ed25519?: Uint8Array }; power: bigint }[] }).initValidators;
    expect(init.map((u) => [Buffer.from(u.pubKey!.ed25519!).toString('hex'), u.power])).toEqual(
      h.ops.map((o) => [Buffer.from(o.consPub).toString('hex'), 1n]),
    );
    // The first block sends no update: CometBFT already has the set from InitChain.
    expect(updatesOf(h, await block(h))).toEqual([]);
    expect(validatorOf(h, 0).power).toBe(1n);
  });

  test('signed blocks raise rank, streak and produced counter', async () => {
    for (let i = 0; i < 30; i++) await block(h, { votes: votes(ALL3, true) });
    const v = validatorOf(h, 2);
    expect([v.rank, v.streak]).toEqual([30n, 30n]);
    const s = signingInfoOf(h, 2);
    expect([s.producedBlocksCounter, s.lastPresentBlock, s.mischance, s.mischanceConfidence]).toEqual([30n, BigInt(h.height), 0n, 0n]);
  });

  test('the 121st consecutive miss inactivates, rank floors at 0, one power-0 update', async () => {
    let lastRes;
    for (let miss = 1; miss <= 121; miss++) {
      lastRes = await block(h, { votes: [[0, true], [1, true], [2, false]] });
      const v = validatorOf(h, 2);
      const s = signingInfoOf(h, 2);
      expect(s.missedBlocksCounter).toBe(BigInt(miss));
      if (miss <= 10) {
        // Confidence window: only mischance_confidence moves.
        expect([s.mischanceConfidence, s.mischance, v.rank, v.streak]).toEqual([BigInt(miss), 0n, 30n, 30n]);
      } else if (miss < 121) {
        expect([s.mischanceConfidence, s.mischance, v.streak]).toEqual([10n, BigInt(miss - 10), 0n]);
        expect(v.rank).toBe(BigInt(Math.max(0, 30 - 10 * (miss - 10))));
        expect(v.status).toBe(ValidatorStatus.ACTIVE);
        expect(updatesOf(h, lastRes)).toEqual([]);
      }
    }
    const v = validatorOf(h, 2);
    expect(v.status).toBe(ValidatorStatus.INACTIVE);
    expect([v.rank, v.streak, v.power]).toEqual([0n, 0n, 0n]);
    expect(v.inactiveUntil).toBe(BigInt(h.now + 600));
    expect(signingInfoOf(h, 2).mischance).toBe(111n);
    expect(updatesOf(h, lastRes!)).toEqual(['2:0']);
    // The next block sends nothing more.
    expect(updatesOf(h, await block(h, { votes: votes(ALL3, true) }))).toEqual([]);
  });

  test('counters of an INACTIVE validator never change', async () => {
    const before = [validatorOf(h, 2), signingInfoOf(h, 2)];
    await block(h, { votes: [[2, true]] });
    await block(h, { votes: [[2, false]] });
    expect([validatorOf(h, 2), signingInfoOf(h, 2)]).toEqual(before);
  });

  test('activate before inactive_until says how many seconds remain and changes nothing', async () => {
    const before = validatorOf(h, 2);
    const remaining = Number(before.inactiveUntil) - (h.now + 5);
    const [r] = await deliver(h, [tx(h, 2, [activateMsg(h.ops[2].address)])]);
    expect([r.codespace, r.code]).toEqual(['customslashing', 8]);
    expect(r.log).toContain(`${remaining} seconds remaining`);
    expect(validatorOf(h, 2)).toEqual(before);
  });

  test('activate after inactive_until: ACTIVE, mischance reset, one power-1 update', async () => {
    const res = await block(h, { dt: 600, txs: [tx(h, 2, [activateMsg(h.ops[2].address)])] });
    expect(res.txResults[0].code).toBe(0);
    expect(validatorOf(h, 2).status).toBe(ValidatorStatus.ACTIVE);
    const s = signingInfoOf(h, 2);
    expect([s.mischance, s.mischanceConfidence]).toEqual([0n, 0n]);
    expect(updatesOf(h, res)).toEqual(['2:1']);
    // A present vote counts again.
    await block(h, { votes: [[2, true]] });
    expect(validatorOf(h, 2).rank).toBe(1n);
  });

  test('counters of a PAUSED validator never change; unpause restores power once', async () => {
    const p = await block(h, { txs: [tx(h, 1, [pauseMsg(h.ops[1].address)])] });
    expect(p.txResults[0].code).toBe(0);
    expect(updatesOf(h, p)).toEqual(['1:0']);
    const before = [validatorOf(h, 1), signingInfoOf(h, 1)];
    expect(before[0]).toMatchObject({ status: ValidatorStatus.PAUSED, rank: 152n });
    for (let i = 0; i < 20; i++) await block(h, { votes: [[1, i % 2 === 0]] });
    expect([validatorOf(h, 1), signingInfoOf(h, 1)]).toEqual(before);
    const u = await block(h, { txs: [tx(h, 1, [unpauseMsg(h.ops[1].address)])] });
    expect(u.txResults[0].code).toBe(0);
    expect(updatesOf(h, u)).toEqual(['1:1']);
    expect(validatorOf(h, 1)).toMatchObject({ status: ValidatorStatus.ACTIVE, rank: 152n, power: 1n });
  });

  test('pause and unpause in one block send no update at all', async () => {
    const res = await block(h, { txs: [tx(h, 1, [pauseMsg(h.ops[1].address)]), tx(h, 1, [unpauseMsg(h.ops[1].address)])] });
    expect(res.txResults.map((r) => r.code)).toEqual([0, 0]);
    expect(updatesOf(h, res)).toEqual([]);
    expect(validatorOf(h, 1).status).toBe(ValidatorStatus.ACTIVE);
  });

  test('double-sign jails (power 0 once); a JAILED validator\'s counters never change', async () => {
    const res = await block(h, { doubleSigners: [0] });
    expect(updatesOf(h, res)).toEqual(['0:0']);
    const v = validatorOf(h, 0);
    expect(v.status).toBe(ValidatorStatus.JAILED);
    expect(v.jailedUntil).toBe(BigInt(h.now + 604_800));
    const before = [v, signingInfoOf(h, 0)];
    await block(h, { votes: [[0, true]] });
    await block(h, { votes: [[0, false]] });
    expect([validatorOf(h, 0), signingInfoOf(h, 0)]).toEqual(before);
  });
});

describe('inactivation rounding and the MinValidators floor', () => {
  test('rank × (1 − 0.50) rounds half to even: 5 → 2 (2.5), 7 → 4 (3.5)', async () => {
    for (const [startRank, want] of [
      [7, 2n],
      [9, 4n],
    ] as const) {
      // confidence 0, max mischance 1: misses 1 and 2 each cost 1 rank, the 2nd inactivates.
      const h = await openHarness(2, 2, { mischanceConfidence: 0n, maxMischance: 1n, mischanceRankDecreaseAmount: 1n });
      try {
        for (let i = 0; i < startRank; i++) await block(h, { votes: votes([0, 1], true) });
        await block(h, { votes: [[0, true], [1, false]] });
        expect(validatorOf(h, 1).rank).toBe(BigInt(startRank - 1));
        const res = await block(h, { votes: [[0, true], [1, false]] });
        expect(validatorOf(h, 1)).toMatchObject({ status: ValidatorStatus.INACTIVE, rank: want });
        expect(updatesOf(h, res)).toEqual(['1:0']);
      } finally {
        await h.close();
      }
    }
  });

  test('downtime inactivates below MIN_VALIDATORS: the floor bounds pause, not misses', async () => {
    const h = await openHarness(3, 3, { mischanceConfidence: 0n, maxMischance: 0n, minValidators: 3n });
    try {
      const res = await block(h, { votes: [[0, true], [1, true], [2, false]] });
      expect(updatesOf(h, res)).toEqual(['2:0']);
      expect(validatorOf(h, 2).status).toBe(ValidatorStatus.INACTIVE);
      expect(res.events.some((e) => e.type === 'inactivation_deferred')).toBe(false);
    } finally {
      await h.close();
    }
  });

  test('the last ACTIVE validator is never inactivated: CometBFT cannot run an empty set', async () => {
    const h = await openHarness(2, 2, { mischanceConfidence: 0n, maxMischance: 0n, minValidators: 2n });
    try {
      const res = await block(h, { votes: votes([0, 1], false) });
      expect(updatesOf(h, res)).toEqual(['0:0']);
      expect([validatorOf(h, 0).status, validatorOf(h, 1).status]).toEqual([ValidatorStatus.INACTIVE, ValidatorStatus.ACTIVE]);
      const deferred = res.events.find((e) => e.type === 'inactivation_deferred');
      expect(deferred?.attributes.find((a) => a.key === 'reason')?.value).toBe('last active validator');
    } finally {
      await h.close();
    }
  });
});
