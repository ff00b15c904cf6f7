/**
 * The module contract. A module under `x/<name>/` builds itself with `defineModule` in its
 * `module.ts` and exports that factory from its `index.ts`; `app/` calls the factories in
 * dependency order and lists the modules in a `ModuleManager` (CONTRIBUTING.md).
 *
 * Modules talk to each other only through narrow "expected keeper" interfaces that the
 * consumer declares in its own `types/expectedKeepers.ts`; the producer's keeper
 * satisfies them structurally, and `app/` passes one to the other.
 *
 * Everything a module does inside a block is synchronous: handlers, hooks and genesis
 * run to completion on the branch the context gives them, so effects happen in
 * statement order on every node.
 */
import type { Command } from 'commander';
import type { CliEnv } from '../client/cliEnv';
import type { PermValue } from '../proto/gen/sekai/gov/v1/permission';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import type { Context, QueryContext } from './context';
import type { DecodedTx } from './tx';

/** A protobuf codec in the shape of cosmjs-types and ts-proto generated messages. */
export interface MessageCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
}

/**
 * A reference to the account that must sign a message, as the message carries it: a
 * bech32 `kira1…` address or any other form x/accountid resolves (the runtime's
 * `AccountKeeper.resolveSigner` decides).
 */
export type SignerRef = string;

/**
 * One Msg service method. Handlers throw registered errors (`registerError`) to fail;
 * the runtime then discards every write of the tx's messages.
 */
export interface MsgRoute<M = unknown, R = unknown> {
  /** Type URL of the request, e.g. `/kira.gov.MsgSetNetworkProperties`. */
  readonly typeUrl: string;
  /** Decodes `Any.value`; throwing marks the tx undecodable (ErrTxDecode). */
  decode(value: Uint8Array): M;
  /** The accounts that must sign, in order; the first signer of a tx pays its fee. */
  signers(msg: M): SignerRef[];
  /** Stateless checks (field formats, non-empty amounts); throws a registered error. */
  validateBasic?(msg: M): void;
  /** Type URL of the response packed into TxMsgData.msg_responses. */
  readonly responseTypeUrl: string;
  encodeResponse(res: R): Uint8Array;
  /** Executes the message on `ctx`'s branch. */
  handle(ctx: Context, msg: M): R;
  /**
   * Flat gas charged for this message before any handler runs, in place of `TxGas.perMsg`:
   * for a message whose handler does work the KV gas does not price (a signature check).
   */
  readonly gas?: number;
}

/** Defines a Msg route from generated codecs, keeping the request and response types tied. */
export function msgRoute<M, R>(def: {
  typeUrl: string;
  codec: MessageCodec<M>;
  responseTypeUrl: string;
  responseCodec: MessageCodec<R>;
  signers(msg: M): SignerRef[];
  validateBasic?(msg: M): void;
  handle(ctx: Context, msg: M): R;
  gas?: number;
}): MsgRoute<M, R> {
  return {
    typeUrl: def.typeUrl,
    gas: def.gas,
    decode: (value) => def.codec.decode(value),
    signers: def.signers,
    validateBasic: def.validateBasic,
    responseTypeUrl: def.responseTypeUrl,
    encodeResponse: (res) => def.responseCodec.encode(res).finish(),
    handle: def.handle,
  };
}

/**
 * One Query service method, served at `/<proto package>.Query/<Method>` over ABCI Query
 * and gRPC-web. A missing object throws `notFound(what)` from `runtime/errors.ts`.
 */
export interface QueryRoute<Q = unknown, S = unknown> {
  readonly path: string;
  decode(data: Uint8Array): Q;
  handle(ctx: QueryContext, req: Q): S;
  encode(res: S): Uint8Array;
}

/** Defines a Query route from generated codecs. */
export function queryRoute<Q, S>(def: {
  path: string;
  requestCodec: MessageCodec<Q>;
  responseCodec: MessageCodec<S>;
  handle(ctx: QueryContext, req: Q): S;
}): QueryRoute<Q, S> {
  return {
    path: def.path,
    decode: (data) => def.requestCodec.decode(data),
    handle: def.handle,
    encode: (res) => def.responseCodec.encode(res).finish(),
  };
}

/** A consensus (ed25519) validator power change for CometBFT; power 0 removes it. */
export interface ValidatorPowerUpdate {
  /** 32-byte ed25519 public key. */
  ed25519PubKey: Uint8Array;
  power: bigint;
}

/** What an end-block hook may hand back to CometBFT. */
export interface EndBlockResult {
  validatorUpdates?: ValidatorPowerUpdate[];
  consensusParamUpdates?: ConsensusParams;
}

/**
 * A module's genesis section: `app_state[<module name>]` in genesis.json.
 * `exportGenesis` followed by `initGenesis` on a fresh chain must reproduce the same
 * state bytes, so exported JSON holds every stored field (amounts as strings).
 */
export interface ModuleGenesis {
  defaultGenesis(): unknown;
  /** Throws `ErrInvalidGenesis.wrap('<module>.<field>: <why>')` naming the bad field. */
  validateGenesis(json: unknown): void;
  /** Writes the section into the module's stores; may return the initial validator set. */
  initGenesis(ctx: Context, json: unknown): ValidatorPowerUpdate[] | void;
  exportGenesis(ctx: Context): unknown;
}

/** A transaction in a block proposal; `tx` is absent when the bytes do not decode. */
export interface ProposalTx {
  bytes: Uint8Array;
  tx?: DecodedTx;
}

/**
 * Proposal rules. `prepare` runs on the proposer and may reorder, filter or insert txs
 * (x/notarypay puts its notarization tx first); `process` runs on every validator and
 * throws `ErrInvalidProposal.wrap(reason)` to reject the block. Both see a throw-away
 * branch of the state the block would execute on.
 */
export interface ProposalRules {
  prepare?(ctx: Context, txs: ProposalTx[]): ProposalTx[];
  process?(ctx: Context, txs: readonly ProposalTx[]): void;
}

/**
 * Rules on a whole tx, beside each message's own `validateBasic`.
 * - `validate` is stateless and runs in every mode (CheckTx, simulation, blocks), after
 *   the messages' `validateBasic`: e.g. "a notarization tx holds MsgNotarize alone".
 * - `mempool` runs in CheckTx only (NEW and RECHECK), before the ante stages, on a branch
 *   of the check state: the last committed state plus earlier mempool txs, at the next
 *   height, with `ctx.time` the last block's time and `ctx.localTime` the node's clock. It
 *   keeps out of the mempool what a proposal could never include or a block would refuse,
 *   so ReCheckTx evicts a tx once it becomes such. Blocks never run it (they judge on
 *   their own state and time), so it may depend on the node's clock.
 */
export interface TxRules {
  validate?(tx: DecodedTx): void;
  mempool?(ctx: Context, tx: DecodedTx): void;
  /**
   * A stateful rule over all the tx's messages together (e.g. the transfer cap per tx),
   * run after the ante stages: in a block just before the first message, where a refusal
   * fails the messages as a failing message would (the fee and sequence are kept); in
   * CheckTx on the check state, so the mempool refuses the tx already.
   */
  beforeMsgs?(ctx: Context, tx: DecodedTx): void;
}

/** A state invariant; returns a message describing the breach, or undefined when it holds. */
export interface Invariant {
  name: string;
  check(ctx: Context): string | undefined;
}

/** Builds one of the module's CLI commands; the environment (client, keyring, output) is the CLI's. */
export type CliCommandFactory = (env: CliEnv) => Command;

/**
 * The module's commands: `tx` and `query` are its `tx <module>` / `query <module>` roots;
 * `txRoots` go beside them under `tx` (e.g. x/gov's `tx upgrade`).
 */
export interface ModuleCli {
  readonly tx?: CliCommandFactory;
  readonly query?: CliCommandFactory;
  readonly txRoots?: readonly CliCommandFactory[];
}

/**
 * A governance proposal content type. A proposal carries its content as a protobuf `Any`;
 * the type URL selects the handler that says who may raise it, who may vote on it, how to
 * check it and what it does when enacted. The module that executes a content declares its
 * handler (`defineModule({ proposals })`); the app hands every module's handlers to x/gov's
 * router at wiring time, so the set is fixed before the first block and the same on every node.
 */
export interface ProposalHandler<C = unknown> {
  /** Type URL of the content message inside `MsgSubmitProposal.content`. */
  readonly typeUrl: string;
  /**
   * sekai's proposal type string ("SetNetworkProperty", "ResetWholeValidatorRank", …): the
   * name per-type voting durations are stored under (`SetProposalDurationsProposal`).
   */
  readonly type: string;
  readonly codec: MessageCodec<C>;
  /** The permission the proposer must hold (x/gov's `isAllowed`). */
  readonly createPermission: PermValue;
  /** The permission a voter must hold; its holders (minus blacklisted ones) form the electorate. */
  readonly votePermission: PermValue;
  /** What enacting it does, in one sentence (documentation and help text). */
  readonly description?: string;
  /** Stateless checks of the content; throws a registered error naming the bad field. */
  validate?(content: C): void;
  /**
   * Applies the content. Runs in a throw-away branch at submission (a content that cannot
   * apply is refused then) and for real at enactment, where a throw marks the proposal
   * PASSED_WITH_EXEC_FAIL and discards the handler's writes.
   */
  execute(ctx: Context, content: C): void;
}

/** A proposal handler whose content type is erased (a list of handlers of different types). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers are invariant in C; the router erases it
export type AnyProposalHandler = ProposalHandler<any>;

/** Everything a module declares to the runtime. */
export interface AppModule {
  /** Module name: event `message.module`, genesis section, invariant prefix. */
  readonly name: string;
  /** Store keys the module owns; each is mounted once in the multistore. */
  readonly storeKeys: readonly string[];
  readonly msgs?: readonly MsgRoute[];
  readonly queries?: readonly QueryRoute[];
  readonly genesis?: ModuleGenesis;
  beginBlock?(ctx: Context): void;
  endBlock?(ctx: Context): EndBlockResult | void;
  /** Rules on block proposals (ABCI PrepareProposal / ProcessProposal). */
  readonly blockProposal?: ProposalRules;
  readonly txRules?: TxRules;
  readonly invariants?: readonly Invariant[];
  /** Governance proposal contents this module executes (registered with x/gov by the app). */
  readonly proposals?: readonly AnyProposalHandler[];
  /** Module accounts (`<name>@sys`) x/accountid creates at genesis for this module. */
  readonly moduleAccounts?: readonly string[];
  readonly cli?: ModuleCli;
}

/**
 * What a module hands to `defineModule`: its `AppModule` parts and its keeper. Build the
 * keeper first (`new FooKeeper({ ...deps })`), then the parts from it:
 *
 *   export function fooModule(deps: FooKeeperDeps): DefinedModule<FooKeeper> {
 *     const keeper = new FooKeeper(deps);
 *     return defineModule({
 *       name: MODULE_NAME,
 *       storeKeys: [STORE_KEY],
 *       keeper,
 *       msgs: fooMsgs(keeper),
 *       queries: fooQueries(keeper),
 *       genesis: fooGenesis(keeper),
 *       cli: { tx: fooTxCommand, query: fooQueryCommand },
 *     });
 *   }
 */
export interface ModuleDefinition<K> extends AppModule {
  readonly keeper: K;
}

/** A module as the app wires it: the runtime's view (`module`) and the keeper other modules receive. */
export interface DefinedModule<K> {
  readonly module: AppModule;
  readonly keeper: K;
}

const MODULE_NAME_SHAPE = /^[a-z][a-z0-9_]*$/;

/**
 * The one way a module is defined. Checks what can be checked before the module manager
 * sees other modules (name shape, a message, query, proposal type or module account listed
 * twice within the module) and returns `{ module, keeper }`. Cross-module clashes (two
 * modules routing one type URL or claiming one store key) are the manager's to refuse.
 */
export function defineModule<K>(def: ModuleDefinition<K>): DefinedModule<K> {
  const { keeper, ...module } = def;
  if (!MODULE_NAME_SHAPE.test(module.name)) throw new Error(`module name ${JSON.stringify(module.name)} must match ${MODULE_NAME_SHAPE}`);
  const once = (what: string, values: readonly string[]) => {
    const seen = new Set<string>();
    for (const v of values) {
      if (seen.has(v)) throw new Error(`module ${module.name} lists ${what} ${v} twice`);
      seen.add(v);
    }
  };
  once('store key', module.storeKeys);
  once('message', (module.msgs ?? []).map((m) => m.typeUrl));
  once('query', (module.queries ?? []).map((q) => q.path));
  once('proposal type', (module.proposals ?? []).map((p) => p.typeUrl));
  once('module account', module.moduleAccounts ?? []);
  return { module, keeper };
}
