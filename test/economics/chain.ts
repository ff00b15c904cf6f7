/**
 * The whole sekai-ts app (every module, IAVL multistore on LevelDB) driven block by block
 * through FinalizeBlock/Commit for the validator-economics tests: operators with consensus
 * keys whose votes each block chooses, delegators, block times the test sets, and txs
 * signed as a Cosmos wallet signs them.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { MisbehaviorType, type ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { createApp, genesisHasMultistaking, type CreateAppOptions, type SekaiApp } from '../../app/app';
import { Context } from '../../runtime/context';
import { readOnlyStores } from '../fixtures/readOnlyStores';
import { addressFromBech32, addressToBech32, consAddressFromEd25519 } from '../../crypto/address';
import { sha256 } from '../../crypto/hash';
import { ed25519FromSeed, ed25519ToCosmosJson } from '../../crypto/keys';
import { appModules } from '../../app/app';
import { parsePropertyName } from '../../x/gov';
import { submitProposalMsg } from '../../client/cliEnv';
import { setNetworkPropertyContent, voteMsg } from '../../x/gov/cli';
import { genesisState, key, signTx, tempDir, type Key } from '../accountid/helpers';

export const CHAIN_ID = 'sekai-accountid-1';
export const GENESIS_TIME = 1_700_000_000;

export interface Operator extends Key {
  valAddr: string;
  valKey: Uint8Array;
  consPub: Uint8Array;
  consAddr: Uint8Array;
}

export function operatorKey(i: number): Operator {
  const k = key(`operator ${i}`);
  const cons = ed25519FromSeed(sha256(Buffer.from(`economics consensus key ${i}`)));
  const valKey = addressFromBech32('account', k.address);
  return { ...k, valKey, valAddr: addressToBech32('validator', valKey), consPub: cons.pubkey, consAddr: consAddressFromEd25519(cons.pubkey) };
}

export interface EconChainOptions {
  /** Operators; the first `seated` hold validator seats at genesis. */
  operators: number;
  seated: number;
  /** Extra funded accounts (delegators, withdraw accounts). */
  users: number;
  balance?: bigint;
  /** Network properties by lower-case name. */
  properties?: Record<string, string>;
  /** Extra fields of each genesis validator (deposit, withdraw_account…). */
  validatorFields?: (i: number) => Record<string, string>;
  /** Extra app_state sections. */
  appState?: Record<string, unknown>;
  app?: Partial<CreateAppOptions>;
  dir?: string;
}

/** What one block was given, so that another app can replay it exactly. */
export interface BlockInput {
  txs: Uint8Array[];
  signers: Uint8Array[];
  dt: number;
  doubleSigners: Uint8Array[];
}

export class EconChain {
  height = 0;
  /** Block time (s) of the last block. */
  now = GENESIS_TIME;
  private readonly sequences = new Map<string, bigint>();
  /** Every committed block's input and AppHash, in order. */
  readonly blocks: { input: BlockInput; appHash: string }[] = [];
  appOptions: Partial<CreateAppOptions> = {};

  private constructor(
    public s: SekaiApp,
    readonly dir: string,
    readonly ops: Operator[],
    readonly users: Key[],
  ) {}

  static async open(o: EconChainOptions): Promise<EconChain> {
    const dir = o.dir ?? tempDir('economics');
    const ops = Array.from({ length: o.operators }, (_, i) => operatorKey(i));
    const users = Array.from({ length: o.users }, (_, i) => key(`user ${i}`));
    const s = await createApp({ dbDir: join(dir, 'state'), pruning: { strategy: 'nothing' }, ...o.app });
    const chain = new EconChain(s, dir, ops, users);
    chain.appOptions = o.app ?? {};
    const state = genesisState([...ops, ...users].map((k) => k.address), o.balance ?? 1_000_000_000_000n);
    const defaults = appModules().defaultGenesis() as Record<string, Record<string, unknown>>;
    const gov = { ...defaults.customgov };
    gov.network_properties = { ...(gov.network_properties as Record<string, string>), ...(o.properties ?? {}) };
    // Operator 0 holds the sudo role: it proposes and votes network property changes.
    gov.network_actors = ops.map((op, i) => ({ address: op.address, roles: i === 0 ? ['1'] : [], status: 'ACTIVE', votes: [], permissions: { blacklist: [], whitelist: [2] }, skin: '0' }));
    const appState = {
      ...state,
      customgov: gov,
      customstaking: {
        validators: ops.slice(0, o.seated).map((op, i) => ({
          val_key: op.valAddr,
          pub_key: ed25519ToCosmosJson(op.consPub),
          status: 'ACTIVE',
          rank: '0',
          streak: '0',
          moniker: `validator-${i}`,
          address: op.address,
          ...(o.validatorFields?.(i) ?? {}),
        })),
      },
      ...(o.appState ?? {}),
    };
    s.app.initChain({
      time: { seconds: BigInt(GENESIS_TIME), nanos: 0 },
      chainId: CHAIN_ID,
      consensusParams: undefined,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(appState)),
      initialHeight: 1n,
    });
    return chain;
  }

  /**
   * A new chain from `appState` exported at this chain's latest height, as `export` writes
   * it: initial height = that height + 1, genesis time = its block's, the same keys (their
   * sequences continue). x/multistaking's store joins at genesis when the document has its
   * section, as `start` decides it.
   */
  async imported(appState: Record<string, unknown>): Promise<EconChain> {
    const dir = tempDir('economics-import');
    const app: Partial<CreateAppOptions> = { initialHeight: this.height + 1, multistakingAtGenesis: genesisHasMultistaking({ app_state: appState }) };
    const s = await createApp({ dbDir: join(dir, 'state'), pruning: { strategy: 'nothing' }, ...app });
    const chain = new EconChain(s, dir, this.ops, this.users);
    chain.appOptions = app;
    chain.height = this.height;
    chain.now = this.now;
    for (const [address, sequence] of this.sequences) chain.sequences.set(address, sequence);
    s.app.initChain({
      time: { seconds: BigInt(this.now), nanos: 0 },
      chainId: CHAIN_ID,
      consensusParams: undefined,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(appState)),
      initialHeight: BigInt(this.height + 1),
    });
    return chain;
  }

  /** Reopens the same state directory (a node restart). */
  async restart(): Promise<void> {
    await this.s.app.close();
    this.s = await createApp({ dbDir: join(this.dir, 'state'), pruning: { strategy: 'nothing' }, ...this.appOptions });
  }

  async close(remove = true): Promise<void> {
    await this.s.app.close();
    if (remove) rmSync(this.dir, { recursive: true, force: true });
  }

  /** AccountID of an address (undefined when it has no account). */
  accountId(address: string): bigint | undefined {
    return this.s.keepers.accountid.tryResolve(this.readContext(), address);
  }

  /** Signs `msgs` with `k`, tracking its sequence. */
  tx(k: Key, msgs: Any[], fee = '100'): Uint8Array {
    const accountNumber = this.accountId(k.address);
    if (accountNumber === undefined) throw new Error(`${k.address} has no account`);
    const sequence = this.sequences.get(k.address) ?? 0n;
    this.sequences.set(k.address, sequence + 1n);
    return signTx(k, msgs, { accountNumber, sequence, fee, chainId: CHAIN_ID });
  }

  /**
   * One block: FinalizeBlock with `txs`, the previous block's votes from `signers`
   * (consensus addresses; default every seated operator) and block time `now + dt`.
   */
  async block(txs: Uint8Array[] = [], o: { signers?: Uint8Array[]; dt?: number; doubleSigners?: Uint8Array[] } = {}): Promise<{ results: ExecTxResult[]; appHash: Uint8Array; events: { type: string; attributes: { key: string; value: string }[] }[] }> {
    const dt = o.dt ?? 5;
    const signers = o.signers ?? (this.height > 0 ? this.activeConsAddrs() : []);
    this.height += 1;
    this.now += dt;
    let res: ReturnType<SekaiApp['app']['finalizeBlock']>;
    try {
      res = this.finalize(txs, signers, o.doubleSigners ?? []);
    } catch (err) {
      this.height -= 1;
      this.now -= dt;
      throw err;
    }
    await this.s.app.commit();
    this.blocks.push({ input: { txs, signers, dt, doubleSigners: o.doubleSigners ?? [] }, appHash: Buffer.from(res.appHash).toString('hex') });
    return { results: res.txResults, appHash: res.appHash, events: res.events as never };
  }

  private finalize(txs: Uint8Array[], signers: Uint8Array[], doubleSigners: Uint8Array[]) {
    const o = { doubleSigners };
    return this.s.app.finalizeBlock({
      txs,
      decidedLastCommit: { round: 0, votes: signers.map((address) => ({ validator: { address, power: 1n }, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT })) },
      misbehavior: (o.doubleSigners ?? []).map((address) => ({
        type: MisbehaviorType.DUPLICATE_VOTE,
        validator: { address, power: 1n },
        height: BigInt(this.height - 1),
        time: { seconds: BigInt(this.now), nanos: 0 },
        totalVotingPower: 1n,
      })),
      hash: new Uint8Array(32),
      height: BigInt(this.height),
      time: { seconds: BigInt(this.now), nanos: 0 },
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20),
    });
  }

  /** Delivers one tx in its own block and returns its result. */
  async deliver(k: Key, msgs: Any[], o: { dt?: number } = {}): Promise<ExecTxResult> {
    const { results } = await this.block([this.tx(k, msgs)], o);
    // A refused tx still took its fee and sequence (CheckTx is not run here).
    return results[0];
  }

  /**
   * Changes a network property the way a chain does: operator 0 (sudo) proposes, votes yes,
   * and blocks pass until the proposal is enacted.
   */
  async setProperty(name: string, value: string): Promise<void> {
    const op = this.ops[0];
    const submit = await this.deliver(op, [submitProposalMsg(op.address, `Set ${name}`, `Set ${name} to ${value}`, setNetworkPropertyContent(name, value))]);
    if (submit.code !== 0) throw new Error(`proposal refused: ${submit.log}`);
    const id = /"proposal_id","value":"(\d+)"/.exec(JSON.stringify(submit.events))?.[1] ?? String(++this.proposals);
    const vote = await this.deliver(op, [voteMsg(op.address, id, 'yes')]);
    if (vote.code !== 0) throw new Error(`vote refused: ${vote.log}`);
    for (let i = 0; i < 8; i++) {
      await this.block([], { dt: 301 });
      if (this.s.keepers.gov.property(this.readContext(), parsePropertyName(name)) === value) return;
    }
    throw new Error(`${name} did not become ${value}`);
  }

  private proposals = 0;

  /** Consensus addresses of the ACTIVE validators. */
  activeConsAddrs(): Uint8Array[] {
    const ctx = this.readContext();
    return this.s.keepers.staking
      .validators(ctx)
      .filter((v) => v.status === 1)
      .map((v) => consAddressFromEd25519(v.pubKey));
  }

  balance(address: string, denom = 'ukex'): bigint {
    const id = this.accountId(address);
    return id === undefined ? 0n : this.s.keepers.bank.balance(this.readContext(), id, denom);
  }

  /** A read-only context over the latest committed state. */
  readContext(): Context {
    const store = this.s.store;
    const version = store.lastCommitId().version;
    const stores = readOnlyStores(store, version);
    return new Context({ mode: 'deliver', block: { chainId: CHAIN_ID, height: version, time: { seconds: BigInt(this.now), nanos: 0 }, proposer: new Uint8Array() }, stores });
  }

  invariants(): string[] {
    return this.s.modules.checkInvariants(this.readContext());
  }

  query(path: string, data: Uint8Array) {
    return this.s.app.query({ path, data, height: 0n, prove: false });
  }
}
export { CODE_VERSION } from '../../app/app';

/** The whole app over a state directory, for tests in x/ (which may not import app/ themselves). */
export function openApp(opts: CreateAppOptions): Promise<SekaiApp> {
  return createApp(opts);
}
