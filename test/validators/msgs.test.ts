/**
 * Every validator message through the ABCI runtime: claims, commission, unjail, pause,
 * unpause, activate and the reset-rank proposal. Each refusal has its own (codespace,
 * code) and leaves every validator record and signing info as it was.
 */
import { msgRoute, type AppModule } from '../../runtime/module';
import { QueryValidatorRequest, QueryValidatorsRequest, QueryValidatorsResponse } from '../../proto/gen/sekai/staking/v1/query';
import { QuerySigningInfosRequest, QuerySigningInfosResponse } from '../../proto/gen/sekai/slashing/v1/query';
import { ProposalResetWholeValidatorRank } from '../../proto/gen/sekai/slashing/v1/slashing';
import { ValidatorStatus } from '../../proto/gen/sekai/staking/v1/staking';
import { claimValidatorMsg, finalizeCommissionMsg, initCommissionMsg, unjailMsg } from '../../x/customstaking';
import { activateMsg, pauseMsg, resetWholeValidatorRankProposal, unpauseMsg, type SlashingKeeper } from '../../x/customslashing';
import { MsgClaimValidatorResponse } from '../../proto/gen/sekai/staking/v1/tx';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { block, deliver, openHarness, signingInfoOf, tx, updatesOf, validatorOf, votes, type Harness } from './harness';

function snapshot(h: Harness): string {
  const q = (path: string, data: Uint8Array) => {
    const r = h.t.app.query({ path, data, height: 0n, prove: false });
    if (r.code !== 0) throw new Error(r.log);
    return r.value;
  };
  const vals = QueryValidatorsResponse.decode(q('/sekai.staking.v1.Query/Validators', QueryValidatorsRequest.encode(QueryValidatorsRequest.fromPartial({})).finish()));
  const infos = QuerySigningInfosResponse.decode(q('/sekai.slashing.v1.Query/SigningInfos', QuerySigningInfosRequest.encode(QuerySigningInfosRequest.fromPartial({})).finish()));
  return JSON.stringify({ vals: vals.validators, infos: infos.infos }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Delivers one tx by operator `i`; expects the refusal (codespace, code) and no validator change. */
async function refused(h: Harness, i: number, msg: { typeUrl: string; value: Uint8Array }, codespace: string, code: number, logPart = '') {
  const before = snapshot(h);
  const [r] = await deliver(h, [tx(h, i, [msg])]);
  expect({ codespace: r.codespace, code: r.code }).toEqual({ codespace, code });
  expect(r.log).toContain(logPart);
  expect(snapshot(h)).toBe(before);
  return r;
}

async function ok(h: Harness, i: number, msg: { typeUrl: string; value: Uint8Array }, dt?: number) {
  const res = await block(h, { txs: [tx(h, i, [msg])], dt });
  expect({ code: res.txResults[0].code, log: res.txResults[0].log }).toEqual({ code: 0, log: '' });
  return res;
}

describe('validator messages', () => {
  let h: Harness;
  // Operators 0, 1 are genesis validators; 2 and 3 may claim; 4 never gets permission.
  beforeAll(async () => {
    h = await openHarness(5, 2, { minValidators: 2n }, ({ slashing }) => [govStandIn(slashing.keeper)]);
    h.allowed.add(h.ops[2].address);
    h.allowed.add(h.ops[3].address);
    await block(h);
  });
  afterAll(() => h.close());

  test('claim: refused without PermClaimValidator', async () => {
    await refused(h, 4, claimValidatorMsg(h.ops[4].address, 'nobody', h.ops[4].consPub), 'customstaking', 6);
  });

  test('claim: refused for a consensus key already used, a used moniker, a bad key', async () => {
    await refused(h, 2, claimValidatorMsg(h.ops[2].address, 'two', h.ops[0].consPub), 'customstaking', 5);
    await refused(h, 2, claimValidatorMsg(h.ops[2].address, '  GENESIS-0 ', h.ops[2].consPub), 'customstaking', 4);
    await refused(h, 2, claimValidatorMsg(h.ops[2].address, 'two', h.ops[2].consPub.subarray(0, 31)), 'customstaking', 8);
    await refused(h, 2, claimValidatorMsg(h.ops[2].address, 'two', h.ops[2].consPub, '1.5'), 'customstaking', 9);
  });

  test('claim: joins at the end of its block with power 1, exactly once', async () => {
    const res = await ok(h, 2, claimValidatorMsg(h.ops[2].address, '  two ', h.ops[2].consPub, '0.10'));
    expect(MsgClaimValidatorResponse.decode(TxMsgData.decode(res.txResults[0].data).msgResponses[0].value).valKey).toBe(h.ops[2].valAddr);
    expect(updatesOf(h, res)).toEqual(['2:1']);
    expect(validatorOf(h, 2)).toMatchObject({ status: ValidatorStatus.ACTIVE, moniker: 'two', power: 1n, commissionRate: '0.100000000000000000', startHeight: BigInt(h.height) });
    expect(updatesOf(h, await block(h))).toEqual([]);
    // Signing info starts at the claim height before any vote names it.
    expect(signingInfoOf(h, 2).startHeight).toBe(BigInt(h.height - 1));
  });

  test('claim: a second seat for the same account is refused', async () => {
    await refused(h, 2, claimValidatorMsg(h.ops[2].address, 'other', h.ops[3].consPub), 'customstaking', 3);
  });

  test('operator messages from another account are refused (wrong signer)', async () => {
    await refused(h, 3, pauseMsg(h.ops[3].address, h.ops[0].valAddr), 'customstaking', 16);
    await refused(h, 3, initCommissionMsg(h.ops[3].address, '0.2', h.ops[0].valAddr), 'customstaking', 16);
    // An account with no seat, naming none.
    await refused(h, 3, pauseMsg(h.ops[3].address), 'customstaking', 2);
  });

  test('pause: refused when the set would drop below MIN_VALIDATORS', async () => {
    await ok(h, 2, pauseMsg(h.ops[2].address));
    await refused(h, 1, pauseMsg(h.ops[1].address), 'customslashing', 2, 'MIN_VALIDATORS is 2');
  });

  test('each wrong status has its own code', async () => {
    await refused(h, 2, pauseMsg(h.ops[2].address), 'customslashing', 3); // already paused
    await refused(h, 2, activateMsg(h.ops[2].address), 'customslashing', 9); // paused: unpause instead
    await refused(h, 1, unpauseMsg(h.ops[1].address), 'customslashing', 6); // not paused
    await refused(h, 1, activateMsg(h.ops[1].address), 'customslashing', 7); // not inactive
    await refused(h, 1, unjailMsg(h.ops[1].address), 'customstaking', 14); // not jailed
    await ok(h, 2, unpauseMsg(h.ops[2].address));
  });

  test('commission: init, too early, re-init restarts the delay, same rate refused, finalize', async () => {
    await refused(h, 2, finalizeCommissionMsg(h.ops[2].address), 'customstaking', 11);
    await refused(h, 2, initCommissionMsg(h.ops[2].address, '0.1'), 'customstaking', 10);
    await ok(h, 2, initCommissionMsg(h.ops[2].address, '0.05'));
    await refused(h, 2, finalizeCommissionMsg(h.ops[2].address), 'customstaking', 12, `${1_209_600 - 5} seconds remaining`);
    await block(h, { dt: 1_000_000 });
    await ok(h, 2, initCommissionMsg(h.ops[2].address, '0.07'));
    await refused(h, 2, finalizeCommissionMsg(h.ops[2].address), 'customstaking', 12, `${1_209_600 - 5} seconds remaining`);
    await block(h, { dt: 1_209_600 });
    await ok(h, 2, finalizeCommissionMsg(h.ops[2].address));
    expect(validatorOf(h, 2)).toMatchObject({ commissionRate: '0.070000000000000000', pendingCommissionRate: '', commissionChangeInitiatedAt: 0n });
  });

  test('jail: commission and unjail refused until JAIL_PERIOD ends; unjail → INACTIVE → activate', async () => {
    await ok(h, 3, claimValidatorMsg(h.ops[3].address, 'three', h.ops[3].consPub));
    await ok(h, 2, initCommissionMsg(h.ops[2].address, '0.2'));
    const j = await block(h, { doubleSigners: [2] });
    expect(updatesOf(h, j)).toEqual(['2:0']);
    await refused(h, 2, initCommissionMsg(h.ops[2].address, '0.3'), 'customstaking', 13);
    await refused(h, 2, finalizeCommissionMsg(h.ops[2].address), 'customstaking', 13);
    await refused(h, 2, pauseMsg(h.ops[2].address), 'customslashing', 5);
    await refused(h, 2, activateMsg(h.ops[2].address), 'customslashing', 5);
    await refused(h, 2, unjailMsg(h.ops[2].address), 'customstaking', 15, 'seconds remaining');
    await block(h, { dt: 604_800 });
    const u = await ok(h, 2, unjailMsg(h.ops[2].address));
    expect(updatesOf(h, u)).toEqual([]);
    expect(validatorOf(h, 2).status).toBe(ValidatorStatus.INACTIVE);
    await refused(h, 2, pauseMsg(h.ops[2].address), 'customslashing', 4);
    await refused(h, 2, unjailMsg(h.ops[2].address), 'customstaking', 14);
    const a = await ok(h, 2, activateMsg(h.ops[2].address));
    expect(updatesOf(h, a)).toEqual(['2:1']);
  });

  test('queries by --addr, --moniker and --cons-addr find the same record; bad ones are refused', () => {
    const q = (req: Partial<QueryValidatorRequest>) =>
      h.t.app.query({ path: '/sekai.staking.v1.Query/Validator', data: QueryValidatorRequest.encode(QueryValidatorRequest.fromPartial(req)).finish(), height: 0n, prove: false });
    const a = q({ addr: h.ops[2].address });
    const b = q({ moniker: 'TWO' });
    const c = q({ consAddr: h.ops[2].consBech });
    expect([a.code, b.code, c.code]).toEqual([0, 0, 0]);
    expect(Buffer.from(a.value).equals(Buffer.from(b.value)) && Buffer.from(a.value).equals(Buffer.from(c.value))).toBe(true);
    expect([q({}).codespace, q({}).code]).toEqual(['customstaking', 19]);
    expect(q({ moniker: 'nobody' }).code).toBe(22);
    const bad = h.t.app.query({ path: '/sekai.staking.v1.Query/Validators', data: QueryValidatorsRequest.encode(QueryValidatorsRequest.fromPartial({ status: 'SLEEPY' })).finish(), height: 0n, prove: false });
    expect([bad.codespace, bad.code]).toEqual(['customstaking', 19]);
    const active = h.t.app.query({ path: '/sekai.staking.v1.Query/Validators', data: QueryValidatorsRequest.encode({ status: 'ACTIVE', pagination: { key: Buffer.alloc(0), offset: 1n, limit: 2n, countTotal: true, reverse: false } }).finish(), height: 0n, prove: false });
    const page = QueryValidatorsResponse.decode(active.value);
    expect(page.validators.length).toBe(2);
    expect(page.pagination?.total).toBe(4n);
  });

  test('reset-rank proposal zeroes ranks and counters and leaves every status and power alone', async () => {
    // A gov stand-in routes the proposal content as a message so it runs inside a real block.
    await ok(h, 2, pauseMsg(h.ops[2].address));
    for (let i = 0; i < 15; i++) await block(h, { votes: [...votes([0, 1], true), [3, false]] });
    await block(h, { doubleSigners: [3] });
    const statuses = [0, 1, 2, 3].map((i) => validatorOf(h, i).status);
    expect(statuses).toEqual([ValidatorStatus.ACTIVE, ValidatorStatus.ACTIVE, ValidatorStatus.PAUSED, ValidatorStatus.JAILED]);
    expect(validatorOf(h, 0).rank).toBeGreaterThan(0n);
    const powers = [0, 1, 2, 3].map((i) => validatorOf(h, i).power);
    const res = await block(h, { txs: [tx(h, 0, [{ typeUrl: '/test.ExecResetRank', value: ProposalResetWholeValidatorRank.encode({ proposer: h.ops[0].address, description: 'even odds' }).finish() }])] });
    expect(res.txResults[0].code).toBe(0);
    expect(updatesOf(h, res)).toEqual([]);
    for (const i of [0, 1, 2, 3]) {
      const v = validatorOf(h, i);
      expect([v.status, v.power, v.rank, v.streak]).toEqual([statuses[i], powers[i], 0n, 0n]);
      const s = signingInfoOf(h, i);
      expect([s.mischance, s.mischanceConfidence, s.missedBlocksCounter, s.producedBlocksCounter, s.startHeight]).toEqual([0n, 0n, 0n, 0n, BigInt(h.height)]);
    }
  });
});

/** Exposes the reset proposal's execute as a message, standing in for x/gov's enactment. */
function govStandIn(keeper: SlashingKeeper): AppModule {
  const handler = resetWholeValidatorRankProposal(keeper);
  return {
    name: 'govstandin',
    storeKeys: [],
    msgs: [
      msgRoute({
        typeUrl: '/test.ExecResetRank',
        codec: ProposalResetWholeValidatorRank,
        responseTypeUrl: '/test.ExecResetRankResponse',
        responseCodec: { encode: () => ({ finish: () => new Uint8Array() }), decode: () => ({}) },
        signers: (m) => [m.proposer],
        handle: (ctx, m) => {
          handler.validate?.(m);
          handler.execute(ctx, m);
          return {};
        },
      }),
    ],
  };
}
