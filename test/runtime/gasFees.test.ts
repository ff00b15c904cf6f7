/**
 * Fees pay for work, on the sekai app (x/accountid + x/bank over LevelDB): a tx is charged
 * intrinsic gas per tx, byte and message before it runs; a tx asking for more gas than
 * MIN_TX_FEE covers pays in proportion; a tx that cannot cover its gas is refused with the
 * amount it needs and changes nothing; the block gas limit holds in CheckTx and in proposals.
 */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { CheckTxType, ResponseProcessProposal_ProposalStatus } from 'cosmjs-types/tendermint/abci/types';
import { createApp, type SekaiApp } from '../../app/app';
import { Context } from '../../runtime/context';
import { readOnlyStores } from '../fixtures/readOnlyStores';
import { sha256 } from '../../crypto/hash';
import { signSecp256k1 } from '../../crypto/secp256k1';
import type { BaseApp } from '../../runtime/baseapp';
import { TxGas, requiredFee, GAS_PER_MIN_FEE } from '../../runtime/gas';
import { KEX_METADATA } from '../../x/bank';
import { CHAIN_ID, rawKey, tempDir, time, type RawKey } from '../fixtures/runtimeApp';

const keys = [rawKey(1), rawKey(2), rawKey(3)];
const BALANCE = 1_000_000_000n;

function send(from: RawKey, to: string, amount = '1') {
  return { typeUrl: MsgSend.typeUrl, value: MsgSend.encode({ fromAddress: from.address, toAddress: to, amount: [{ denom: 'ukex', amount }] }).finish() };
}

function tx(key: RawKey, accountNumber: bigint, sequence: bigint, msgs: { typeUrl: string; value: Uint8Array }[], fee: bigint, gasLimit: bigint): Uint8Array {
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: msgs })).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [{ publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: key.pub }).finish() }, modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } }, sequence }],
      fee: { amount: [{ denom: 'ukex', amount: fee.toString() }], gasLimit },
    }),
  ).finish();
  const signBytes = SignDoc.encode({ bodyBytes, authInfoBytes, chainId: CHAIN_ID, accountNumber }).finish();
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signSecp256k1(key.priv, sha256(signBytes))] }).finish();
}

/** `n` sends from keys[0] to keys[1] (an existing account). */
const sends = (n: number) => Array.from({ length: n }, () => send(keys[0], keys[1].address));

let dir: string;
let sekai: SekaiApp;
let app: BaseApp;
let height = 0;

function finalize(txs: Uint8Array[]) {
  height++;
  return app.finalizeBlock({ txs, decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: BigInt(height), time: time(1_700_000_000 + height), nextValidatorsHash: new Uint8Array(32), proposerAddress: new Uint8Array(20) });
}

function proposal(txs: Uint8Array[]) {
  return { txs, height: BigInt(height + 1), time: time(1_700_000_000 + height + 1), nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), misbehavior: [] };
}

/** A committed balance in ukex, read through the keepers. */
function balance(address: string): bigint {
  const version = sekai.store.lastCommitId().version;
  const ctx = new Context({ mode: 'deliver', block: { chainId: CHAIN_ID, height: version, time: time(0), proposer: new Uint8Array() }, stores: readOnlyStores(sekai.store, version) });
  return sekai.keepers.bank.balance(ctx, sekai.keepers.accountid.resolve(ctx, address), 'ukex');
}

const MAX_GAS = 30_000_000n;

beforeAll(async () => {
  dir = tempDir('gas-fees');
  sekai = await createApp({ dbDir: join(dir, 'state'), pruning: { strategy: 'nothing' }, base: { blockMaxGas: MAX_GAS } });
  app = sekai.app;
  const addresses = keys.map((k) => k.address);
  const state = {
    accountid: { accounts: addresses.map((address, i) => ({ address, account_number: String(i), pub_keys: [Buffer.from(keys[i].pub).toString('base64')] })) },
    bank: { balances: addresses.map((address) => ({ address, coins: [{ denom: 'ukex', amount: BALANCE.toString() }] })), denom_metadata: [Metadata.toJSON(KEX_METADATA)] },
  };
  app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(state)), initialHeight: 1n });
  finalize([]);
  await app.commit();
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('intrinsic gas and the required fee', () => {
  it('charges every tx its base, bytes and messages before any store access', async () => {
    const one = tx(keys[0], 0n, 0n, sends(1), 100n, 200_000n);
    const sim = app.simulate(one);
    const used = Number(sim.gasInfo!.gasUsed);
    expect(used).toBeGreaterThan(TxGas.perTx + TxGas.perMsg + TxGas.txSizeCostPerByte * one.length);
    // A single-message tx asking for the client default still pays exactly MIN_TX_FEE.
    expect(requiredFee(100n, 200_000n)).toBe(100n);
    expect(app.checkTx({ tx: one, type: CheckTxType.NEW }).code).toBe(0);
    expect(finalize([one]).txResults[0].code).toBe(0);
    await app.commit();
  });

  it('makes a 480-message tx pay in proportion to its gas: refused at the single-message fee, accepted at the computed one', async () => {
    const probe = (n: number) => BigInt(app.simulate(tx(keys[0], 0n, 1n, sends(n), 100n, 200_000n)).gasInfo!.gasUsed);
    const g1 = probe(1);
    const g60 = probe(60);
    const g480 = probe(480);
    expect(g60).toBeGreaterThan(g1 * 10n);
    expect(g480).toBeGreaterThan(g60 * 6n);
    // Wallet-style margin over the simulated gas.
    const limit = (g480 * 13n) / 10n;
    const fee = requiredFee(100n, limit);
    expect(fee).toBe((100n * limit + GAS_PER_MIN_FEE - 1n) / GAS_PER_MIN_FEE);
    expect(fee).toBeGreaterThan(requiredFee(100n, (g60 * 13n) / 10n));
    expect(fee).toBeGreaterThan(100n);

    const cheap = tx(keys[0], 0n, 1n, sends(480), 100n, limit);
    const refused = app.checkTx({ tx: cheap, type: CheckTxType.NEW });
    expect({ code: refused.code, codespace: refused.codespace }).toEqual({ code: 13, codespace: 'sdk' });
    expect(refused.log).toContain(`below the ${fee}ukex required for gas limit ${limit}`);

    const paid = tx(keys[0], 0n, 1n, sends(480), fee, limit);
    const checked = app.checkTx({ tx: paid, type: CheckTxType.NEW });
    expect(checked.code).toBe(0);
    expect(checked.gasWanted).toBe(limit);
    const before1 = balance(keys[1].address);
    const before0 = balance(keys[0].address);
    const res = finalize([cheap, paid]);
    expect(res.txResults[0].code).toBe(13);
    expect(res.txResults[1].code).toBe(0);
    // As simulated, but for the bytes of the larger fee amount.
    expect(Number(res.txResults[1].gasUsed - g480)).toBeLessThan(100);
    await app.commit();
    expect(balance(keys[1].address)).toBe(before1 + 480n);
    expect(balance(keys[0].address)).toBe(before0 - 480n - fee);
  });
});

describe('simulation', () => {
  it('estimates an unsigned tx (empty signature, as wallets simulate) at the gas of the same tx signed', () => {
    const signed = tx(keys[2], 2n, 0n, [send(keys[2], keys[1].address), send(keys[2], keys[0].address)], 100n, 200_000n);
    const raw = TxRaw.decode(signed);
    const unsigned = TxRaw.encode({ ...raw, signatures: [new Uint8Array()] }).finish();
    const signedGas = app.simulate(signed).gasInfo!.gasUsed;
    expect(signedGas).toBeGreaterThan(0n);
    expect(app.simulate(unsigned).gasInfo!.gasUsed).toBe(signedGas);
  });
});

describe('out of gas', () => {
  it('refuses in CheckTx a tx whose gas limit cannot cover its intrinsic gas, naming what it needs, and takes no sequence', () => {
    const big = tx(keys[2], 2n, 0n, Array.from({ length: 480 }, () => send(keys[2], keys[1].address)), 100n, 200_000n);
    const res = app.checkTx({ tx: big, type: CheckTxType.NEW });
    expect({ code: res.code, codespace: res.codespace }).toEqual({ code: 11, codespace: 'sdk' });
    const intrinsic = TxGas.perTx + 480 * TxGas.perMsg + TxGas.txSizeCostPerByte * big.length;
    expect(res.log).toContain(`gas limit 200000 is below the ${intrinsic} gas this tx costs before execution (480 messages`);
    // Nothing changed: the same sequence still runs.
    expect(app.simulate(tx(keys[2], 2n, 0n, [send(keys[2], keys[1].address)], 100n, 200_000n)).gasInfo!.gasUsed).toBeGreaterThan(0n);
  });

  it('fails in a block a tx that runs out while its messages execute: no transfer, only the fee and sequence taken', async () => {
    const used = BigInt(app.simulate(tx(keys[2], 2n, 0n, Array.from({ length: 10 }, () => send(keys[2], keys[1].address)), 100n, 200_000n)).gasInfo!.gasUsed);
    const short = tx(keys[2], 2n, 0n, Array.from({ length: 10 }, () => send(keys[2], keys[1].address)), 100n, used - 1_000n);
    const before = [balance(keys[1].address), balance(keys[2].address)];
    const res = finalize([short]);
    await app.commit();
    expect({ code: res.txResults[0].code, codespace: res.txResults[0].codespace }).toEqual({ code: 11, codespace: 'sdk' });
    expect(res.txResults[0].log).toMatch(/out of gas in location: .*gasWanted: \d+, gasUsed: \d+/);
    expect(res.txResults[0].gasWanted).toBe(used - 1_000n);
    expect([balance(keys[1].address), balance(keys[2].address)]).toEqual([before[0], before[1] - 100n]);
  });
});

describe('block max gas', () => {
  it('refuses in CheckTx a tx asking for more gas than a block holds', () => {
    const res = app.checkTx({ tx: tx(keys[1], 1n, 0n, [send(keys[1], keys[0].address)], 10_000n, MAX_GAS + 1n), type: CheckTxType.NEW });
    expect({ code: res.code, codespace: res.codespace }).toEqual({ code: 41, codespace: 'sdk' });
    expect(res.log).toContain(`gas limit ${MAX_GAS + 1n} exceeds the block max gas ${MAX_GAS}`);
  });

  it('leaves out of a proposal the txs past max gas, and ProcessProposal refuses a block over it', async () => {
    const each = 12_000_000n;
    const fee = requiredFee(100n, each);
    const txs = [0, 1, 2].map((i) => tx(keys[1], 1n, BigInt(i), [send(keys[1], keys[0].address)], fee, each));
    const small = tx(keys[0], 0n, 2n, [send(keys[0], keys[1].address)], 100n, 200_000n);
    const prepared = app.prepareProposal({ ...proposal([...txs, small]), maxTxBytes: 1_000_000n, localLastCommit: { round: 0, votes: [] } });
    // 12M + 12M fit in 30M, the third does not; the later small tx still does.
    expect(prepared.txs).toEqual([txs[0], txs[1], small]);
    const over = await app.processProposal({ ...proposal(txs), proposedLastCommit: { round: 0, votes: [] }, hash: new Uint8Array(32) });
    expect(over.status).toBe(ResponseProcessProposal_ProposalStatus.REJECT);
    const within = await app.processProposal({ ...proposal(prepared.txs), proposedLastCommit: { round: 0, votes: [] }, hash: new Uint8Array(32) });
    expect(within.status).toBe(ResponseProcessProposal_ProposalStatus.ACCEPT);
  });
});
