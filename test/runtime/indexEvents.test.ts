/**
 * app.toml `index-events`: a node that lists event attributes marks only those for the tx
 * indexer, in CheckTx and FinalizeBlock answers alike, and reaches the same AppHash, codes and
 * events (but for the flags) as a node that indexes everything. A recheck answers without events.
 */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { CheckTxType, type Event } from 'cosmjs-types/tendermint/abci/types';
import { createApp, type SekaiApp } from '../../app/app';
import { KEX_METADATA } from '../../x/bank';
import { CHAIN_ID, rawKey, rawSend, tempDir, time } from '../fixtures/runtimeApp';

const keys = [rawKey(11), rawKey(12)];
const LISTED = ['transfer.recipient', 'message.sender'];

const dirs: string[] = [];
const apps: SekaiApp[] = [];

async function open(indexEvents?: string[]): Promise<SekaiApp> {
  const dir = tempDir('index-events');
  dirs.push(dir);
  const sekai = await createApp({ dbDir: join(dir, 'state'), pruning: { strategy: 'nothing' }, base: { indexEvents } });
  apps.push(sekai);
  const addresses = keys.map((k) => k.address);
  const state = {
    accountid: { accounts: addresses.map((address, i) => ({ address, account_number: String(i), pub_keys: [Buffer.from(keys[i].pub).toString('base64')] })) },
    bank: { balances: addresses.map((address) => ({ address, coins: [{ denom: 'ukex', amount: '1000000000' }] })), denom_metadata: [Metadata.toJSON(KEX_METADATA)] },
  };
  sekai.app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(state)), initialHeight: 1n });
  return sekai;
}

function finalize(sekai: SekaiApp, txs: Uint8Array[]) {
  return sekai.app.finalizeBlock({ txs, decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: 1n, time: time(100), nextValidatorsHash: new Uint8Array(32), proposerAddress: new Uint8Array(20) });
}

const flags = (events: Event[]) => events.flatMap((e) => e.attributes.map((a) => [`${e.type}.${a.key}`, a.index] as const));
const withoutFlags = (events: Event[]) => events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => [a.key, a.value]) }));

afterAll(async () => {
  for (const a of apps) await a.app.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

it('marks only the listed attributes, and changes nothing else', async () => {
  const all = await open();
  const listed = await open(LISTED);
  const send = rawSend(keys[0], { from: keys[0].address, to: keys[1].address, amount: '5', sequence: 0n, accountNumber: 0n });

  const checks = [all, listed].map((s) => s.app.checkTx({ tx: send, type: CheckTxType.NEW }));
  expect(checks.map((c) => c.code)).toEqual([0, 0]);
  expect(checks[0].events.length).toBeGreaterThan(0);
  expect(withoutFlags(checks[1].events)).toEqual(withoutFlags(checks[0].events));
  expect(flags(checks[0].events).every(([, index]) => index)).toBe(true);
  expect(flags(checks[1].events).every(([name, index]) => index === LISTED.includes(name))).toBe(true);

  const [a, b] = [all, listed].map((s) => finalize(s, [send]));
  expect(b.appHash).toEqual(a.appHash);
  expect(b.txResults.map((r) => r.code)).toEqual([0]);
  expect(withoutFlags(b.txResults[0].events)).toEqual(withoutFlags(a.txResults[0].events));
  expect(flags(a.txResults[0].events).every(([, index]) => index)).toBe(true);
  const marked = flags(b.txResults[0].events).filter(([, index]) => index).map(([name]) => name);
  // The transfer's recipient and the message's sender, nothing else (fee, acc_seq, coin_spent…).
  expect(new Set(marked)).toEqual(new Set(LISTED));
  expect(flags(b.txResults[0].events).every(([name, index]) => index === LISTED.includes(name))).toBe(true);
});

it('answers a recheck with its code and no events', async () => {
  const sekai = await open();
  const send = rawSend(keys[0], { from: keys[0].address, to: keys[1].address, amount: '5', sequence: 0n, accountNumber: 0n });
  const fresh = sekai.app.checkTx({ tx: send, type: CheckTxType.NEW });
  expect(fresh.events.length).toBeGreaterThan(0);
  const again = sekai.app.checkTx({ tx: send, type: CheckTxType.RECHECK });
  // The check state already holds the first check: the same tx now fails on its sequence.
  expect(again.code).not.toBe(0);
  expect(again.events).toEqual([]);
});
