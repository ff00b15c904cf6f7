/**
 * customgov end to end through the app's ABCI methods: wallet-signed txs, FinalizeBlock
 * with advancing block times, queries over ABCI Query.
 */
import { rmSync } from 'node:fs';
import { Any } from '../../proto/gen/google/protobuf/any';
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { MsgSubmitProposal, MsgVoteProposal, MsgWhitelistPermissions } from '../../proto/gen/sekai/gov/v1/tx';
import { SetNetworkPropertyProposal, SoftwareUpgradeProposal } from '../../proto/gen/sekai/gov/v1/proposal';
import { ProposalResetWholeValidatorRank } from '../../proto/gen/sekai/slashing/v1/slashing';
import { QueryProposalRequest, QueryProposalResponse } from '../../proto/gen/sekai/gov/v1/query';
import { VoteOption, VoteResult } from '../../proto/gen/sekai/gov/v1/gov';
import { NetworkProperty } from '../../proto/gen/sekai/gov/v1/network_properties';
import { ErrUpgradeRequired } from '../../runtime/errors';
import { CodedError } from '../../types/errors';
import { RUNTIME_STORE, readChainVersion } from '../../runtime/upgrade';
import { CHAIN_ID, genesisFor, tempDir, time } from '../fixtures/runtimeApp';
import { block, openGovApp, rankOf, signTx, wallet, type EncodedMsg, type GovTestApp, type Signer } from './helpers';

const T0 = 1_700_000_000;

function msg<T>(typeUrl: string, codec: { encode(m: T): { finish(): Uint8Array } }, value: T): EncodedMsg {
  return { typeUrl, value: codec.encode(value).finish() };
}

function submit(proposer: string, content: EncodedMsg, title = 'Ranks reset'): EncodedMsg {
  return msg('/sekai.gov.v1.MsgSubmitProposal', MsgSubmitProposal, {
    proposer,
    title,
    description: 'description',
    content: Any.fromPartial({ typeUrl: content.typeUrl, value: Buffer.from(content.value) }),
  });
}

function vote(voter: string, proposalId: bigint, option = VoteOption.VOTE_OPTION_YES): EncodedMsg {
  return msg('/sekai.gov.v1.MsgVoteProposal', MsgVoteProposal, { proposalId, voter, option, slash: '' });
}

function queryProposal(t: GovTestApp, id: bigint) {
  const res = t.app.query({ path: '/sekai.gov.v1.Query/Proposal', data: QueryProposalRequest.encode({ proposalId: id }).finish(), height: 0n, prove: false });
  expect(res.code).toBe(0);
  return QueryProposalResponse.decode(res.value);
}

describe('customgov proposal lifecycle over ABCI', () => {
  let dir: string;
  let t: GovTestApp;
  let sudo: Signer;
  let alice: Signer;
  let v1: Signer;
  let v2: Signer;
  let bob: Signer;
  let now = T0;
  let fee = '100';

  /** Runs a block one second later with txs signed now; advances each signer's sequence. */
  async function run(...txs: [Signer, EncodedMsg[], string?][]) {
    now += 1;
    const raw = await Promise.all(txs.map(([s, m, f]) => signTx(s, m, f ?? fee)));
    for (const [s] of txs) s.sequence += 1n;
    return block(t, now, raw);
  }

  beforeAll(async () => {
    const ws = await Promise.all([0, 1, 2, 3, 4].map(wallet));
    const addrs = await Promise.all(ws.map(async (w) => (await w.getAccounts())[0].address));
    [sudo, alice, v1, v2, bob] = ws.map((w, i) => ({ wallet: w, address: addrs[i], accountNumber: BigInt(i), sequence: 0n }));
    dir = tempDir('gov');
    t = await openGovApp(dir);
    const state = JSON.parse(new TextDecoder().decode(genesisFor(addrs))) as Record<string, unknown>;
    state.ranks = { valA: '17', valB: '4' };
    state.customgov = {
      network_actors: [
        { address: sudo.address, roles: ['1'] },
        { address: v1.address, permissions: { whitelist: [13, 27, 29], blacklist: [] } },
        { address: v2.address, permissions: { whitelist: [27], blacklist: [] } },
      ],
      network_properties: { minimum_proposal_end_time: '10', proposal_enactment_time: '5', min_proposal_end_blocks: '2', min_proposal_enactment_blocks: '1' },
    };
    t.app.initChain({ time: time(T0), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(state)), initialHeight: 1n });
    await block(t, now);
  });

  afterAll(async () => {
    await t.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const resetRank = () => msg('/sekai.slashing.v1.ProposalResetWholeValidatorRank', ProposalResetWholeValidatorRank, { proposer: '', description: 'reset' });

  test('the seed story: refused without 26, granted by sudo, voted by holders of 27, enacted: ranks 0, PASSED', async () => {
    let res = await run([alice, [submit(alice.address, resetRank())]]);
    expect(res.txResults[0].codespace).toBe('customgov');
    expect(res.txResults[0].code).toBe(2);
    expect(res.txResults[0].log).toContain('PERMISSION_CREATE_RESET_WHOLE_VALIDATOR_RANK_PROPOSAL (26)');

    res = await run([sudo, [msg('/sekai.gov.v1.MsgWhitelistPermissions', MsgWhitelistPermissions, { proposer: sudo.address, address: alice.address, permission: 26 })]]);
    expect(res.txResults[0].code).toBe(0);

    res = await run([alice, [submit(alice.address, resetRank())]]);
    expect(res.txResults[0].code).toBe(0);
    const id = 1n;
    expect(queryProposal(t, id).proposal!.result).toBe(VoteResult.VOTE_RESULT_PENDING);

    res = await run([bob, [vote(bob.address, id)]]);
    expect(res.txResults[0].code).toBe(2);
    expect(res.txResults[0].log).toContain('PERMISSION_VOTE_RESET_WHOLE_VALIDATOR_RANK_PROPOSAL (27)');

    res = await run([v1, [vote(v1.address, id, VoteOption.VOTE_OPTION_NO)]], [v2, [vote(v2.address, id)]]);
    expect(res.txResults.map((r) => r.code)).toEqual([0, 0]);
    // Re-voting replaces the earlier vote.
    res = await run([v1, [vote(v1.address, id)]]);
    expect(res.txResults[0].code).toBe(0);
    expect(queryProposal(t, id).votes.map((v) => v.option)).toEqual([VoteOption.VOTE_OPTION_YES, VoteOption.VOTE_OPTION_YES]);

    // Voting ends 10 s after submission; enactment 5 s later.
    while (queryProposal(t, id).proposal!.result === VoteResult.VOTE_RESULT_PENDING) await run();
    expect(queryProposal(t, id).proposal!.result).toBe(VoteResult.VOTE_RESULT_ENACTMENT);
    expect(rankOf(t, 'valA')).toBe('17');
    while (queryProposal(t, id).proposal!.result === VoteResult.VOTE_RESULT_ENACTMENT) await run();
    const p = queryProposal(t, id).proposal!;
    expect(p.result).toBe(VoteResult.VOTE_RESULT_PASSED);
    expect(p.execResult).toBe('executed successfully');
    expect([rankOf(t, 'valA'), rankOf(t, 'valB')]).toEqual(['0', '0']);
  });

  test('a network-property proposal raises MIN_TX_FEE and the very next tx below it is refused', async () => {
    const content = msg('/sekai.gov.v1.SetNetworkPropertyProposal', SetNetworkPropertyProposal, {
      networkProperty: NetworkProperty.MIN_TX_FEE,
      value: { value: 500n, strValue: '' },
    });
    let res = await run([sudo, [submit(sudo.address, content, 'fee')]]);
    expect(res.txResults[0].code).toBe(0);
    const id = 2n;
    res = await run([sudo, [vote(sudo.address, id)]], [v1, [vote(v1.address, id)]]);
    expect(res.txResults.map((r) => r.code)).toEqual([0, 0]);
    while (queryProposal(t, id).proposal!.result !== VoteResult.VOTE_RESULT_PASSED) {
      expect([VoteResult.VOTE_RESULT_PENDING, VoteResult.VOTE_RESULT_ENACTMENT]).toContain(queryProposal(t, id).proposal!.result);
      await run();
    }
    const low = await signTx(bob, [vote(bob.address, id)], '400');
    const c = t.app.checkTx({ tx: low, type: CheckTxType.NEW });
    expect({ codespace: c.codespace, code: c.code }).toEqual({ codespace: 'sdk', code: 13 });
    expect(c.log).toContain('below the minimum 500ukex');
    // In a block too, the ante refuses it.
    now += 1;
    const r = await block(t, now, [low]);
    expect(r.txResults[0].code).toBe(13);
    const ok = await signTx(bob, [msg('/sekai.gov.v1.MsgWhitelistPermissions', MsgWhitelistPermissions, { proposer: bob.address, address: bob.address, permission: 2 })], '500');
    expect(t.app.checkTx({ tx: ok, type: CheckTxType.NEW }).code).toBe(0);
    fee = '500';
  });

  test('a software upgrade stops the old code version at the planned height; the new version continues from the same data', async () => {
    const h = Number(t.app.info({} as never).lastBlockHeight);
    const planHeight = h + 40;
    const content = msg('/sekai.gov.v1.SoftwareUpgradeProposal', SoftwareUpgradeProposal, { name: 'v2-upgrade', version: 'v2', height: BigInt(planHeight), info: '' });
    let res = await run([sudo, [submit(sudo.address, content, 'upgrade')]]);
    expect(res.txResults[0].code).toBe(0);
    const id = 3n;
    res = await run([sudo, [vote(sudo.address, id)]], [v1, [vote(v1.address, id)]]);
    expect(res.txResults.map((r) => r.log)).toEqual(['', '']);
    while (queryProposal(t, id).proposal!.result !== VoteResult.VOTE_RESULT_PASSED) await run();
    expect(Number(t.app.info({} as never).lastBlockHeight)).toBeLessThan(planHeight - 1);
    while (Number(t.app.info({} as never).lastBlockHeight) < planHeight - 1) await run();

    let stopped: unknown;
    try {
      await run();
    } catch (err) {
      stopped = err;
    }
    expect(stopped).toBeInstanceOf(CodedError);
    expect((stopped as CodedError).is(ErrUpgradeRequired)).toBe(true);
    expect((stopped as CodedError).message).toContain('requires version v2 from height ' + planHeight);
    expect(Number(t.app.info({} as never).lastBlockHeight)).toBe(planHeight - 1);
    await t.store.close();

    t = await openGovApp(dir, { codeVersion: 'v2' });
    expect(Number(t.app.info({} as never).lastBlockHeight)).toBe(planHeight - 1);
    await run();
    expect(Number(t.app.info({} as never).lastBlockHeight)).toBe(planHeight);
    expect(readChainVersion(t.store.readerAt(RUNTIME_STORE, planHeight))).toBe('v2');
    // Governance state carried over: the passed proposals are still there.
    expect(queryProposal(t, 1n).proposal!.result).toBe(VoteResult.VOTE_RESULT_PASSED);
  });
});
