/**
 * x/notarypay across a genesis export: a chain that notarized exports its state at H, and
 * a fresh chain starts from the export at initial height H+1 (what `sekaid-ts export`
 * writes). The checkpoint record, eras and era start heights carry over; the recent block
 * records and AppHashes do not (they name the old chain's blocks), and the new chain's
 * next notarization is of its own first blocks: the old heights can no longer be
 * notarized, and nothing the next notarization needs is missing.
 */
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { NotaryPayErrors as E } from '../../x/notarypay';
import { NotaryChain, closeNotaryApp, genesis, key, msg, notariesOf, openNotaryApp, type NotaryApp } from './helpers';

const notaries = Array.from({ length: 10 }, (_, i) => key(`export-${i}`));
const relayer = key('export-relayer');

const apps: NotaryApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await closeNotaryApp(a);
});

it('the next notarization after an export is of the new chain’s own heights', async () => {
  const a = await openNotaryApp();
  apps.push(a);
  const old = new NotaryChain(a);
  old.initChain(genesis({ funded: [relayer.address], notarypay: { params: { denom: 'ukex' }, eras: [{ start_time: '0', pay: '1000', notaries: notariesOf(notaries) }] } }));
  for (let i = 0; i < 4; i++) await old.step();
  old.mempool.push(old.sign(relayer, [msg.notarize(relayer.address, 3, old.appHashAt(3), notaries.slice(0, 2))]));
  expect((await old.step()).results[0].code).toBe(0);
  await old.step();
  const H = old.height;

  const exported = a.app.exportGenesis(H);
  const section = exported.notarypay as Record<string, unknown>;
  // The checkpoint and the eras travel; the recent block records and AppHashes do not.
  expect(Object.keys(section).sort()).toEqual(['era_start_heights', 'eras', 'params', 'payouts', 'state']);
  expect(section.state).toMatchObject({ lastNotarizedHeight: '3', notarizations: '1', totalPay: '1000' });

  const b = await openNotaryApp(H + 1);
  apps.push(b);
  const next = new NotaryChain(b);
  next.initChain(exported, H + 1, old.now);
  await next.step();
  // A height of the old chain above the last checkpoint: its AppHash is not this chain's record.
  const oldHeight = next.sign(relayer, [msg.notarize(relayer.address, H, old.appHashAt(H), notaries.slice(0, 2))]);
  next.mempool.push(oldHeight);
  const b1 = await next.step();
  expect(b1.txs).toEqual([]);
  expect(next.app.checkTx({ tx: oldHeight, type: CheckTxType.NEW })).toMatchObject({ codespace: 'notarypay', code: E.ErrUnknownAppHash.code });
  next.mempool = [];
  // The new chain's first block (H+1) is notarizable once its hash is in a header.
  next.mempool.push(next.sign(relayer, [msg.notarize(relayer.address, H + 1, next.appHashAt(H + 1), notaries.slice(0, 2))]));
  const b2 = await next.step();
  expect(b2.results.map((r) => r.code)).toEqual([0]);
  const state = b.notarypay.state(next.readContext());
  expect(state.lastNotarizedHeight).toBe(BigInt(H + 1));
  expect(state.notarizations).toBe(2n);
  expect(state.totalPay).toBe('2000');
});
