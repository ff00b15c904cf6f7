/**
 * Drives a sekai-ts app with x/accountid, x/bank, x/gov (customgov) and x/notarypay over
 * the IAVL multistore on LevelDB, block by block through PrepareProposal,
 * ProcessProposal, FinalizeBlock and Commit, with txs signed as a Cosmos wallet signs
 * them and notarizations signed by notary keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { ResponseProcessProposal_ProposalStatus, type ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { BaseApp, baseAppStoreKeys } from '../../runtime/baseapp';
import { Context } from '../../runtime/context';
import { ModuleManager } from '../../runtime/manager';
import { accAddressFromSecp256k1, addressToBech32 } from '../../crypto/address';
import { sha256 } from '../../crypto/hash';
import { publicKeyFromPrivate, signSecp256k1 } from '../../crypto/secp256k1';
import { MsgNotarize, MsgSetPubkey } from '../../proto/gen/sekai/notarypay/v1/tx';
import { StateDb } from '../../store/db';
import { RootMultiStore } from '../../store/rootmulti';
import { AccountIdKeeper, accountIdModule } from '../../x/accountid';
import { BankKeeperImpl, KEX_METADATA, bankModule } from '../../x/bank';
import type { DefinedModule } from '../../runtime/module';
import { UpgradeKeeper } from '../../runtime/upgrade';
import { govModule, type GovKeeper } from '../../x/gov';
import { NotaryPayKeeper, NotaryPayTypeUrls, notaryPayModule, signNotarization } from '../../x/notarypay';
import { readOnlyStores } from '../fixtures/readOnlyStores';

export const CHAIN_ID = 'sekai-notary-1';
export const GENESIS_TIME = 1_700_000_000;

export interface Key {
  priv: Uint8Array;
  pub: Uint8Array;
  address: string;
}

export function key(seed: string | number): Key {
  const priv = sha256(Buffer.from(`notarypay test key ${seed}`));
  const pub = publicKeyFromPrivate(priv);
  return { priv, pub, address: addressToBech32('account', accAddressFromSecp256k1(pub)) };
}

export const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

export function time(seconds: number) {
  return { seconds: BigInt(seconds), nanos: 0 };
}

export interface NotaryApp {
  app: BaseApp;
  store: RootMultiStore;
  modules: ModuleManager;
  accountid: AccountIdKeeper;
  bank: BankKeeperImpl;
  gov: DefinedModule<GovKeeper>;
  notarypay: NotaryPayKeeper;
  dir: string;
}

/** `initialVersion`: the chain's initial height, for a chain started from an exported genesis. */
export async function openNotaryApp(initialVersion?: number): Promise<NotaryApp> {
  const dir = mkdtempSync(join(tmpdir(), 'sekai-notarypay-'));
  // The app's three module accounts, bridge's included, so account IDs match the app's.
  const { keeper: accountid, module: accountIdMod } = accountIdModule({ moduleAccounts: () => ['bridge', 'fee_collector', 'notarypay'] });
  const { keeper: bank, module: bankMod } = bankModule({ accounts: accountid });
  const gov = govModule({ accounts: accountid, upgrades: new UpgradeKeeper() });
  const { keeper: notarypay, module: notaryMod } = notaryPayModule({ accounts: accountid, bank });
  const modules = new ModuleManager([accountIdMod, bankMod, gov.module, notaryMod]);
  gov.keeper.proposals.registerAll(modules.modules.flatMap((m) => m.proposals ?? []));
  const store = await RootMultiStore.open(await StateDb.open(dir), { stores: baseAppStoreKeys(modules), pruning: { strategy: 'nothing' }, initialVersion });
  notarypay.setCommitSource(store);
  const app = new BaseApp({ name: 'sekai-ts', codeVersion: 'v0.1.0', store, modules, accounts: accountid, bank, feeParams: gov.keeper });
  return { app, store, modules, accountid, bank, gov, notarypay, dir };
}

export async function closeNotaryApp(n: NotaryApp): Promise<void> {
  await n.app.close();
  rmSync(n.dir, { recursive: true, force: true });
}

export interface NotaryJson {
  name: string;
  pub_key: string;
  payout?: string;
}

export function notariesOf(keys: Key[], prefix = 'n'): NotaryJson[] {
  return keys.map((k, i) => ({ name: `${prefix}${i}`, pub_key: hexOf(k.pub) }));
}

/** Genesis: funded accounts, KEX metadata, a governance actor and the notarypay section. */
export function genesis(opts: { funded: string[]; notarypay: Record<string, unknown>; govActor?: string }): Record<string, unknown> {
  const gov: Record<string, unknown> = {
    network_properties: { minimum_proposal_end_time: '60', proposal_enactment_time: '10', min_proposal_end_blocks: '1', min_proposal_enactment_blocks: '1' },
  };
  if (opts.govActor) {
    gov.network_actors = [
      {
        address: opts.govActor,
        roles: [],
        status: 'ACTIVE',
        votes: ['VOTE_OPTION_YES', 'VOTE_OPTION_ABSTAIN', 'VOTE_OPTION_NO', 'VOTE_OPTION_NO_WITH_VETO'],
        permissions: { blacklist: [], whitelist: [70, 71] },
        skin: '0',
      },
    ];
  }
  return {
    accountid: { accounts: opts.funded.map((address, i) => ({ address, account_number: String(i) })) },
    bank: {
      balances: opts.funded.map((address) => ({ address, coins: [{ denom: 'ukex', amount: '1000000000' }] })),
      denom_metadata: [Metadata.toJSON(KEX_METADATA)],
    },
    customgov: gov,
    notarypay: opts.notarypay,
  };
}

export interface BlockResult {
  height: number;
  /** The txs the proposal carried, in order. */
  txs: Uint8Array[];
  results: ExecTxResult[];
  appHash: Uint8Array;
}

/** A chain over one app: a mempool, and blocks proposed, processed, finalized and committed. */
export class NotaryChain {
  height = 0;
  now = GENESIS_TIME;
  mempool: Uint8Array[] = [];

  constructor(readonly n: NotaryApp) {}

  get app(): BaseApp {
    return this.n.app;
  }

  /** InitChain; `initialHeight` above 1 starts a chain from an export (the next block is that height). */
  initChain(appState: Record<string, unknown>, initialHeight = 1, seconds = GENESIS_TIME): void {
    this.app.initChain({
      time: time(seconds),
      chainId: CHAIN_ID,
      consensusParams: undefined,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(appState)),
      initialHeight: BigInt(initialHeight),
    });
    this.height = initialHeight - 1;
    this.now = seconds;
  }

  /** PrepareProposal of the mempool for the next block (does not change anything). */
  prepare(txs: Uint8Array[] = this.mempool, seconds = this.now + 5): Uint8Array[] {
    return this.app.prepareProposal({
      maxTxBytes: 1_000_000n,
      txs,
      localLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      height: BigInt(this.height + 1),
      time: time(seconds),
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20).fill(7),
    }).txs;
  }

  async process(txs: Uint8Array[], seconds = this.now + 5): Promise<boolean> {
    const res = await this.app.processProposal({
      txs,
      proposedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(32),
      height: BigInt(this.height + 1),
      time: time(seconds),
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20).fill(7),
    });
    return res.status === ResponseProcessProposal_ProposalStatus.ACCEPT;
  }

  /** FinalizeBlock + Commit of exactly `txs` (no proposal checks). */
  async finalize(txs: Uint8Array[], seconds = this.now + 5, proposer: Uint8Array = new Uint8Array(20).fill(7)): Promise<BlockResult> {
    this.height += 1;
    this.now = seconds;
    const res = this.app.finalizeBlock({
      txs,
      decidedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(32),
      height: BigInt(this.height),
      time: time(seconds),
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: proposer,
    });
    await this.app.commit();
    this.hashes.set(this.height, res.appHash);
    return { height: this.height, txs, results: res.txResults, appHash: res.appHash };
  }

  /**
   * One block the way CometBFT runs it: the proposer prepares from the mempool, every
   * validator processes (must accept), then the block is finalized and committed. Txs
   * that made it into the block leave the mempool; the rest stay.
   */
  async step(seconds = this.now + 5, proposer?: Uint8Array): Promise<BlockResult> {
    const txs = this.prepare(this.mempool, seconds);
    if (!(await this.process(txs, seconds))) throw new Error(`the app rejected its own proposal at height ${this.height + 1}`);
    const included = new Set(txs.map(hexOf));
    this.mempool = this.mempool.filter((t) => !included.has(hexOf(t)));
    return this.finalize(txs, seconds, proposer);
  }

  /** The AppHash the chain committed at a height (what notaries sign). */
  appHashAt(height: number): Uint8Array {
    const h = this.hashes.get(height);
    if (!h) throw new Error(`no app hash recorded for height ${height}`);
    return h;
  }

  private readonly hashes = new Map<number, Uint8Array>();

  readContext(): Context {
    const store = this.n.store;
    const version = store.lastCommitId().version;
    const stores = readOnlyStores(store, version);
    return new Context({ mode: 'deliver', block: { chainId: CHAIN_ID, height: version, time: time(this.now), proposer: new Uint8Array() }, stores });
  }

  balance(address: string, denom = 'ukex'): bigint {
    const ctx = this.readContext();
    const id = this.n.accountid.tryResolve(ctx, address);
    return id === undefined ? 0n : this.n.bank.balance(ctx, id, denom);
  }

  supply(denom = 'ukex'): bigint {
    return this.n.bank.supplyOf(this.readContext(), denom);
  }

  query(path: string, data: Uint8Array): Uint8Array {
    const res = this.app.query({ path, data, height: 0n, prove: false });
    if (res.code !== 0) throw new Error(`query ${path} failed: ${res.log}`);
    return res.value;
  }

  /** Signs msgs with `k` at the account's committed sequence (one pending tx per account). */
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
        fee: { amount: [{ denom: 'ukex', amount: fee }], gasLimit: 400_000n },
      }),
    ).finish();
    const doc = SignDoc.encode({ bodyBytes, authInfoBytes, chainId: CHAIN_ID, accountNumber: id }).finish();
    return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signSecp256k1(k.priv, sha256(doc))] }).finish();
  }
}

export const msg = {
  send: (from: string, to: string, amount: string): Any => ({
    typeUrl: MsgSend.typeUrl,
    value: MsgSend.encode({ fromAddress: from, toAddress: to, amount: [{ denom: 'ukex', amount }] }).finish(),
  }),
  /** A notarization of (height, appHash) signed by `signers` in order. */
  notarize: (sender: string, height: number, appHash: Uint8Array, signers: Key[], chainId = CHAIN_ID): Any => ({
    typeUrl: NotaryPayTypeUrls.notarize,
    value: MsgNotarize.encode(
      MsgNotarize.fromPartial({
        sender,
        height: BigInt(height),
        appHash: Buffer.from(appHash),
        signatures: signers.map((s) => ({ pubKey: Buffer.from(s.pub), signature: Buffer.from(signNotarization(s.priv, chainId, height, appHash)) })),
      }),
    ).finish(),
  }),
  setPubkey: (sender: string, payout: string): Any => ({ typeUrl: NotaryPayTypeUrls.setPubkey, value: MsgSetPubkey.encode({ sender, payout }).finish() }),
};
