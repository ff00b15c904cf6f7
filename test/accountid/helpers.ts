/**
 * Drives the real sekai-ts app (x/accountid + x/bank over the IAVL multistore on
 * LevelDB) through its ABCI methods with txs signed as a Cosmos wallet signs them
 * (SIGN_MODE_DIRECT, secp256k1 over sha256(SignDoc)).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { createApp, type SekaiApp } from '../../app/app';
import { Context } from '../../runtime/context';
import { readOnlyStores } from '../fixtures/readOnlyStores';
import { accAddressFromSecp256k1, addressToBech32 } from '../../crypto/address';
import { sha256 } from '../../crypto/hash';
import { publicKeyFromPrivate, signSecp256k1 } from '../../crypto/secp256k1';
import {
  MsgAddKey,
  MsgLinkWallet,
  MsgRegisterName,
  MsgRemoveKey,
  MsgTransferName,
  MsgUnlinkWallet,
} from '../../proto/gen/sekai/accountid/v1/tx';
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { KEX_METADATA } from '../../x/bank';
import { addKeyProofDigest } from '../../x/accountid/proof';
import { AccountIdTypeUrls as T } from '../../x/accountid';

export const CHAIN_ID = 'sekai-accountid-1';

export interface Key {
  priv: Uint8Array;
  pub: Uint8Array;
  address: string;
}

export function key(seed: string | number): Key {
  const priv = sha256(Buffer.from(`accountid test key ${seed}`));
  const pub = publicKeyFromPrivate(priv);
  return { priv, pub, address: addressToBech32('account', accAddressFromSecp256k1(pub)) };
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `sekai-${tag}-`));
}

export async function openApp(dir: string): Promise<SekaiApp> {
  return createApp({ dbDir: join(dir, 'state'), pruning: { strategy: 'nothing' } });
}

export const msg = {
  send: (from: string, to: string, amount: string, denom = 'ukex'): Any => ({
    typeUrl: MsgSend.typeUrl,
    value: MsgSend.encode({ fromAddress: from, toAddress: to, amount: [{ denom, amount }] }).finish(),
  }),
  registerName: (sender: string, name: string): Any => ({ typeUrl: T.registerName, value: MsgRegisterName.encode({ sender, name }).finish() }),
  addKey: (sender: string, accountId: bigint, k: Key, chainId = CHAIN_ID): Any => ({
    typeUrl: T.addKey,
    value: MsgAddKey.encode({ sender, pubKey: Buffer.from(k.pub), signature: Buffer.from(signSecp256k1(k.priv, addKeyProofDigest(chainId, accountId))) }).finish(),
  }),
  addKeyRaw: (sender: string, pub: Uint8Array, signature: Uint8Array): Any => ({
    typeUrl: T.addKey,
    value: MsgAddKey.encode({ sender, pubKey: Buffer.from(pub), signature: Buffer.from(signature) }).finish(),
  }),
  removeKey: (sender: string, pub: Uint8Array): Any => ({ typeUrl: T.removeKey, value: MsgRemoveKey.encode({ sender, pubKey: Buffer.from(pub) }).finish() }),
  linkWallet: (sender: string, wallet: string, signature: Uint8Array): Any => ({
    typeUrl: T.linkWallet,
    value: MsgLinkWallet.encode({ sender, wallet, signature: Buffer.from(signature) }).finish(),
  }),
  unlinkWallet: (sender: string, wallet: string): Any => ({ typeUrl: T.unlinkWallet, value: MsgUnlinkWallet.encode({ sender, wallet }).finish() }),
  transferName: (sender: string, to: string): Any => ({ typeUrl: T.transferName, value: MsgTransferName.encode({ sender, to }).finish() }),
};

export interface SignOpts {
  accountNumber: bigint;
  sequence: bigint;
  fee?: string;
  gas?: bigint;
  chainId?: string;
  /** Omit the public key from the signer info (the account's only key signs). */
  omitPubKey?: boolean;
}

/** Signs `msgs` with `k` (SIGN_MODE_DIRECT) into broadcast TxRaw bytes. */
export function signTx(k: Key, msgs: Any[], o: SignOpts): Uint8Array {
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: msgs })).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: o.omitPubKey ? undefined : { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: k.pub }).finish() },
          modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
          sequence: o.sequence,
        },
      ],
      fee: { amount: [{ denom: 'ukex', amount: o.fee ?? '100' }], gasLimit: o.gas ?? 400_000n },
    }),
  ).finish();
  const signDoc = SignDoc.encode({ bodyBytes, authInfoBytes, chainId: o.chainId ?? CHAIN_ID, accountNumber: o.accountNumber }).finish();
  const sig = signSecp256k1(k.priv, sha256(signDoc));
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [sig] }).finish();
}

/** Genesis app_state in the `add-genesis-account` shape: accounts 0.. in order, with balances. */
export function genesisState(addresses: string[], balance = 1_000_000_000n, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    accountid: { accounts: addresses.map((address, i) => ({ address, account_number: String(i) })) },
    bank: {
      balances: addresses.map((address) => ({ address, coins: [{ denom: 'ukex', amount: balance.toString() }] })),
      denom_metadata: [Metadata.toJSON(KEX_METADATA)],
    },
    ...extra,
  };
}

export function time(seconds: number) {
  return { seconds: BigInt(seconds), nanos: 0 };
}

/** A chain of blocks over one app. */
export class Chain {
  height = 0;
  constructor(public s: SekaiApp) {}

  get app() {
    return this.s.app;
  }

  initChain(appState: Record<string, unknown>, initialHeight = 1): Uint8Array {
    const res = this.app.initChain({
      time: time(1_700_000_000),
      chainId: CHAIN_ID,
      consensusParams: undefined,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(appState)),
      initialHeight: BigInt(initialHeight),
    });
    this.height = initialHeight - 1;
    return res.appHash;
  }

  /** FinalizeBlock + Commit; returns the tx results and the app hash. */
  async block(txs: Uint8Array[]): Promise<{ results: ExecTxResult[]; appHash: Uint8Array }> {
    this.height += 1;
    const res = this.app.finalizeBlock({
      txs,
      decidedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(32),
      height: BigInt(this.height),
      time: time(1_700_000_000 + this.height * 5),
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20),
    });
    await this.app.commit();
    return { results: res.txResults, appHash: res.appHash };
  }

  /** A read-only context over the latest committed state (invariants, keeper reads). */
  readContext(): Context {
    const store = this.s.store;
    const version = store.lastCommitId().version;
    const stores = readOnlyStores(store, version);
    return new Context({ mode: 'deliver', block: { chainId: CHAIN_ID, height: version, time: time(0), proposer: new Uint8Array() }, stores });
  }

  /** Broken invariants of the committed state (empty when all hold). */
  invariants(): string[] {
    return this.s.modules.checkInvariants(this.readContext());
  }

  /** ABCI query at the latest height. */
  query(path: string, data: Uint8Array) {
    return this.app.query({ path, data, height: 0n, prove: false });
  }
}
