/**
 * Every ABCI consensus call that the app refuses leaves it exactly as it was: chain id, info
 * (height, app hash), working hash and what CheckTx accepts. One case per call.
 */
import { rmSync } from 'node:fs';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { Bip39, EnglishMnemonic } from '@cosmjs/crypto';
import { CheckTxType, type RequestFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { CHAIN_ID, genesisFor, openTestApp, tempDir, time, walletSend, type TestApp } from '../fixtures/runtimeApp';

async function wallet(i: number): Promise<DirectSecp256k1HdWallet> {
  const mnemonic = Bip39.encode(new Uint8Array(16).fill(i + 1)).toString();
  return DirectSecp256k1HdWallet.fromMnemonic(new EnglishMnemonic(mnemonic).toString(), { prefix: 'kira' });
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function snapshot(t: TestApp) {
  const info = t.app.info({ version: '', blockVersion: 0n, p2pVersion: 0n, abciVersion: '' });
  return {
    chainId: t.app.chainId(),
    height: info.lastBlockHeight,
    appHash: hex(info.lastBlockAppHash),
    working: hex(t.store.workingHash()),
  };
}

function finalizeReq(height: number, txs: Uint8Array[] = []): RequestFinalizeBlock {
  return {
    txs,
    decidedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: new Uint8Array(32),
    height: BigInt(height),
    time: time(1_700_000_000 + height),
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  };
}

describe('refused ABCI calls change nothing', () => {
  let t: TestApp;
  let dir: string;
  let a: string;
  let b: string;
  let A: DirectSecp256k1HdWallet;

  const initReq = (chainId: string, appStateBytes: Uint8Array) => ({
    time: time(1_700_000_000),
    chainId,
    consensusParams: undefined,
    validators: [],
    appStateBytes,
    initialHeight: 1n,
  });

  beforeAll(async () => {
    A = await wallet(1);
    a = (await A.getAccounts())[0].address;
    b = (await (await wallet(2)).getAccounts())[0].address;
    dir = tempDir('refusals');
    t = await openTestApp(dir);
  });

  afterAll(async () => {
    await t.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('InitChain with an invalid genesis, an empty or too long chain id leaves the app uninitialised', () => {
    const before = snapshot(t);
    const badState = new TextEncoder().encode(JSON.stringify({ bank: { balances: 'not a list' } }));
    expect(() => t.app.initChain(initReq('attacker-1', badState))).toThrow();
    expect(() => t.app.initChain(initReq('', genesisFor([a, b])))).toThrow(/chain id must have 1 to 50 characters/);
    expect(() => t.app.initChain(initReq('x'.repeat(51), genesisFor([a, b])))).toThrow(/chain id/);
    expect(snapshot(t)).toEqual(before);
    expect(t.app.chainId()).toBe('');
  });

  test('a second InitChain is refused and keeps the first chain id for CheckTx and FinalizeBlock', async () => {
    t.app.initChain(initReq(CHAIN_ID, genesisFor([a, b])));
    const before = snapshot(t);
    expect(() => t.app.initChain(initReq('attacker-1', genesisFor([a])))).toThrow(/InitChain was already called/);
    expect(snapshot(t)).toEqual(before);
    expect(t.app.chainId()).toBe(CHAIN_ID);
    // A tx signed for the attacker's chain id is refused; one for the real chain is accepted.
    const forged = await walletSend(A, { from: a, to: b, sequence: 0n, accountNumber: 0n, amount: '1', chainId: 'attacker-1' });
    expect(t.app.checkTx({ tx: forged, type: CheckTxType.NEW }).code).not.toBe(0);
    const real = await walletSend(A, { from: a, to: b, sequence: 0n, accountNumber: 0n, amount: '1' });
    expect(t.app.checkTx({ tx: real, type: CheckTxType.NEW }).code).toBe(0);
    const res = t.app.finalizeBlock(finalizeReq(1, [forged]));
    expect(res.txResults[0].code).not.toBe(0);
    await t.app.commit();
  });

  test('InitChain after the first block is refused', () => {
    const before = snapshot(t);
    expect(() => t.app.initChain(initReq('attacker-1', genesisFor([a])))).toThrow(/already has committed blocks/);
    expect(snapshot(t)).toEqual(before);
  });

  test('FinalizeBlock for a wrong height is refused before it executes anything', () => {
    const before = snapshot(t);
    expect(() => t.app.finalizeBlock(finalizeReq(5))).toThrow(/FinalizeBlock for height 5, expected 2/);
    expect(() => t.app.finalizeBlock(finalizeReq(1))).toThrow(/expected 2/);
    expect(snapshot(t)).toEqual(before);
  });

  test('Commit without a finalized block is refused', async () => {
    const before = snapshot(t);
    await expect(t.app.commit()).rejects.toThrow(/Commit without a finalized block/);
    expect(snapshot(t)).toEqual(before);
  });

  test('PrepareProposal and ProcessProposal with garbage txs change no state', async () => {
    const before = snapshot(t);
    const garbage = [new Uint8Array([1, 2, 3]), new Uint8Array(1000).fill(0xff)];
    const prepared = t.app.prepareProposal({
      maxTxBytes: 1_000_000n,
      txs: garbage,
      localLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      height: 2n,
      time: time(1_700_000_002),
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20),
    });
    expect(prepared.txs).toEqual([]);
    await t.app.processProposal({
      txs: garbage,
      proposedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(32),
      height: 2n,
      time: time(1_700_000_002),
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20),
    });
    expect(snapshot(t)).toEqual(before);
  });

  test('CheckTx of garbage and of an underpaid tx is refused with a code and changes no state', async () => {
    const before = snapshot(t);
    expect(t.app.checkTx({ tx: new Uint8Array([0x0a, 0xff, 0xff]), type: CheckTxType.NEW }).code).not.toBe(0);
    const cheap = await walletSend(A, { from: a, to: b, sequence: 1n, accountNumber: 0n, amount: '1', fee: '1' });
    expect(t.app.checkTx({ tx: cheap, type: CheckTxType.NEW }).code).not.toBe(0);
    expect(snapshot(t)).toEqual(before);
  });

  test('after every refusal the chain goes on from where it was', async () => {
    const tx = await walletSend(A, { from: a, to: b, sequence: 0n, accountNumber: 0n, amount: '1' });
    const res = t.app.finalizeBlock(finalizeReq(2, [tx]));
    expect(res.txResults[0].code).toBe(0);
    await t.app.commit();
    expect(snapshot(t).height).toBe(2n);
    expect(t.app.chainId()).toBe(CHAIN_ID);
  });
});

describe('queries', () => {
  test('an undecodable request message is an invalid request (gRPC InvalidArgument), not an internal error', async () => {
    const dir = tempDir('refusals-query');
    const t = await openTestApp(dir);
    try {
      const a = (await (await wallet(1)).getAccounts())[0].address;
      t.app.initChain({ time: time(1_700_000_000), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: genesisFor([a]), initialHeight: 1n });
      t.app.finalizeBlock(finalizeReq(1));
      await t.app.commit();
      const res = t.app.query({ path: '/cosmos.bank.v1beta1.Query/Balance', data: new Uint8Array([0x0a, 0xff, 0xff, 0xff]), height: 0n, prove: false });
      expect({ code: res.code, codespace: res.codespace }).toEqual({ code: 18, codespace: 'sdk' });
      expect(res.log).toMatch(/cannot decode the request of \/cosmos.bank.v1beta1.Query\/Balance/);
    } finally {
      await t.store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
