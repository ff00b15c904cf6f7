/**
 * An era appended by governance (ProposalAddNotaryEra, permissions 70 / 71): the proposal
 * passes, and at its start time the next era's notaries take over after the era gap.
 */
import { Any } from '../../proto/gen/google/protobuf/any';
import { VoteOption } from '../../proto/gen/sekai/gov/v1/gov';
import { MsgSubmitProposal, MsgVoteProposal } from '../../proto/gen/sekai/gov/v1/tx';
import { Era, ProposalAddNotaryEra } from '../../proto/gen/sekai/notarypay/v1/notarypay';
import { QueryEraHeightsRequest, QueryEraHeightsResponse } from '../../proto/gen/sekai/notarypay/v1/query';
import { ADD_NOTARY_ERA_TYPE_URL, NotaryPayErrors as E, notaryAddress } from '../../x/notarypay';
import { NotaryChain, closeNotaryApp, genesis, key, msg, notariesOf, openNotaryApp, type NotaryApp } from './helpers';

const era1 = Array.from({ length: 5 }, (_, i) => key(`gov-era1-${i}`));
const era2 = Array.from({ length: 10 }, (_, i) => key(`gov-era2-${i}`));
const councilor = key('councilor');
const relayer = key('relayer');

let n: NotaryApp;
afterEach(async () => closeNotaryApp(n));

it('a passed era proposal hands notarization to the next era at its start time, after the gap', async () => {
  n = await openNotaryApp();
  const chain = new NotaryChain(n);
  chain.initChain(
    genesis({
      funded: [councilor.address, relayer.address],
      govActor: councilor.address,
      notarypay: { params: { era_gap_seconds: '777' }, eras: [{ start_time: '0', pay: '100', notaries: notariesOf(era1, 'a') }] },
    }),
  );
  await chain.step();
  const start = chain.now + 600;
  const era: Era = { index: 2, startTime: BigInt(start), pay: '1000', notaries: notariesOf(era2, 'b').map((x) => ({ name: x.name, pubKey: Buffer.from(x.pub_key, 'hex') })) };
  const content = Any.fromPartial({ typeUrl: ADD_NOTARY_ERA_TYPE_URL, value: Buffer.from(ProposalAddNotaryEra.encode({ proposer: councilor.address, description: 'era 2', era }).finish()) });
  chain.mempool.push(
    chain.sign(councilor, [{ typeUrl: '/sekai.gov.v1.MsgSubmitProposal', value: MsgSubmitProposal.encode({ proposer: councilor.address, title: 'Era 2', description: 'new notaries', content }).finish() }]),
  );
  const submitted = await chain.step();
  expect(submitted.results[0].log).toBe('');
  expect(submitted.results[0].code).toBe(0);
  chain.mempool.push(
    chain.sign(councilor, [{ typeUrl: '/sekai.gov.v1.MsgVoteProposal', value: MsgVoteProposal.encode({ proposalId: 1n, voter: councilor.address, option: VoteOption.VOTE_OPTION_YES, slash: '0' }).finish() }]),
  );
  expect((await chain.step()).results[0].code).toBe(0);
  // Voting (60 s) and enactment (10 s) periods.
  for (let i = 0; i < 20 && n.notarypay.eras(chain.readContext()).length < 2; i++) await chain.step();
  expect(n.notarypay.eras(chain.readContext()).map((e) => e.index)).toEqual([1, 2]);

  // Before the start time era 1 still notarizes.
  let h = chain.height;
  chain.mempool.push(chain.sign(relayer, [msg.notarize(relayer.address, h, chain.appHashAt(h), era1.slice(0, 1))]));
  expect((await chain.step()).results[0].code).toBe(0);

  // At the start time: the gap. Nobody notarizes; era-1 keys are no longer notaries either.
  while (chain.now + 5 < start) await chain.step();
  await chain.step(start);
  h = chain.height;
  const byEra2 = chain.sign(relayer, [msg.notarize(relayer.address, h, chain.appHashAt(h), era2.slice(0, 2))]);
  chain.mempool.push(byEra2);
  const inGap = await chain.step(start + 100);
  expect(inGap.txs).toEqual([]); // left in the mempool, refused during the gap
  const finalized = await chain.finalize([byEra2], start + 200);
  expect(finalized.results[0].code).toBe(E.ErrEraGap.code);
  chain.mempool = [];

  // After the gap era 2 pays its notaries 1000 / 2.
  await chain.step(start + 777);
  h = chain.height;
  chain.mempool.push(chain.sign(relayer, [msg.notarize(relayer.address, h, chain.appHashAt(h), era1.slice(0, 2))]));
  expect((await chain.step()).txs).toEqual([]);
  chain.mempool = [chain.sign(relayer, [msg.notarize(relayer.address, h, chain.appHashAt(h), era2.slice(3, 5))])];
  const paid = await chain.step();
  expect(paid.results[0].code).toBe(0);
  expect(chain.balance(notaryAddress(era2[3].pub))).toBe(500n);
  expect(chain.balance(notaryAddress(era2[4].pub))).toBe(500n);
  const heights = QueryEraHeightsResponse.decode(chain.query('/sekai.notarypay.v1.Query/EraHeights', QueryEraHeightsRequest.encode({}).finish()));
  expect(heights.eras.map((e) => [e.era, e.startTime])).toEqual([[1, 0n], [2, BigInt(start)]]);
  expect(heights.eras[1].firstHeight).toBe(BigInt(finalized.height - 2));
});
