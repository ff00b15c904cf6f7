/**
 * Drives a sekai-ts app with x/accountid, x/bank and x/bridge over the IAVL multistore
 * on LevelDB, block by block through FinalizeBlock and Commit, with txs signed as a
 * Cosmos wallet signs them and bridge signatures made by validator keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { BaseApp, baseAppStoreKeys } from '../../runtime/baseapp';
import { Context, type Timestamp } from '../../runtime/context';
import { ModuleManager } from '../../runtime/manager';
import { accAddressFromSecp256k1, addressToBech32 } from '../../crypto/address';
import { sha256 } from '../../crypto/hash';
import { publicKeyFromPrivate, signSecp256k1 } from '../../crypto/secp256k1';
import type { ActionBody, AdminPayload, BridgeEvent, Role } from '../../proto/gen/sekai/bridge/v1/bridge';
import * as Tx from '../../proto/gen/sekai/bridge/v1/tx';
import { StateDb } from '../../store/db';
import { RootMultiStore } from '../../store/rootmulti';
import { CodedError, type RegisteredError } from '../../types/errors';
import { UpgradeKeeper } from '../../runtime/upgrade';
import { AccountIdKeeper, accountIdModule } from '../../x/accountid';
import { BankKeeperImpl, bankModule } from '../../x/bank';
import { BRIDGE_STORE_KEY, BridgeKeeper, BridgeTypeUrls, bridgeModule } from '../../x/bridge';
import { readOnlyStores } from '../fixtures/readOnlyStores';

export const CHAIN_ID = 'sekai-bridge-1';
export const GENESIS_TIME = 1_700_000_000;

export interface Key {
  priv: Uint8Array;
  pub: Uint8Array;
  address: string;
  hex: string;
}

export function key(seed: string): Key {
  const priv = sha256(Buffer.from(`bridge test key ${seed}`));
  const pub = publicKeyFromPrivate(priv);
  return { priv, pub, address: addressToBech32('account', accAddressFromSecp256k1(pub)), hex: Buffer.from(pub).toString('hex') };
}

export const time = (seconds: number) => ({ seconds: BigInt(seconds), nanos: 0 });

export interface BridgeApp {
  app: BaseApp;
  store: RootMultiStore;
  accountid: AccountIdKeeper;
  bank: BankKeeperImpl;
  bridge: BridgeKeeper;
  dir: string;
}

/** `clock`: the node's wall clock (CheckTx's timestamp rules and ProcessProposal's drift bound). */
export async function openBridgeApp(codeVersion = 'v0.1.0', dir = mkdtempSync(join(tmpdir(), 'sekai-bridge-')), clock?: () => Timestamp): Promise<BridgeApp> {
  // The app's three module accounts, notarypay's included, so account IDs match the app's.
  const { keeper: accountid, module: accountIdMod } = accountIdModule({ moduleAccounts: () => ['bridge', 'fee_collector', 'notarypay'] });
  const { keeper: bank, module: bankMod } = bankModule({ accounts: accountid });
  const { keeper: bridge, module: bridgeMod } = bridgeModule({ accounts: accountid, bank, upgrades: new UpgradeKeeper() });
  const modules = new ModuleManager([accountIdMod, bankMod, bridgeMod]);
  const store = await RootMultiStore.open(await StateDb.open(dir), { stores: baseAppStoreKeys(modules), pruning: { strategy: 'nothing' } });
  const app = new BaseApp({ name: 'sekai-ts', codeVersion, store, modules, accounts: accountid, bank, clock });
  return { app, store, accountid, bank, bridge, dir };
}

export async function closeBridgeApp(n: BridgeApp, keepDir = false): Promise<void> {
  await n.app.close();
  if (!keepDir) rmSync(n.dir, { recursive: true, force: true });
}

/** Genesis: fee-funded validator accounts and the bridge section. */
export function genesis(funded: string[], bridge: Record<string, unknown>): Record<string, unknown> {
  return {
    accountid: { accounts: funded.map((address, i) => ({ address, account_number: String(i) })) },
    bank: { balances: funded.map((address) => ({ address, coins: [{ denom: 'ukex', amount: '1000000000' }] })) },
    bridge,
  };
}

export interface BlockResult {
  height: number;
  results: ExecTxResult[];
  appHash: Uint8Array;
}

/** A chain over one app: blocks finalized and committed, txs signed at committed sequences. */
export class BridgeChain {
  height = 0;
  now = GENESIS_TIME;

  constructor(readonly n: BridgeApp) {}

  initChain(appState: Record<string, unknown>): void {
    this.n.app.initChain({
      time: time(GENESIS_TIME),
      chainId: CHAIN_ID,
      consensusParams: undefined,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(appState)),
      initialHeight: 1n,
    });
  }

  /** The block time of the next block, in Unix milliseconds (what created_ms is checked against). */
  nextMs(): bigint {
    return BigInt(this.now + 5) * 1000n;
  }

  async block(txs: Uint8Array[]): Promise<BlockResult> {
    this.height += 1;
    this.now += 5;
    const res = this.n.app.finalizeBlock({
      txs,
      decidedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(32),
      height: BigInt(this.height),
      time: time(this.now),
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20).fill(7),
    });
    await this.n.app.commit();
    return { height: this.height, results: res.txResults, appHash: res.appHash };
  }

  /** One block of one tx per (key, msgs) pair; throws if any tx fails. */
  async ok(...txs: [Key, Any[]][]): Promise<ExecTxResult[]> {
    const r = await this.block(txs.map(([k, m]) => this.sign(k, m)));
    r.results.forEach((res, i) => {
      if (res.code !== 0) throw new Error(`tx ${i} failed: ${res.codespace}/${res.code} ${res.log}`);
    });
    return r.results;
  }

  /** One block with one tx that must fail with `err` and leave the bridge store as it was. */
  async refuse(k: Key, msgs: Any[], err: RegisteredError): Promise<string> {
    const before = this.bridgeFingerprint();
    const r = await this.block([this.sign(k, msgs)]);
    const res = r.results[0];
    if (res.codespace !== err.codespace || res.code !== err.code) {
      throw new Error(`expected ${err.codespace}/${err.code} (${err.description}), got ${res.codespace}/${res.code}: ${res.log}`);
    }
    if (this.bridgeFingerprint() !== before) throw new Error(`a refused tx (${err.description}) changed the bridge store`);
    return res.log;
  }

  readContext(): Context {
    const store = this.n.store;
    const version = store.lastCommitId().version;
    const stores = readOnlyStores(store, version);
    return new Context({ mode: 'deliver', block: { chainId: CHAIN_ID, height: version, time: time(this.now), proposer: new Uint8Array() }, stores });
  }

  /** sha256 over every key and value of the committed bridge store. */
  bridgeFingerprint(): string {
    const r = this.n.store.readerAt(BRIDGE_STORE_KEY, this.n.store.lastCommitId().version);
    const parts: Buffer[] = [];
    for (const [k, v] of r.iterator()) parts.push(Buffer.from(k), Buffer.from([0xff]), Buffer.from(v), Buffer.from([0xfe]));
    return Buffer.from(sha256(Buffer.concat(parts))).toString('hex');
  }

  balance(ref: string, denom: string): bigint {
    const ctx = this.readContext();
    const id = this.n.accountid.tryResolve(ctx, ref);
    return id === undefined ? 0n : this.n.bank.balance(ctx, id, denom);
  }

  supply(denom: string): bigint {
    return this.n.bank.supplyOf(this.readContext(), denom);
  }

  query(path: string, data: Uint8Array): Uint8Array {
    const res = this.n.app.query({ path, data, height: 0n, prove: false });
    if (res.code !== 0) throw new CodedError(res.codespace, res.code, res.log, `query ${path} failed: ${res.log}`);
    return res.value;
  }

  sign(k: Key, msgs: Any[], fee = '200'): Uint8Array {
    const ctx = this.readContext();
    const id = this.n.accountid.resolve(ctx, k.address);
    const account = this.n.accountid.mustGet(ctx, id);
    const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: msgs })).finish();
    const authInfoBytes = AuthInfo.encode(
      AuthInfo.fromPartial({
        signerInfos: [
          {
            publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: k.pub }).finish() },
            modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
            sequence: account.sequence,
          },
        ],
        fee: { amount: [{ denom: 'ukex', amount: fee }], gasLimit: 2_000_000n },
      }),
    ).finish();
    const doc = SignDoc.encode({ bodyBytes, authInfoBytes, chainId: CHAIN_ID, accountNumber: id }).finish();
    return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signSecp256k1(k.priv, sha256(doc))] }).finish();
  }
}

const any = <T>(typeUrl: string, codec: { encode(m: T): { finish(): Uint8Array }; fromPartial(o: object): T }, o: object): Any => ({
  typeUrl,
  value: codec.encode(codec.fromPartial(o)).finish(),
});

/** Message builders; `created` defaults to the next block's time. */
export const msg = {
  attest: (k: Key, chain: string, eventId: bigint, event: BridgeEvent, createdMs: bigint): Any =>
    any(BridgeTypeUrls.attest, Tx.MsgListenerAttest, { sender: k.address, chain, eventId, event, createdMs }),
  withdraw: (k: Key, chain: string, asset: string, destWallet: string, amount: string): Any =>
    any(BridgeTypeUrls.withdraw, Tx.MsgWithdraw, { sender: k.address, chain, asset, destWallet, amount }),
  approve: (k: Key, chain: string, actionId: bigint, signature: Uint8Array, createdMs: bigint): Any =>
    any(BridgeTypeUrls.approve, Tx.MsgApprove, { sender: k.address, chain, actionId, signature, createdMs }),
  processorApprove: (k: Key, chain: string, actionId: bigint, signature: Uint8Array, createdMs: bigint): Any =>
    any(BridgeTypeUrls.processorApprove, Tx.MsgProcessorApprove, { sender: k.address, chain, actionId, signature, createdMs }),
  proposeOverride: (k: Key, chain: string, actionId: bigint, skip: boolean, replacement: ActionBody | undefined, createdMs: bigint): Any =>
    any(BridgeTypeUrls.proposeOverride, Tx.MsgProposeOverride, { sender: k.address, chain, actionId, skip, replacement, createdMs }),
  confirmOverride: (k: Key, chain: string, overrideId: bigint, createdMs: bigint): Any =>
    any(BridgeTypeUrls.confirmOverride, Tx.MsgConfirmOverride, { sender: k.address, chain, overrideId, createdMs }),
  revert: (k: Key, chain: string, eventId: bigint, createdMs: bigint): Any =>
    any(BridgeTypeUrls.revertEvent, Tx.MsgRevertEvent, { sender: k.address, chain, eventId, createdMs }),
  propose: (k: Key, payload: AdminPayload, signature: Uint8Array, createdMs: bigint): Any =>
    any(BridgeTypeUrls.proposeAdmin, Tx.MsgProposeAdmin, { sender: k.address, payload, signature, createdMs }),
  approveAdmin: (k: Key, proposalId: bigint, signature: Uint8Array, createdMs: bigint): Any =>
    any(BridgeTypeUrls.approveAdmin, Tx.MsgApproveAdmin, { sender: k.address, proposalId, signature, createdMs }),
  selfReplace: (k: Key, role: Role, replacement: Uint8Array, signature: Uint8Array, createdMs: bigint): Any =>
    any(BridgeTypeUrls.selfReplace, Tx.MsgSelfReplace, { sender: k.address, role, replacement, signature, createdMs }),
  send: (from: Key, to: string, denom: string, amount: string): Any => ({
    typeUrl: MsgSend.typeUrl,
    value: MsgSend.encode({ fromAddress: from.address, toAddress: to, amount: [{ denom, amount }] }).finish(),
  }),
};
