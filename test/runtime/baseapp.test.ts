import { rmSync } from 'node:fs';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { Bip39, EnglishMnemonic } from '@cosmjs/crypto';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { QueryAccountRequest } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { AuthInfo, Fee, Tx, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { CheckTxType, ResponseProcessProposal_ProposalStatus } from 'cosmjs-types/tendermint/abci/types';
import type { AppModule } from '../../runtime/module';
import { RUNTIME_STORE, scheduleUpgrade } from '../../runtime/upgrade';
import { CodedError } from '../../types/errors';
import { ErrInsufficientFee, ErrInvalidHeight, ErrUpgradeRequired } from '../../runtime/errors';
import { parseMempoolFeeFloor } from '../../runtime/mempoolFees';
import { CHAIN_ID, genesisFor, openTestApp, rawKey, rawSend, tempDir, time, walletSend, type TestApp, type SendParams } from '../fixtures/runtimeApp';
import { SingleThreadVerifier } from '../../crypto/verifier';
import { moduleAddress } from '../fixtures/ledger';
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { calculateExistenceRoot, ics23, iavlSpec, tendermintSpec, verifyMembership } from '@confio/ics23';
import { commitInfoHash, type RootMultiStore } from '../../store/rootmulti';

const N = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');

async function wallet(i: number): Promise<DirectSecp256k1HdWallet> {
  const mnemonic = Bip39.encode(new Uint8Array(16).fill(i + 1)).toString();
  return DirectSecp256k1HdWallet.fromMnemonic(new EnglishMnemonic(mnemonic).toString(), { prefix: 'kira' });
}

async function addressOf(w: DirectSecp256k1HdWallet): Promise<string> {
  return (await w.getAccounts())[0].address;
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

let height = 0;
async function block(t: TestApp, txs: Uint8Array[]) {
  height = Number(t.app.info({} as never).lastBlockHeight) + 1;
  const res = t.app.finalizeBlock({
    txs,
    decidedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: new Uint8Array(32),
    height: BigInt(height),
    time: time(1_700_000_000 + height),
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  });
  await t.app.commit();
  return res;
}

function balance(t: TestApp, address: string, h = 0n): bigint {
  const res = t.app.query({ path: '/cosmos.bank.v1beta1.Query/Balance', data: QueryBalanceRequest.encode({ address, denom: 'ukex' }).finish(), height: h, prove: false });
  expect(res.code).toBe(0);
  return BigInt(QueryBalanceResponse.decode(res.value).balance!.amount);
}

function check(t: TestApp, tx: Uint8Array) {
  return t.app.checkTx({ tx, type: CheckTxType.NEW });
}

describe.each(['iavl', 'flat'] as const)('BaseApp with the ledger test modules (%s store)', (kind) => {
  let t: TestApp;
  let A: DirectSecp256k1HdWallet;
  let B: DirectSecp256k1HdWallet;
  let a: string;
  let b: string;
  const dirs: string[] = [];

  const send = (over: Partial<SendParams> = {}) =>
    walletSend(A, { from: a, to: b, sequence: 0n, accountNumber: 0n, ...over });

  beforeAll(async () => {
    A = await wallet(1);
    B = await wallet(2);
    a = await addressOf(A);
    b = await addressOf(B);
    const dir = tempDir('baseapp');
    dirs.push(dir);
    t = await openTestApp(dir, { kind });
    const init = t.app.initChain({
      time: time(1_700_000_000),
      chainId: CHAIN_ID,
      consensusParams: undefined,
      validators: [],
      appStateBytes: genesisFor([a, b]),
      initialHeight: 1n,
    });
    expect(init.appHash.length).toBe(32);
    const first = await block(t, []);
    expect(hex(first.appHash)).toBe(hex(t.store.lastCommitId().hash));
  });

  afterAll(async () => {
    await t.store.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('Info reports the committed height and app hash', () => {
    const info = t.app.info({ version: '', blockVersion: 0n, p2pVersion: 0n, abciVersion: '' });
    expect(info.lastBlockHeight).toBe(1n);
    expect(hex(info.lastBlockAppHash)).toBe(hex(t.store.lastCommitId().hash));
    expect(info.version).toBe('v1');
  });

  test('a wallet-signed transfer passes CheckTx and executes with Cosmos events and TxMsgData', async () => {
    const tx = await send({ amount: '250' });
    const c = check(t, tx);
    expect(c.code).toBe(0);
    expect(c.gasWanted).toBe(200_000n);
    expect(c.gasUsed).toBeGreaterThan(0n);
    const before = balance(t, b);
    const res = await block(t, [tx]);
    const r = res.txResults[0];
    expect({ code: r.code, log: r.log }).toEqual({ code: 0, log: '' });
    expect(balance(t, b)).toBe(before + 250n);
    expect(balance(t, moduleAddress('fee_collector'))).toBe(100n);
    const data = TxMsgData.decode(r.data);
    expect(data.msgResponses.map((x) => x.typeUrl)).toEqual(['/cosmos.bank.v1beta1.MsgSendResponse']);
    const types = r.events.map((e) => e.type);
    expect(types).toEqual(['tx', 'tx', 'tx', 'message', 'transfer']);
    const attrs = (type: string) => r.events.filter((e) => e.type === type).flatMap((e) => e.attributes.map((x) => [x.key, x.value]));
    expect(attrs('tx')).toEqual(
      expect.arrayContaining([['acc_seq', `${a}/0`], ['fee', '100ukex'], ['fee_payer', a], ['signature', Buffer.from(TxRaw.decode(tx).signatures[0]).toString('base64')]]),
    );
    expect(attrs('message')).toEqual([
      ['action', '/cosmos.bank.v1beta1.MsgSend'],
      ['sender', a],
      ['module', 'ledger'],
      ['msg_index', '0'],
    ]);
    expect(r.events.every((e) => e.attributes.every((x) => x.index))).toBe(true);
    expect(r.gasUsed).toBeLessThanOrEqual(r.gasWanted);
  });

  /** Runs a bad tx through CheckTx and FinalizeBlock; neither may change state. */
  async function rejects(tx: Uint8Array, codespace: string, code: number, logPart: string) {
    const c = check(t, tx);
    expect({ codespace: c.codespace, code: c.code }).toEqual({ codespace, code });
    expect(c.log).toContain(logPart);
    const committed = hex(t.store.lastCommitId().hash);
    const res = await block(t, [tx]);
    expect({ codespace: res.txResults[0].codespace, code: res.txResults[0].code }).toEqual({ codespace, code });
    expect(hex(res.appHash)).toBe(committed);
  }

  test('rejections: each has its own code and changes nothing', async () => {
    const valid = await send({ sequence: 1n });
    const raw = TxRaw.decode(valid);
    const sig = raw.signatures[0];
    const s = BigInt('0x' + hex(sig.slice(32)));
    const twin = Buffer.concat([sig.slice(0, 32), Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex')]);
    await rejects(TxRaw.encode({ ...raw, signatures: [twin] }).finish(), 'runtime', 7, 'high S');
    await rejects(await send({ sequence: 1n, chainId: 'other-chain' }), 'sdk', 4, 'chain-id (sekai-test-1)');
    await rejects(await send({ sequence: 0n }), 'sdk', 32, 'account sequence mismatch, expected 1, got 0');
    await rejects(await send({ sequence: 2n }), 'sdk', 32, 'expected 1, got 2');
    await rejects(await walletSend(B, { from: a, to: b, sequence: 1n, accountNumber: 0n }), 'sdk', 8, `does not belong to account ${a}`);
    await rejects(await send({ sequence: 1n, fee: '99' }), 'sdk', 13, 'below the minimum 100ukex');
    await rejects(await send({ sequence: 1n, fee: '1000001' }), 'sdk', 18, 'exceeds the maximum');
    await rejects(await send({ sequence: 1n, memo: 'x'.repeat(70_000) }), 'sdk', 21, 'the limit is 65536');
    await rejects(await send({ sequence: 1n, memo: 'm'.repeat(257) }), 'sdk', 12, 'memo has 257 characters');
    await rejects(await send({ sequence: 1n, timeoutHeight: 2n }), 'sdk', 30, 'past the tx timeout height 2');
    await rejects(await send({ sequence: 1n, gas: 1000n }), 'sdk', 11, 'out of gas');
    // A rejection after the gas meter exists reports the gas used up to the failure.
    const lowFee = check(t, await send({ sequence: 1n, fee: '99' }));
    expect(lowFee.gasUsed).toBeGreaterThan(1000n);
    expect(lowFee.gasWanted).toBe(200_000n);
    await rejects(await send({ sequence: 1n, amount: '0' }), 'sdk', 10, 'amount must be positive');
    await rejects(Uint8Array.of(1, 2, 3), 'sdk', 2, 'malformed tx');
    // The valid tx still goes through at the sequence nothing consumed.
    expect(check(t, valid).code).toBe(0);
    expect((await block(t, [valid])).txResults[0].code).toBe(0);
  });

  test('a failing message leaves no trace but the fee and the sequence', async () => {
    const beforeA = balance(t, a);
    const beforeB = balance(t, b);
    const fees = balance(t, moduleAddress('fee_collector'));
    const tx = await send({ sequence: 2n, amount: '5', more: [{ from: a, to: b, amount: '999999999999' }] });
    const res = await block(t, [tx]);
    const r = res.txResults[0];
    expect(r.code).toBe(5);
    expect(r.log).toContain('failed to execute message');
    expect(r.events.map((e) => e.type)).toEqual(['tx', 'tx', 'tx']);
    expect(r.data.length).toBe(0);
    expect(balance(t, a)).toBe(beforeA - 100n);
    expect(balance(t, b)).toBe(beforeB);
    expect(balance(t, moduleAddress('fee_collector'))).toBe(fees + 100n);
    expect(check(t, await send({ sequence: 3n })).code).toBe(0);
  });

  test('CheckTx advances the sequence in the check state and RECHECK skips nothing else', async () => {
    const tx3 = await send({ sequence: 3n });
    const tx4 = await send({ sequence: 4n });
    const r4 = check(t, tx4);
    expect(r4.code).toBe(0);
    expect(check(t, tx4).code).toBe(32); // replay inside the mempool
    await block(t, [tx3, tx4]);
    expect(t.app.checkTx({ tx: tx4, type: CheckTxType.RECHECK }).code).toBe(32);
  });

  test('query routing: height selects a version, the served height is always set, NotFound for cosmjs', async () => {
    const h = Number(t.app.info({} as never).lastBlockHeight);
    const old = balance(t, b, BigInt(h));
    await block(t, [await send({ sequence: 5n, amount: '7' })]);
    expect(balance(t, b, BigInt(h))).toBe(old);
    expect(balance(t, b)).toBe(old + 7n);
    const latest = t.app.query({ path: '/cosmos.bank.v1beta1.Query/Balance', data: QueryBalanceRequest.encode({ address: b, denom: 'ukex' }).finish(), height: 0n, prove: false });
    expect(latest.height).toBe(BigInt(h + 1));
    const past = t.app.query({ path: '/cosmos.bank.v1beta1.Query/Balance', data: QueryBalanceRequest.encode({ address: b, denom: 'ukex' }).finish(), height: BigInt(h), prove: false });
    expect(past.height).toBe(BigInt(h));
    const future = t.app.query({ path: '/cosmos.bank.v1beta1.Query/Balance', data: new Uint8Array(), height: BigInt(h + 5), prove: false });
    expect(future.code).toBe(18);
    expect(future.log).toContain('height in the future');
    const missing = t.app.query({ path: '/cosmos.auth.v1beta1.Query/Account', data: QueryAccountRequest.encode({ address: toBech32('kira', new Uint8Array(20)) }).finish(), height: 0n, prove: false });
    expect(missing.code).toBe(22);
    expect(missing.log).toMatch(/rpc error: code = NotFound/);
    expect(missing.height).toBe(BigInt(h + 1));
    const unknown = t.app.query({ path: '/nope.Query/X', data: new Uint8Array(), height: 0n, prove: false });
    expect(unknown.code).toBe(6);
    const version = t.app.query({ path: '/app/version', data: new Uint8Array(), height: 0n, prove: false });
    expect(new TextDecoder().decode(version.value)).toBe('v1');
    const raw = t.app.query({ path: '/store/ledger/key', data: new Uint8Array([0x62]), height: 0n, prove: false });
    expect(raw.code).toBe(0);
    expect(raw.height).toBe(BigInt(h + 1));
    if (kind === 'iavl') {
      // A proven raw read verifies against the AppHash of the served height.
      const key = Buffer.concat([Buffer.from('b/'), fromBech32(b, 90).data, Buffer.from('/ukex')]);
      const proven = t.app.query({ path: '/store/ledger/key', data: key, height: BigInt(h), prove: true });
      expect(proven.code).toBe(0);
      expect(proven.height).toBe(BigInt(h));
      expect(new TextDecoder().decode(proven.value)).toBe(old.toString());
      const [op0, op1] = proven.proofOps!.ops;
      expect([op0.type, op1.type]).toEqual(['ics23:iavl', 'ics23:simple']);
      const inner = ics23.CommitmentProof.decode(op0.data);
      const storeRoot = calculateExistenceRoot(inner.exist!);
      expect(verifyMembership(inner, iavlSpec, storeRoot, key, proven.value)).toBe(true);
      const appHashAtH = (t.store as RootMultiStore).commitInfo(h);
      expect(verifyMembership(ics23.CommitmentProof.decode(op1.data), tendermintSpec, commitInfoHash(appHashAtH.stores), Buffer.from('ledger'), storeRoot)).toBe(true);
    }
  });

  test('simulate runs an unsigned cosmjs-style tx and reports gas', async () => {
    const [acc] = await A.getAccounts();
    const tx = Tx.fromPartial({
      body: TxBody.fromPartial({ messages: [{ typeUrl: MsgSend.typeUrl, value: MsgSend.encode({ fromAddress: a, toAddress: b, amount: [{ denom: 'ukex', amount: '3' }] }).finish() }] }),
      authInfo: AuthInfo.fromPartial({
        fee: Fee.fromPartial({}),
        signerInfos: [{ publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: acc.pubkey }).finish() }, sequence: 6n, modeInfo: { single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } } }],
      }),
      signatures: [new Uint8Array()],
    });
    const before = balance(t, b);
    const res = t.app.query({ path: '/cosmos.tx.v1beta1.Service/Simulate', data: SimulateRequest.encode({ txBytes: Tx.encode(tx).finish() }).finish(), height: 0n, prove: false });
    expect(res.log).toBe('');
    expect(res.code).toBe(0);
    const sim = SimulateResponse.decode(res.value);
    expect(sim.gasInfo!.gasUsed).toBeGreaterThan(10_000n);
    expect(sim.result!.msgResponses[0].typeUrl).toBe('/cosmos.bank.v1beta1.MsgSendResponse');
    expect(sim.result!.events.some((e) => e.type === 'transfer')).toBe(true);
    // Nothing was kept: the real tx at sequence 6 still checks and the balance is unchanged.
    expect(balance(t, b)).toBe(before);
    expect(check(t, await send({ sequence: 6n })).code).toBe(0);
  });

  test('genesis export at a retained height round-trips to the same AppHash', async () => {
    const h = Number(t.app.info({} as never).lastBlockHeight);
    const exported = t.app.exportGenesis(h);
    const dir = tempDir('export');
    dirs.push(dir);
    const fresh = await openTestApp(dir, { kind });
    const init = fresh.app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(exported)), initialHeight: 1n });
    if (kind === 'flat') {
      // A content-only hash: the re-initialised state hashes exactly as the exported one.
      expect(hex(init.appHash)).toBe(hex(t.store.lastCommitId().hash));
    }
    await block(fresh, []);
    expect(fresh.app.exportGenesis()).toEqual(exported);
    // Every store holds the same entries at both versions. (IAVL node hashes include the
    // version that wrote each node, so the IAVL AppHash differs after a re-genesis.)
    const fh = fresh.store.lastCommitId().version;
    for (const name of ['acc', 'ledger', 'runtime']) {
      const entries = (st: TestApp, v: number) => [...st.store.readerAt(name, v).iterator()].map(([k, val]) => hex(k) + '=' + hex(val));
      expect(entries(fresh, fh)).toEqual(entries(t, h));
    }
    await fresh.store.close();
  });

  test('restart: state reopens from LevelDB with the same Info and keeps working', async () => {
    const info = t.app.info({} as never);
    const balB = balance(t, b);
    await t.store.close();
    t = await openTestApp(t.dir, { kind });
    expect(t.app.info({} as never)).toEqual(info);
    expect(balance(t, b)).toBe(balB);
    expect(t.app.chainId()).toBe(CHAIN_ID);
    const res = await block(t, [await send({ sequence: 6n })]);
    expect(res.txResults[0].code).toBe(0);
  });

  test("this node's fee floor (app.toml) refuses in CheckTx only; FinalizeBlock takes any fee the chain accepts", async () => {
    const dir = tempDir('feefloor');
    dirs.push(dir);
    const k = rawKey(41);
    const t = await openTestApp(dir, { kind, options: { feeFloor: parseMempoolFeeFloor('150ukex', '') } });
    t.app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: genesisFor([k.address]), initialHeight: 1n });
    await block(t, []);
    const cheap = rawSend(k, { from: k.address, to: k.address, sequence: 0n, accountNumber: 0n, fee: '100' });
    const refused = t.app.checkTx({ tx: cheap, type: CheckTxType.NEW });
    expect([refused.codespace, refused.code]).toEqual(['sdk', ErrInsufficientFee.code]);
    expect(refused.log).toContain("insufficient fees; got: 100ukex required: 150ukex (this node's minimum-fees)");
    const paid = rawSend(k, { from: k.address, to: k.address, sequence: 0n, accountNumber: 0n, fee: '150' });
    expect(t.app.checkTx({ tx: paid, type: CheckTxType.NEW }).code).toBe(0);
    // A proposer with a lower floor included the cheap tx: every node executes it.
    const res = await block(t, [cheap]);
    expect(res.txResults[0].code).toBe(0);
    await t.store.close();
  });

  test('InitChain refuses a genesis initial_height the store was not opened for, and changes nothing', async () => {
    const dir = tempDir('initheight');
    dirs.push(dir);
    const fresh = await openTestApp(dir, { kind });
    const init = (initialHeight: bigint) =>
      fresh.app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: genesisFor([]), initialHeight });
    let caught: unknown;
    try {
      init(5n);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ codespace: 'sdk', code: ErrInvalidHeight.code });
    expect((caught as Error).message).toContain('genesis initial_height is 5 but the state store was opened for initial version 1');
    expect(fresh.app.chainId()).toBe('');
    // The matching height still initialises the chain.
    expect(init(1n).appHash.length).toBe(32);
    expect(fresh.app.chainId()).toBe(CHAIN_ID);
    await fresh.store.close();
  });

  test('genesis validation names the bad field', async () => {
    const dir = tempDir('badgen');
    dirs.push(dir);
    const fresh = await openTestApp(dir, { kind });
    const bad = { ledger: { balances: [{ address: 'cosmos1xyz', coins: [] }] } };
    expect(() => fresh.app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(bad)), initialHeight: 1n })).toThrow(
      'ledger.balances[0].address',
    );
    await fresh.store.close();
  });
});

describe('BaseApp hooks: proposals, validator updates, upgrade gate, internal errors', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const hooks = (log: string[]): AppModule => ({
    name: 'hooks',
    storeKeys: [],
    beginBlock: (ctx) => {
      log.push(`begin ${ctx.height} votes=${ctx.decidedLastCommit.votes.length}`);
      ctx.events.emit('hooks_begin', { height: String(ctx.height) });
    },
    endBlock: (ctx) => {
      if (ctx.height === 2) scheduleUpgrade(ctx.store(RUNTIME_STORE), { name: 'second', version: 'v2', height: 4 }, ctx.height);
      if (ctx.height === 3) return { validatorUpdates: [{ ed25519PubKey: new Uint8Array(32).fill(7), power: 10n }] };
      return undefined;
    },
    blockProposal: {
      prepare: (_ctx, txs) => [...txs].sort((x, y) => (x.tx?.body.memo === 'first' ? -1 : y.tx?.body.memo === 'first' ? 1 : 0)),
      process: (_ctx, txs) => {
        if (txs.length > 0 && txs[0].tx?.body.memo !== 'first') {
          throw new CodedError('runtime', 4, 'invalid block proposal', 'the notarization tx must come first');
        }
      },
    },
  });

  test('prepare reorders and respects max_tx_bytes, process accepts or rejects, end block returns validators, the upgrade gate stops the old binary', async () => {
    const A = await wallet(3);
    const a = await addressOf(A);
    const dir = tempDir('hooks');
    dirs.push(dir);
    const log: string[] = [];
    let t = await openTestApp(dir, { modules: [hooks(log)] });
    t.app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: genesisFor([a]), initialHeight: 1n });
    const r1 = await block(t, []);
    expect(r1.events.find((e) => e.type === 'hooks_begin')!.attributes).toEqual([
      { key: 'height', value: '1', index: true },
      { key: 'mode', value: 'BeginBlock', index: true },
    ]);

    const plain = await walletSend(A, { from: a, to: a, sequence: 0n, accountNumber: 0n });
    const first = await walletSend(A, { from: a, to: a, sequence: 1n, accountNumber: 0n, memo: 'first' });
    const prep = t.app.prepareProposal({
      maxTxBytes: 100_000n,
      txs: [plain, Uint8Array.of(9, 9, 9), first],
      localLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      height: 2n,
      time: time(2),
      nextValidatorsHash: new Uint8Array(),
      proposerAddress: new Uint8Array(20),
    });
    expect(prep.txs.map(hex)).toEqual([first, plain].map(hex));
    const small = t.app.prepareProposal({ maxTxBytes: BigInt(plain.length), txs: [plain, first], localLastCommit: { round: 0, votes: [] }, misbehavior: [], height: 2n, time: time(2), nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) });
    expect(small.txs.length).toBe(1);
    const proc = async (txs: Uint8Array[]) =>
      (await t.app.processProposal({ txs, proposedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: 2n, time: time(1_700_000_002), nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) })).status;
    expect(await proc(prep.txs)).toBe(ResponseProcessProposal_ProposalStatus.ACCEPT);
    expect(await proc([plain, first])).toBe(ResponseProcessProposal_ProposalStatus.REJECT);

    const r2 = await block(t, [...prep.txs]);
    // The reordered sequence-1 tx runs before sequence 0 and is refused; the other executes.
    expect(r2.txResults.map((r) => r.code)).toEqual([32, 0]);
    const r3 = await block(t, []);
    expect(r3.validatorUpdates).toEqual([{ pubKey: { ed25519: new Uint8Array(32).fill(7) }, power: 10n }]);

    // Height 4 requires v2: the v1 binary refuses with a typed fatal error naming the version.
    const committed = t.app.info({} as never);
    expect(() => t.app.finalizeBlock({ txs: [], decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: 4n, time: time(4), nextValidatorsHash: new Uint8Array(32), proposerAddress: new Uint8Array(20) })).toThrow(
      /requires version v2 from height 4; this binary is version v1/,
    );
    try {
      t.app.finalizeBlock({ txs: [], decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: 4n, time: time(4), nextValidatorsHash: new Uint8Array(32), proposerAddress: new Uint8Array(20) });
    } catch (err) {
      expect((err as CodedError).is(ErrUpgradeRequired)).toBe(true);
    }
    await t.store.close();
    t = await openTestApp(dir, { modules: [hooks(log)], options: { codeVersion: 'v2' } });
    expect(t.app.info({} as never).lastBlockAppHash).toEqual(committed.lastBlockAppHash);
    const r4 = await block(t, []);
    expect(r4.events.find((e) => e.type === 'upgrade')!.attributes.slice(0, 2).map((x) => x.value)).toEqual(['second', 'v2']);
    await t.store.close();
    // And the old binary cannot run the upgraded chain.
    t = await openTestApp(dir, { modules: [hooks(log)] });
    await expect(block(t, [])).rejects.toThrow(/the chain runs version v2; this binary is version v1/);
    await t.store.close();
    expect(log.slice(0, 2)).toEqual(['begin 1 votes=0', 'begin 2 votes=0']);
  });

  test('ProcessProposal batch-verifies through the SignatureVerifier so FinalizeBlock verifies nothing itself', async () => {
    const keys = [rawKey(31), rawKey(32), rawKey(33)];
    const dir = tempDir('preverify');
    dirs.push(dir);
    let mainThreadVerifies = 0;
    const t = await openTestApp(dir, {
      options: {
        verifier: new SingleThreadVerifier(),
        verify: () => {
          mainThreadVerifies++;
          return false;
        },
      },
    });
    t.app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: genesisFor(keys.map((k) => k.address)), initialHeight: 1n });
    const txs = keys.map((k, i) => rawSend(k, { from: k.address, to: keys[(i + 1) % 3].address, sequence: 0n, accountNumber: BigInt(i) }));
    const req = { txs, proposedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: 1n, time: time(2), nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) };
    expect((await t.app.processProposal(req)).status).toBe(ResponseProcessProposal_ProposalStatus.ACCEPT);
    expect(t.app.sigCache.size).toBe(3);
    const res = await block(t, txs);
    expect(res.txResults.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(mainThreadVerifies).toBe(0);
    // A tx the batch did not see is verified on the main thread (here: refused by the stub).
    const late = rawSend(keys[0], { from: keys[0].address, to: keys[1].address, sequence: 1n, accountNumber: 0n });
    expect((await block(t, [late])).txResults[0].code).toBe(4);
    expect(mainThreadVerifies).toBe(1);
    await t.store.close();
  });

  test('a broken invariant halts FinalizeBlock at the next check', async () => {
    const k = rawKey(41);
    const dir = tempDir('invariant');
    dirs.push(dir);
    const minter: AppModule = {
      name: 'minter',
      storeKeys: [],
      endBlock: (ctx) => {
        if (ctx.height === 3) ctx.store('ledger').set(Buffer.concat([Buffer.from('b/'), Buffer.alloc(20, 1), Buffer.from('/ukex')]), new TextEncoder().encode('5'));
      },
    };
    const t = await openTestApp(dir, { modules: [minter], supply: { denom: 'ukex', total: 1_000_000_000n }, options: { invariantCheckPeriod: 1 } });
    t.app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: genesisFor([k.address]), initialHeight: 1n });
    await block(t, []);
    await block(t, [rawSend(k, { from: k.address, to: rawKey(42).address, sequence: 0n, accountNumber: 0n, amount: '9' })]);
    await expect(block(t, [])).rejects.toThrow('at height 3: ledger/supply: total 1000000005 != 1000000000: state invariant broken');
    await t.store.close();
  });

  test('an unexpected exception is code 1 in CheckTx and stops block execution', async () => {
    const A = await wallet(4);
    const a = await addressOf(A);
    const dir = tempDir('bug');
    dirs.push(dir);
    const buggy: AppModule = {
      name: 'buggy',
      storeKeys: [],
      msgs: [{ typeUrl: '/test.Bug', decode: () => ({}), signers: () => [a], validateBasic: () => { throw new TypeError('boom at /home/secret'); }, responseTypeUrl: '/test.BugResponse', encodeResponse: () => new Uint8Array(), handle: () => ({}) }],
    };
    const t = await openTestApp(dir, { modules: [buggy] });
    t.app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: genesisFor([a]), initialHeight: 1n });
    const body = TxBody.encode(TxBody.fromPartial({ messages: [{ typeUrl: '/test.Bug', value: new Uint8Array() }] })).finish();
    const tx = TxRaw.encode({ bodyBytes: body, authInfoBytes: AuthInfo.encode(AuthInfo.fromPartial({})).finish(), signatures: [new Uint8Array(64)] }).finish();
    const c = check(t, tx);
    expect({ code: c.code, codespace: c.codespace, log: c.log }).toEqual({ code: 1, codespace: 'undefined', log: 'internal error' });
    expect(() => t.app.finalizeBlock({ txs: [tx], decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: 1n, time: time(1), nextValidatorsHash: new Uint8Array(32), proposerAddress: new Uint8Array(20) })).toThrow(TypeError);
    await t.store.close();
  });
});
