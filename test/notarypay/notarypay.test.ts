/**
 * x/notarypay through the app's ABCI methods: block position of notarizations in
 * PrepareProposal / ProcessProposal / FinalizeBlock, each refusal's own reason, the pay
 * split and records, burn-funded pay, set-pubkey once, and queries.
 */
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { ErrInvalidProposal } from '../../runtime/errors';
import { FundingMode } from '../../proto/gen/sekai/notarypay/v1/notarypay';
import {
  QueryEraHeightsRequest,
  QueryEraHeightsResponse,
  QueryIguanaJsonRequest,
  QueryIguanaJsonResponse,
  QueryLastNotarizationRequest,
  QueryLastNotarizationResponse,
  QueryNotaryPayInfoRequest,
  QueryNotaryPayInfoResponse,
  QueryNotarySendManyRequest,
  QueryNotarySendManyResponse,
  QueryProposerTallyRequest,
  QueryProposerTallyResponse,
} from '../../proto/gen/sekai/notarypay/v1/query';
import { decodeTx } from '../../runtime/tx';
import { CodedError } from '../../types/errors';
import { BURN_ADDRESS, NotaryPayErrors as E, checkProposalNotarizations, minSigs, notaryAddress } from '../../x/notarypay';
import { CHAIN_ID, GENESIS_TIME, NotaryChain, closeNotaryApp, genesis, key, msg, notariesOf, openNotaryApp, type Key, type NotaryApp } from './helpers';

const era1Keys = Array.from({ length: 10 }, (_, i) => key(`era1-${i}`));
const era2Keys = Array.from({ length: 5 }, (_, i) => key(`era2-${i}`));
const relayers = Array.from({ length: 8 }, (_, i) => key(`relayer-${i}`));
const user = key('user');
const ERA2_START = GENESIS_TIME + 1000;

let n: NotaryApp;
let chain: NotaryChain;

async function open(notarypay: Record<string, unknown>, funded: string[] = [...relayers.map((r) => r.address), user.address]): Promise<void> {
  n = await openNotaryApp();
  chain = new NotaryChain(n);
  chain.initChain(genesis({ funded, notarypay }));
}

afterEach(async () => {
  if (n) await closeNotaryApp(n);
});

function twoEras(pay = '1000', funding = 'emission') {
  return {
    params: { denom: 'ukex', funding, era_gap_seconds: '777' },
    eras: [
      { start_time: '0', pay, notaries: notariesOf(era1Keys, 'a') },
      { start_time: String(ERA2_START), pay: '500', notaries: notariesOf(era2Keys, 'b') },
    ],
  };
}

/** A signed notarization tx of height h by `signers`, sent by relayer r. */
function notarization(r: number, h: number, signers: Key[], appHash = chain.appHashAt(h)): Uint8Array {
  return chain.sign(relayers[r], [msg.notarize(relayers[r].address, h, appHash, signers)]);
}

/** The specific x/notarypay error a proposal breaks, checked on the state the next block runs on. */
function reasonOf(txs: Uint8Array[], seconds = chain.now + 5): CodedError | undefined {
  const ctx = chain.readContext();
  const pctx = new (ctx.constructor as typeof import('../../runtime/context').Context)({
    mode: 'process',
    block: { chainId: CHAIN_ID, height: chain.height + 1, time: { seconds: BigInt(seconds), nanos: 0 }, proposer: new Uint8Array(20) },
    stores: n.store.cacheMultiStore(),
  });
  try {
    checkProposalNotarizations(
      n.notarypay,
      pctx,
      txs.map((bytes) => ({ bytes, tx: decodeTx(bytes, n.modules) })),
    );
    return undefined;
  } catch (err) {
    if (err instanceof CodedError) return err;
    throw err;
  }
}

async function expectRejected(txs: Uint8Array[], reason: { code: number }, text: RegExp, seconds = chain.now + 5): Promise<void> {
  expect(await chain.process(txs, seconds)).toBe(false);
  const err = reasonOf(txs, seconds);
  expect(err?.codespace).toBe('notarypay');
  expect(err?.code).toBe(reason.code);
  expect(err?.message).toMatch(text);
}

async function blocks(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await chain.step();
}

describe('ProcessProposal', () => {
  beforeEach(async () => {
    await open(twoEras());
    await blocks(4);
  });

  it('accepts one valid notarization at index 0', async () => {
    const ok = notarization(0, 3, era1Keys.slice(0, 2));
    expect(await chain.process([ok])).toBe(true);
    expect(reasonOf([ok])).toBeUndefined();
  });

  it('rejects a notarization at index 1', async () => {
    const send = chain.sign(user, [msg.send(user.address, relayers[7].address, '5')]);
    await expectRejected([send, notarization(0, 3, era1Keys.slice(0, 2))], E.ErrNotarizationPosition, /at index 1/);
  });

  it('rejects two notarizations', async () => {
    await expectRejected([notarization(0, 3, era1Keys.slice(0, 2)), notarization(1, 4, era1Keys.slice(2, 4))], E.ErrTooManyNotarizations, /2 notarizations, at indexes 0, 1/);
  });

  it('rejects one signature too few', async () => {
    expect(minSigs(10)).toBe(2);
    await expectRejected([notarization(0, 3, era1Keys.slice(0, 1))], E.ErrTooFewSignatures, /1 signatures, era 1 of 10 notaries needs 2/);
  });

  it('rejects a duplicate signer', async () => {
    await expectRejected([notarization(0, 3, [era1Keys[0], era1Keys[1], era1Keys[0]])], E.ErrDuplicateSigner, /signature 2: a0 signed twice/);
  });

  it('rejects a wrong AppHash', async () => {
    await expectRejected([notarization(0, 3, era1Keys.slice(0, 2), chain.appHashAt(2))], E.ErrWrongAppHash, /height 3: signed/);
  });

  it('rejects a height above the previous block', async () => {
    const fake = new Uint8Array(32).fill(1);
    await expectRejected([notarization(0, 5, era1Keys.slice(0, 2), fake)], E.ErrFutureHeight, /height 5 in block 5/);
  });

  it('rejects a stale height', async () => {
    chain.mempool.push(notarization(0, 3, era1Keys.slice(0, 2)));
    const b = await chain.step();
    expect(b.results[0].code).toBe(0);
    await expectRejected([notarization(1, 3, era1Keys.slice(2, 4))], E.ErrStaleHeight, /height 3, last notarized 3/);
    await expectRejected([notarization(1, 2, era1Keys.slice(2, 4))], E.ErrStaleHeight, /height 2, last notarized 3/);
  });

  it('rejects a signer from the previous era, and any signer during the era gap', async () => {
    // Into era 2's gap: era-2 notaries are refused until the gap ends.
    await chain.step(ERA2_START + 10);
    const h = chain.height;
    const inGap = ERA2_START + 20;
    await expectRejected([notarization(0, h, era2Keys.slice(0, 1), chain.appHashAt(h))], E.ErrEraGap, new RegExp(`era 2 started at ${ERA2_START}; notarizations resume at ${ERA2_START + 777}`), inGap);
    // After the gap: era-1 keys are no longer notaries.
    await chain.step(ERA2_START + 800);
    const h2 = chain.height;
    await expectRejected([notarization(0, h2, era1Keys.slice(0, 2))], E.ErrNotCurrentNotary, /is a notary of era 1, the current era is 2/);
    // …while era 2's own keys pass.
    expect(await chain.process([notarization(0, h2, era2Keys.slice(0, 1))])).toBe(true);
  });

  it('wraps the reason in ErrInvalidProposal for the runtime', () => {
    const rules = n.modules;
    const ctxTxs = [chain.sign(user, [msg.send(user.address, relayers[7].address, '5')]), notarization(0, 3, era1Keys.slice(0, 2))];
    let thrown: unknown;
    try {
      rules.processProposal(
        new (chain.readContext().constructor as typeof import('../../runtime/context').Context)({
          mode: 'process',
          block: { chainId: CHAIN_ID, height: chain.height + 1, time: { seconds: BigInt(chain.now + 5), nanos: 0 }, proposer: new Uint8Array(20) },
          stores: n.store.cacheMultiStore(),
        }),
        ctxTxs.map((bytes) => ({ bytes, tx: decodeTx(bytes, n.modules) })),
      );
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CodedError);
    expect((thrown as CodedError).is(ErrInvalidProposal)).toBe(true);
    expect((thrown as CodedError).message).toMatch(/notarization at index 1: a notarization must be the first tx of its block: invalid block proposal/);
  });
});

describe('CheckTx', () => {
  beforeEach(async () => {
    await open(twoEras());
    await blocks(4);
  });

  const check = (tx: Uint8Array, type = CheckTxType.NEW) => chain.app.checkTx({ tx, type });

  function expectRefused(tx: Uint8Array, reason: { code: number }, text: RegExp): void {
    const res = check(tx);
    expect({ codespace: res.codespace, code: res.code }).toEqual({ codespace: 'notarypay', code: reason.code });
    expect(res.log).toMatch(text);
  }

  it('admits a valid notarization and refuses each position-independent breach with its own code', () => {
    expectRefused(notarization(0, 3, era1Keys.slice(0, 1)), E.ErrTooFewSignatures, /1 signatures, era 1 of 10 notaries needs 2/);
    expectRefused(notarization(0, 3, [era1Keys[0], era1Keys[1], era1Keys[0]]), E.ErrDuplicateSigner, /a0 signed twice/);
    expectRefused(notarization(0, 3, era1Keys.slice(0, 2), chain.appHashAt(2)), E.ErrWrongAppHash, /height 3: signed/);
    expectRefused(notarization(0, 5, era1Keys.slice(0, 2), new Uint8Array(32).fill(1)), E.ErrFutureHeight, /height 5 in block 5/);
    expectRefused(notarization(0, 3, [era1Keys[0], era2Keys[0]]), E.ErrNotCurrentNotary, /is a notary of era 2, the current era is 1/);
    const forged = msg.notarize(relayers[0].address, 3, chain.appHashAt(3), era1Keys.slice(0, 2), 'another-chain');
    expectRefused(chain.sign(relayers[0], [forged]), E.ErrInvalidNotarySignature, /signature 0 by a0/);
    // Nothing was taken for the refusals: the same relayer's next tx still uses sequence 0.
    expect(check(notarization(0, 4, era1Keys.slice(0, 2))).code).toBe(0);
  });

  it('refuses a stale height, and ReCheckTx drops a pending notarization once a later one is in', async () => {
    const pending = notarization(1, 3, era1Keys.slice(2, 4));
    expect(check(pending).code).toBe(0);
    chain.mempool.push(notarization(0, 4, era1Keys.slice(0, 2)));
    const b = await chain.step();
    expect(b.results[0].code).toBe(0);
    expect(check(pending, CheckTxType.RECHECK)).toMatchObject({ codespace: 'notarypay', code: E.ErrStaleHeight.code });
    expectRefused(notarization(1, 4, era1Keys.slice(2, 4)), E.ErrStaleHeight, /height 4, last notarized 4/);
  });

  it('refuses during the era gap, judged at the last block time; a block judges at its own time', async () => {
    await chain.step(ERA2_START + 10);
    const early = notarization(0, chain.height, era2Keys.slice(0, 1));
    expectRefused(early, E.ErrEraGap, new RegExp(`notarizations resume at ${ERA2_START + 777}`));
    // A block after the gap includes and pays it: the mempool check stands aside in blocks.
    chain.mempool.push(early);
    const b = await chain.step(ERA2_START + 800);
    expect(b.txs).toEqual([early]);
    expect(b.results.map((r) => r.code)).toEqual([0]);
    expect(check(notarization(1, chain.height, era2Keys.slice(1, 2))).code).toBe(0);
  });

  it('refuses a notarization tx with any other message, at CheckTx and ReCheckTx, before anything is charged', () => {
    const nz = msg.notarize(relayers[0].address, 3, chain.appHashAt(3), era1Keys.slice(0, 2));
    const withSend = chain.sign(relayers[0], [nz, msg.send(relayers[0].address, user.address, '1')]);
    const twice = chain.sign(relayers[0], [nz, msg.notarize(relayers[0].address, 4, chain.appHashAt(4), era1Keys.slice(2, 4))]);
    for (const tx of [withSend, twice]) {
      for (const type of [CheckTxType.NEW, CheckTxType.RECHECK]) {
        const res = check(tx, type);
        expect({ codespace: res.codespace, code: res.code }).toEqual({ codespace: 'notarypay', code: E.ErrMixedNotarizationTx.code });
        expect(res.log).toMatch(/has 2 messages.*MsgNotarize alone/);
      }
    }
    // Neither took the relayer's sequence: its lone notarization is admitted.
    expect(check(chain.sign(relayers[0], [nz])).code).toBe(0);
  });

  it('judges a notarization the same while a block executes (between FinalizeBlock and Commit)', async () => {
    const dup = notarization(0, 3, [era1Keys[0], era1Keys[1], era1Keys[0]]);
    const valid = notarization(1, 3, era1Keys.slice(0, 2));
    for (let i = 0; i < 3; i++) {
      const height = chain.height + 1;
      chain.app.finalizeBlock({
        txs: [],
        decidedLastCommit: { round: 0, votes: [] },
        misbehavior: [],
        hash: new Uint8Array(32),
        height: BigInt(height),
        time: { seconds: BigInt(chain.now + 5), nanos: 0 },
        nextValidatorsHash: new Uint8Array(32),
        proposerAddress: new Uint8Array(20).fill(7),
      });
      expect(check(dup)).toMatchObject({ codespace: 'notarypay', code: E.ErrDuplicateSigner.code });
      expect(check(valid).code).toBe(0);
      await chain.app.commit();
      chain.height = height;
      chain.now += 5;
      expect(check(dup)).toMatchObject({ codespace: 'notarypay', code: E.ErrDuplicateSigner.code });
    }
  });

  it('refuses a notarization the burn-funded pay cannot cover', async () => {
    await closeNotaryApp(n);
    await open(twoEras('1000', 'burn-funded'));
    await blocks(3);
    expectRefused(notarization(0, 2, era1Keys.slice(0, 2)), E.ErrFundingExhausted, /send at least 1000ukex more/);
  });
});

describe('PrepareProposal and FinalizeBlock', () => {
  beforeEach(async () => {
    await open(twoEras());
    await blocks(4);
  });

  it('moves the first valid notarization to index 0 and keeps later ones for the next block', async () => {
    const send1 = chain.sign(user, [msg.send(user.address, relayers[7].address, '5')]);
    const invalid = notarization(0, 3, era1Keys.slice(0, 1)); // too few signatures
    const first = notarization(1, 3, era1Keys.slice(0, 2));
    const later = notarization(2, 4, era1Keys.slice(2, 5));
    chain.mempool = [send1, invalid, first, later];
    const proposal = chain.prepare();
    expect(proposal).toEqual([first, send1]);
    const b = await chain.step();
    expect(b.txs).toEqual([first, send1]);
    expect(b.results.map((r) => r.code)).toEqual([0, 0]);
    expect(chain.mempool).toEqual([invalid, later]);
    // Next block: the later notarization (height 4 > 3) goes first; the invalid one never does.
    const b2 = await chain.step();
    expect(b2.txs).toEqual([later]);
    expect(b2.results[0].code).toBe(0);
    expect(n.notarypay.state(chain.readContext()).lastNotarizedHeight).toBe(4n);
    expect(chain.mempool).toEqual([invalid]);
  });

  it('pays at most one notarization per block even when a block skips ProcessProposal', async () => {
    const a = notarization(0, 3, era1Keys.slice(0, 2));
    const b = notarization(1, 4, era1Keys.slice(2, 4));
    const res = await chain.finalize([a, b]);
    expect(res.results[0].code).toBe(0);
    expect(res.results[1].codespace).toBe('notarypay');
    // FinalizeBlock knows each tx's index: the second notarization is refused for its position.
    expect(res.results[1].code).toBe(E.ErrNotarizationPosition.code);
    expect(res.results[1].log).toMatch(/notarization at index 1/);
    const s = n.notarypay.state(chain.readContext());
    expect(s.notarizations).toBe(1n);
    expect(s.lastNotarizedHeight).toBe(3n);
  });

  it('refuses a lone notarization that a block put after another tx (FinalizeBlock sees the index)', async () => {
    const send = chain.sign(user, [msg.send(user.address, relayers[7].address, '5')]);
    const res = await chain.finalize([send, notarization(0, 3, era1Keys.slice(0, 2))]);
    expect(res.results[0].code).toBe(0);
    expect(res.results[1].codespace).toBe('notarypay');
    expect(res.results[1].code).toBe(E.ErrNotarizationPosition.code);
    expect(n.notarypay.state(chain.readContext()).notarizations).toBe(0n);
  });

  it('splits pay[era] / signers in signer order, records the checkpoint and grows supply', async () => {
    const signers = [era1Keys[4], era1Keys[1], era1Keys[7]];
    const supply0 = chain.supply();
    chain.mempool.push(notarization(0, 4, signers));
    const b = await chain.step();
    expect(b.results[0].code).toBe(0);
    for (const s of signers) expect(chain.balance(notaryAddress(s.pub))).toBe(333n); // 1000 / 3
    expect(chain.balance(notaryAddress(era1Keys[0].pub))).toBe(0n);
    // Fees go to the fee collector, so supply changes only by the minted pay (999: the remainder is not minted).
    expect(chain.supply() - supply0).toBe(999n);
    const transfers = b.results[0].events.filter((e) => e.type === 'transfer').map((e) => e.attributes.find((a) => a.key === 'recipient')?.value);
    expect(transfers.slice(-3)).toEqual(signers.map((s) => notaryAddress(s.pub)));
    const last = QueryLastNotarizationResponse.decode(chain.query('/sekai.notarypay.v1.Query/LastNotarization', QueryLastNotarizationRequest.encode({}).finish()));
    expect(last.state?.lastNotarizedHeight).toBe(4n);
    expect(Buffer.from(last.state!.lastNotarizedAppHash)).toEqual(Buffer.from(chain.appHashAt(4)));
    expect(last.state?.lastNotarizationBlock).toBe(5n);
    expect(last.state?.totalPay).toBe('999');
    expect(last.signerNames).toEqual(['a4', 'a1', 'a7']);
  });

  it('applies the per-transfer cap to notary pay', async () => {
    await closeNotaryApp(n);
    // 2 000 001 KEX per signer with 1 signer is above the 1 000 000 KEX cap.
    await open({ params: { denom: 'ukex' }, eras: [{ start_time: '0', pay: '2000000000001', notaries: notariesOf(era1Keys.slice(0, 3)) }] });
    await blocks(2);
    expect(await chain.process([notarization(0, 2, era1Keys.slice(0, 1))])).toBe(false);
    expect(reasonOf([notarization(0, 2, era1Keys.slice(0, 1))])?.codespace).toBe('bank');
    expect(await chain.process([notarization(0, 2, era1Keys.slice(0, 3))])).toBe(true); // 666 666 KEX each
  });
});

describe('burn-funded notary pay', () => {
  it('stops exactly when funding runs out and resumes after more is burned', async () => {
    await open({ params: { denom: 'ukex', funding: 'burn-funded' }, eras: [{ start_time: '0', pay: '1000', notaries: notariesOf(era1Keys) }] });
    await chain.step();
    chain.mempool.push(chain.sign(user, [msg.send(user.address, BURN_ADDRESS, '2500')]));
    await chain.step();
    await chain.step();
    expect(chain.balance(BURN_ADDRESS)).toBe(2500n);

    const payInfo = () => QueryNotaryPayInfoResponse.decode(chain.query('/sekai.notarypay.v1.Query/NotaryPayInfo', QueryNotaryPayInfoRequest.encode({}).finish()));
    expect(payInfo().estimatedNotarizationsLeft).toBe(2n);

    // Two notarizations fit in 2500 (1000 each).
    chain.mempool.push(notarization(0, 2, era1Keys.slice(0, 2)));
    expect((await chain.step()).results[0].code).toBe(0);
    chain.mempool.push(notarization(1, 3, era1Keys.slice(2, 4)));
    expect((await chain.step()).results[0].code).toBe(0);
    expect(payInfo().totalNotaryPay).toBe('2000');

    // The third would make 3000 > 2500: left out of the proposal, refused by ProcessProposal.
    const third = notarization(2, 4, era1Keys.slice(4, 6));
    chain.mempool.push(third);
    const err = reasonOf([third]);
    expect(err?.code).toBe(E.ErrFundingExhausted.code);
    expect(err?.message).toMatch(new RegExp(`notary pay so far 2000ukex plus 1000ukex exceeds the 2500ukex burned; send at least 500ukex more to ${BURN_ADDRESS}`));
    expect(await chain.process([third])).toBe(false);
    const stalled = await chain.step();
    expect(stalled.txs).toEqual([]);
    expect(chain.mempool).toEqual([third]);
    expect(payInfo().estimatedNotarizationsLeft).toBe(0n);

    // Burn 499 more: still 1 short.
    chain.mempool.push(chain.sign(user, [msg.send(user.address, BURN_ADDRESS, '499')]));
    const b1 = await chain.step();
    expect(b1.txs.length).toBe(1);
    expect(reasonOf([third])?.message).toMatch(/send at least 1ukex more/);
    // One more coin: the waiting notarization goes through at index 0.
    chain.mempool.push(chain.sign(user, [msg.send(user.address, BURN_ADDRESS, '1')]));
    await chain.step();
    const resumed = await chain.step();
    expect(resumed.txs[0]).toEqual(third);
    expect(resumed.results[0].code).toBe(0);
    const info = payInfo();
    expect(info.totalNotaryPay).toBe('3000');
    expect(info.balance).toBe('3000');
    expect(info.spent).toBe(false);
    expect(info.funding).toBe(FundingMode.FUNDING_MODE_BURN_FUNDED);
    expect(info.estimatedNotarizationsLeft).toBe(0n);
    expect(n.modules.checkInvariants(chain.readContext())).toEqual([]);
  });
});

describe('set-pubkey and queries', () => {
  it('binds a payout once ("can only set pubkey once") and pays it', async () => {
    await open({ eras: [{ start_time: '0', pay: '100', notaries: notariesOf(era1Keys.slice(0, 5)) }] }, [era1Keys[0].address, relayers[0].address, user.address]);
    const payout = key('payout').address;
    await chain.step();
    chain.mempool.push(chain.sign(era1Keys[0], [msg.setPubkey(era1Keys[0].address, payout)]));
    const b = await chain.step();
    expect(b.results[0].code).toBe(0);
    chain.mempool.push(chain.sign(era1Keys[0], [msg.setPubkey(era1Keys[0].address, user.address)]));
    const again = await chain.step();
    expect(again.results[0].code).toBe(E.ErrPubkeyAlreadySet.code);
    expect(again.results[0].log).toMatch(/can only set pubkey once/);
    // A key that is no notary is refused.
    chain.mempool.push(chain.sign(user, [msg.setPubkey(user.address, payout)]));
    expect((await chain.step()).results[0].code).toBe(E.ErrNotANotary.code);

    chain.mempool.push(notarization(0, 3, [era1Keys[0]]));
    expect((await chain.step()).results[0].code).toBe(0);
    expect(chain.balance(payout)).toBe(100n);

    const send = QueryNotarySendManyResponse.decode(chain.query('/sekai.notarypay.v1.Query/NotarySendMany', QueryNotarySendManyRequest.encode({ amount: '7' }).finish()));
    expect(Object.keys(send.amounts).sort()).toEqual([payout, ...era1Keys.slice(1, 5).map((k) => notaryAddress(k.pub))].sort());
    expect(send.amounts[payout]).toBe('7');

    const iguana = QueryIguanaJsonResponse.decode(chain.query('/sekai.notarypay.v1.Query/IguanaJson', QueryIguanaJsonRequest.encode({}).finish()));
    expect(iguana.era).toBe(1);
    expect(iguana.minsigs).toBe(1n);
    expect(iguana.notaries.map((x) => x.name)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
    expect(iguana.notaries[0].pubkey).toBe(Buffer.from(era1Keys[0].pub).toString('hex'));

    const eras = QueryEraHeightsResponse.decode(chain.query('/sekai.notarypay.v1.Query/EraHeights', QueryEraHeightsRequest.encode({}).finish()));
    expect(eras.eras).toEqual([{ era: 1, firstHeight: 1n, startTime: 0n }]);
  });

  it('tallies proposers over the last <depth> blocks and measures the block interval', async () => {
    await open({ eras: [{ start_time: '0', pay: '100', notaries: notariesOf(era1Keys.slice(0, 5)) }] });
    const p1 = new Uint8Array(20).fill(1);
    const p2 = new Uint8Array(20).fill(2);
    for (let i = 0; i < 6; i++) await chain.step(chain.now + 7, i % 3 === 0 ? p1 : p2);
    const tally = QueryProposerTallyResponse.decode(chain.query('/sekai.notarypay.v1.Query/ProposerTally', QueryProposerTallyRequest.encode({ depth: 4n }).finish()));
    expect(tally.fromHeight).toBe(3n);
    expect(tally.toHeight).toBe(6n);
    expect(tally.proposers).toEqual([
      { proposer: '01'.repeat(20), blocks: 1n },
      { proposer: '02'.repeat(20), blocks: 3n },
    ]);
    const bad = chain.app.query({ path: '/sekai.notarypay.v1.Query/ProposerTally', data: QueryProposerTallyRequest.encode({ depth: 7n }).finish(), height: 0n, prove: false });
    expect(bad.code).not.toBe(0);
    expect(bad.log).toMatch(/depth 7 is above the chain height 6/);
    const info = QueryNotaryPayInfoResponse.decode(chain.query('/sekai.notarypay.v1.Query/NotaryPayInfo', QueryNotaryPayInfoRequest.encode({}).finish()));
    expect(info.blockIntervalMs).toBe(7000n);
  });
});
