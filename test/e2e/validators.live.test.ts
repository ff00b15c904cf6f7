/**
 * Validator behaviours on a live 4-validator CometBFT network (test/network.ts): ranks and
 * streaks, pause / unpause with the operator's line, MIN_VALIDATORS, downtime inactivation
 * and activate, a real double-sign jailed from CometBFT's evidence, and the
 * reset-whole-validator-rank proposal. Every effect is read where an operator reads it:
 * CometBFT's /validators, `query customstaking validator`, block headers and results.
 *
 * The steps share one network and run in order (each leaves the set as the next expects).
 * Genesis shortens the rules: MISCHANCE_CONFIDENCE 2 and MAX_MISCHANCE 3 make a validator
 * INACTIVE on its 6th consecutive missed block; MIN_VALIDATORS starts at 4 (every validator),
 * so the inactivation below it is the rule x/customslashing/README.md describes, and a
 * proposal lowers it to 3 before pause is tried.
 */
import { inactiveRank } from '../../x/customslashing/keeper';
import { Dec } from '../../types/dec';
import { writeFileSync } from 'node:fs';
import { createChannel, createClient } from 'nice-grpc-web';
import { GetBlockByHeightRequest, GetBlockByHeightResponse } from 'cosmjs-types/cosmos/base/tendermint/v1beta1/query';
import { GetBlockWithTxsRequest, GetBlockWithTxsResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { homeLayout, readAppConfig } from '../../node/config';
import { evidenceHash } from '../../node/consensus/hashes';
import { describeWithCometBFT } from '../cometbft';
import { codec, service } from '../fixtures/grpcService';
import { startNetwork, type Network, type TxResult } from '../network';

jest.setTimeout(300_000);

const TendermintService = service('cosmos.base.tendermint.v1beta1.Service', { GetBlockByHeight: [codec(GetBlockByHeightRequest), codec(GetBlockByHeightResponse)] });
const TxService = service('cosmos.tx.v1beta1.Service', { GetBlockWithTxs: [codec(GetBlockWithTxsRequest), codec(GetBlockWithTxsResponse)] });

describeWithCometBFT('validators on a live 4-validator CometBFT network', () => {
  let net: Network;
  /** A height at which all four validators were ACTIVE and in the set. */
  let settled = 0;

  beforeAll(async () => {
    net = await startNetwork({
      validators: 4,
      properties: [
        ['MIN_VALIDATORS', '4'],
        ['MISCHANCE_CONFIDENCE', '2'],
        ['MAX_MISCHANCE', '3'],
        ['DOWNTIME_INACTIVE_DURATION', '1'],
        ['JAIL_PERIOD', '1'],
        ['MINIMUM_PROPOSAL_END_TIME', '25'],
        ['PROPOSAL_ENACTMENT_TIME', '1'],
        ['MIN_PROPOSAL_END_BLOCKS', '2'],
        ['MIN_PROPOSAL_ENACTMENT_BLOCKS', '1'],
      ],
    });
    settled = await net.waitForHeight(3);
  }, 300_000);

  afterAll(async () => {
    await net?.stop();
  });

  const all = () => net.nodes.map((n) => n.consAddress).sort();
  const cliValidator = (i: number, height?: number) =>
    net.query<{ status: string; rank: string; streak: string; power: string }>(['customstaking', 'validator', '--addr', net.nodes[i].address, ...(height ? ['--height', String(height)] : [])]);

  test('ranks and streaks rise on all four validators', async () => {
    expect(await net.cometValidators()).toEqual(all());
    const before = await net.validators(settled);
    const later = await net.waitForHeight(settled + 3);
    const after = await net.validators(later);
    for (const n of net.nodes) {
      const [b, a] = [before.get(n.consAddress)!, after.get(n.consAddress)!];
      expect(a).toMatchObject({ status: 'ACTIVE', power: 1n });
      expect(a.rank).toBeGreaterThan(b.rank);
      expect(a.streak).toBeGreaterThan(b.streak);
    }
  });

  test('pause is refused while the set is at MIN_VALIDATORS', async () => {
    const refused = await net.txCommitted(1, ['customslashing', 'pause']);
    expect(refused.tx_result).toMatchObject({ codespace: 'customslashing', code: 2 });
    expect(refused.tx_result.log).toMatch(/4 active validators, MIN_VALIDATORS is 4/);
    expect(await cliValidator(1)).toMatchObject({ status: 'ACTIVE', power: '1' });
  });

  test('a stopped validator climbs mischance and turns INACTIVE, below MIN_VALIDATORS, out of /validators', async () => {
    await net.nodes[2].proc.comet.stop();
    const stoppedAt = (await net.height(0))!;
    const counters = await net.waitFor('node2 to collect mischance', async () => {
      const info = await net.signingInfo(2);
      return info && info.mischance >= 1n ? info : undefined;
    });
    expect(counters.mischanceConfidence).toBe(2n);

    const inactive = await net.waitForStatus(2, 'INACTIVE');
    expect(inactive).toMatchObject({ power: 0n, streak: 0n });
    // The first INACTIVE height, by bisection over committed versions (archive nodes).
    let [lo, hi] = [stoppedAt, (await net.height(0))!];
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if ((await net.validator(2, mid)).status === 'INACTIVE') hi = mid;
      else lo = mid;
    }
    const before = await net.validator(2, lo);
    // The last miss costs MISCHANCE_RANK_DECREASE_AMOUNT (10), then INACTIVE halves the rank.
    const dropped = before.rank > 10n ? before.rank - 10n : 0n;
    expect(await cliValidator(2, hi)).toMatchObject({ status: 'INACTIVE', power: '0', streak: '0', rank: inactiveRank(dropped, Dec.fromString('0.5')).toString() });

    // Three ACTIVE validators are left (MIN_VALIDATORS is 4) and CometBFT drops node2.
    const out = await net.waitForInSet(2, false);
    expect(await net.cometValidators(out)).toEqual(all().filter((a) => a !== net.nodes[2].consAddress));
    await net.waitForHeight(out + 2);
    net.nodes[2].proc.startComet();
  });

  test('proposals passed by votes lower MIN_VALIDATORS and reset every rank, keeping every status', async () => {
    // One tx at a time per account (each signs with the next sequence); accounts in parallel.
    const submit = async (from: number, args: string[]) => {
      const r = await net.txCommitted(from, args);
      expect(r.tx_result.code).toBe(0);
      return { id: eventValue(r, 'submit_proposal', 'proposal_id'), height: Number(r.height) };
    };
    const [minVals, reset] = await Promise.all([
      submit(0, ['customgov', 'proposal', 'set-network-property', 'MIN_VALIDATORS', '3', '--title', 'Three validators', '--description', 'Allow maintenance pauses']),
      submit(1, ['customslashing', 'proposal-reset-whole-validator-rank', '--title', 'Reset ranks', '--description', 'Every validator starts over']),
    ]);
    const votes = await Promise.all(
      [0, 1, 3].map(async (i) => {
        const codes: number[] = [];
        for (const id of [minVals.id, reset.id]) codes.push((await net.txCommitted(i, ['customgov', 'proposal', 'vote', id, 'yes'])).tx_result.code);
        return codes;
      }),
    );
    expect(votes.flat()).toEqual([0, 0, 0, 0, 0, 0]);
    for (const id of [minVals.id, reset.id]) {
      await net.waitFor(`proposal ${id} to pass`, async () => {
        const { proposal } = await net.query(['customgov', 'proposal', id]);
        if (proposal.result === 'VOTE_RESULT_PENDING' || proposal.result === 'VOTE_RESULT_ENACTMENT') return undefined;
        expect(proposal.result).toBe('VOTE_RESULT_PASSED');
        return true;
      }, 150_000, 2000);
    }
    const { properties } = await net.query<{ properties: { property: string; value: string }[] }>(['customgov', 'network-properties']);
    expect(properties.find((p) => p.property === 'MIN_VALIDATORS')?.value).toBe('3');

    // At the block that enacted the reset every rank and streak is 0 and every status stays.
    const enacted = await enactedAt(net, reset.id, Math.min(minVals.height, reset.height));
    const [before, after] = [await net.validators(enacted - 1), await net.validators(enacted)];
    for (const n of net.nodes) {
      const [b, a] = [before.get(n.consAddress)!, after.get(n.consAddress)!];
      expect(a).toMatchObject({ rank: 0n, streak: 0n, status: b.status, power: b.power });
    }
    expect(before.get(net.nodes[0].consAddress)!.rank).toBeGreaterThan(0n);
    expect(after.get(net.nodes[2].consAddress)!.status).toBe('INACTIVE');

    // node2 is back online: its operator activates it (DOWNTIME_INACTIVE_DURATION is 1 s).
    const activate = await net.txCommitted(2, ['customslashing', 'activate'], 0);
    expect(activate.tx_result.code).toBe(0);
    expect(await cliValidator(2)).toMatchObject({ status: 'ACTIVE', power: '1' });
    const back = await net.waitForInSet(2, true);
    expect(await net.cometValidators(back)).toEqual(all());
  });

  test("pause (the operator's line) leaves /validators while the chain commits; unpause restores it", async () => {
    await net.waitForHeight((await net.height(0))! + 1, [2]);
    const pause = await net.txCommitted(1, ['customslashing', 'pause']);
    expect(pause.tx_result.code).toBe(0);
    expect(await cliValidator(1)).toMatchObject({ status: 'PAUSED', power: '0' });
    const out = await net.waitForInSet(1, false);
    const paused = await net.validator(1, out);
    // The chain keeps committing without it, and a paused rank does not move.
    const later = await net.waitForHeight(out + 3);
    expect(await net.cometValidators(later)).toEqual(all().filter((a) => a !== net.nodes[1].consAddress));
    expect((await net.validator(1, later)).rank).toBe(paused.rank);

    // Three ACTIVE, MIN_VALIDATORS now 3: node3 may not pause as well.
    const refused = await net.txCommitted(3, ['customslashing', 'pause']);
    expect(refused.tx_result).toMatchObject({ codespace: 'customslashing', code: 2 });
    expect(refused.tx_result.log).toMatch(/3 active validators, MIN_VALIDATORS is 3/);

    const unpause = await net.txCommitted(1, ['customslashing', 'unpause']);
    expect(unpause.tx_result.code).toBe(0);
    const back = await net.waitForInSet(1, true);
    expect(await net.cometValidators(back)).toEqual(all());
  });

  test('a real double-sign: node3 is JAILED from the evidence CometBFT commits, leaves /validators, and returns after unjail', async () => {
    const from = (await net.height(0))!;
    // A second node signs with node3's consensus key: the two vote differently at some height.
    const twin = await net.startTwin(3);
    await net.waitForStatus(3, 'JAILED', 180_000);
    await twin.stop();

    // The first JAILED height holds node3's DuplicateVoteEvidence, and its FinalizeBlock jailed it.
    let [lo, hi] = [from, (await net.height(0))!];
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if ((await net.validator(3, mid)).status === 'JAILED') hi = mid;
      else lo = mid;
    }
    const block = await net.rpc<{ block: { evidence: { evidence: { type: string; value: { vote_a: { validator_address: string } } }[] } } }>(`block?height=${hi}`);
    expect(block.block.evidence.evidence.map((e) => [e.type, e.value.vote_a.validator_address])).toContainEqual(['tendermint/DuplicateVoteEvidence', net.nodes[3].consAddress]);
    // gRPC-web answers the same evidence, as the proto bytes CometBFT hashed into the header.
    const grpcWeb = `http://${readAppConfig(homeLayout(net.nodes[0].home).appToml)['grpc-web'].address}`;
    const tm = createClient(TendermintService, createChannel(grpcWeb));
    const byHeight = await tm.getBlockByHeight({ height: BigInt(hi) });
    const evidence = byHeight.block!.evidence!.evidence;
    expect(evidence.map((e) => Buffer.from(e.duplicateVoteEvidence?.voteA?.validatorAddress ?? []).toString('hex').toUpperCase())).toContain(net.nodes[3].consAddress);
    expect(Buffer.from(evidenceHash(evidence)).toString('hex')).toBe(Buffer.from(byHeight.block!.header!.evidenceHash).toString('hex'));
    expect(byHeight.sdkBlock!.evidence).toEqual(byHeight.block!.evidence);
    const withTxs = await createClient(TxService, createChannel(grpcWeb)).getBlockWithTxs({ height: BigInt(hi) });
    expect(withTxs.block!.evidence).toEqual(byHeight.block!.evidence);
    if (process.env.EVIDENCE_FIXTURE) writeFileSync(process.env.EVIDENCE_FIXTURE, JSON.stringify(await net.rpc(`block?height=${hi}`), null, 2));
    const results = await net.rpc<{ finalize_block_events: { type: string; attributes: { key: string; value: string }[] }[] }>(`block_results?height=${hi}`);
    expect(results.finalize_block_events.filter((e) => e.type === 'jail').map((e) => e.attributes.find((a) => a.key === 'validator')?.value)).toContain(net.nodes[3].valoper);
    expect(await cliValidator(3, hi)).toMatchObject({ status: 'JAILED', power: '0' });

    const out = await net.waitForInSet(3, false);
    expect(await net.cometValidators(out)).toEqual(all().filter((a) => a !== net.nodes[3].consAddress));
    // Evidence of further heights may still be on its way (each extends the jail): let it land.
    await net.waitForHeight(out + 3);
    const jailedUntil = (await net.validator(3)).jailedUntil;
    await net.waitFor('JAIL_PERIOD to pass', async () => {
      const t = Date.parse((await net.rpc<{ block: { header: { time: string } } }>('block')).block.header.time) / 1000;
      return t > Number(jailedUntil) ? true : undefined;
    });

    // unjail → INACTIVE, then activate → ACTIVE and back in the set.
    const unjail = await net.txCommitted(3, ['customstaking', 'unjail']);
    expect(unjail.tx_result.code).toBe(0);
    expect(await cliValidator(3)).toMatchObject({ status: 'INACTIVE', power: '0' });
    const activate = await net.txCommitted(3, ['customslashing', 'activate']);
    expect(activate.tx_result.code).toBe(0);
    const back = await net.waitForInSet(3, true);
    expect(await net.cometValidators(back)).toEqual(all());
    expect(net.consensusFailures()).toEqual([]);
  });
});

function eventValue(r: TxResult, type: string, key: string): string {
  const ev = (r.tx_result.events ?? []).find((e) => e.type === type);
  const attr = ev?.attributes.find((a) => a.key === key);
  if (!attr) throw new Error(`no ${type}.${key} in ${JSON.stringify(r.tx_result)}`);
  return attr.value;
}

/** The height whose FinalizeBlock enacted proposal `id`, searched from `from`. */
async function enactedAt(net: Network, id: string, from: number): Promise<number> {
  const to = (await net.height(0))!;
  for (let h = from; h <= to; h++) {
    const r = await net.rpc<{ finalize_block_events?: { type: string; attributes: { key: string; value: string }[] }[] }>(`block_results?height=${h}`);
    if ((r.finalize_block_events ?? []).some((e) => e.type === 'proposal_enacted' && e.attributes.some((a) => a.key === 'proposal_id' && a.value === id))) return h;
  }
  throw new Error(`proposal ${id} was not enacted between heights ${from} and ${to}`);
}
