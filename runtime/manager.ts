/**
 * The module manager: the one place that lists the modules and the order in which their
 * genesis, begin-block and end-block hooks run. It also builds the Msg and Query
 * routers, refusing two modules that claim the same type URL, path or store key.
 */
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import type { Context } from './context';
import { ErrInvalidGenesis } from './errors';
import type { AppModule, MsgRoute, ProposalTx, QueryRoute, ValidatorPowerUpdate } from './module';
import type { DecodedTx, MsgRouter } from './tx';

export interface ModuleOrder {
  /** Module names in genesis-init order (export uses the same order). Default: listing order. */
  initGenesis?: readonly string[];
  beginBlock?: readonly string[];
  endBlock?: readonly string[];
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

export class ModuleManager implements MsgRouter {
  readonly modules: readonly AppModule[];
  private readonly byName = new Map<string, AppModule>();
  private readonly msgRoutes = new Map<string, { route: MsgRoute; module: string }>();
  private readonly queryRoutes = new Map<string, QueryRoute>();
  private readonly initOrder: readonly AppModule[];
  private readonly beginOrder: readonly AppModule[];
  private readonly endOrder: readonly AppModule[];

  constructor(modules: readonly AppModule[], order: ModuleOrder = {}) {
    this.modules = modules;
    const storeOwners = new Map<string, string>();
    for (const m of modules) {
      if (this.byName.has(m.name)) throw new Error(`module ${m.name} is listed twice`);
      this.byName.set(m.name, m);
      for (const key of m.storeKeys) {
        const owner = storeOwners.get(key);
        if (owner) throw new Error(`store key ${key} is claimed by ${owner} and ${m.name}`);
        storeOwners.set(key, m.name);
      }
      for (const r of m.msgs ?? []) {
        if (this.msgRoutes.has(r.typeUrl)) throw new Error(`message ${r.typeUrl} is routed twice`);
        this.msgRoutes.set(r.typeUrl, { route: r, module: m.name });
      }
      for (const q of m.queries ?? []) {
        if (this.queryRoutes.has(q.path)) throw new Error(`query ${q.path} is routed twice`);
        this.queryRoutes.set(q.path, q);
      }
    }
    this.initOrder = this.ordered(order.initGenesis, 'initGenesis');
    this.beginOrder = this.ordered(order.beginBlock, 'beginBlock');
    this.endOrder = this.ordered(order.endBlock, 'endBlock');
  }

  /** Every store key the modules own, sorted. */
  storeKeys(): string[] {
    return this.modules.flatMap((m) => m.storeKeys).sort();
  }

  msgRoute(typeUrl: string): MsgRoute | undefined {
    return this.msgRoutes.get(typeUrl)?.route;
  }

  /** The name of the module that serves a message type. */
  moduleOfMsg(typeUrl: string): string | undefined {
    return this.msgRoutes.get(typeUrl)?.module;
  }

  queryRoute(path: string): QueryRoute | undefined {
    return this.queryRoutes.get(path);
  }

  /** The default genesis app_state: one section per module with genesis. */
  defaultGenesis(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const m of this.initOrder) if (m.genesis) out[m.name] = m.genesis.defaultGenesis();
    return out;
  }

  /** Validates every section; a missing section means the module's default. */
  validateGenesis(appState: Record<string, unknown>): void {
    // eslint-disable-next-line no-restricted-syntax -- sorted right here
    for (const key of Object.keys(appState).sort()) {
      if (!this.byName.get(key)?.genesis) throw ErrInvalidGenesis.wrap(`app_state.${key}: no module with genesis by that name`);
    }
    for (const m of this.initOrder) {
      if (m.genesis && appState[m.name] !== undefined) m.genesis.validateGenesis(appState[m.name]);
    }
  }

  /** Initialises every module in order; returns the validator set the modules produced. */
  initGenesis(ctx: Context, appState: Record<string, unknown>): ValidatorPowerUpdate[] {
    const updates: ValidatorPowerUpdate[][] = [];
    for (const m of this.initOrder) {
      if (!m.genesis) continue;
      const section = appState[m.name] ?? m.genesis.defaultGenesis();
      const vals = m.genesis.initGenesis(ctx, section);
      if (vals && vals.length > 0) updates.push(vals);
    }
    return mergeValidatorUpdates(updates);
  }

  exportGenesis(ctx: Context): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    // A module may have no section to export (a store not yet added by its upgrade).
    for (const m of this.initOrder) {
      const section = m.genesis?.exportGenesis(ctx);
      if (section !== undefined) out[m.name] = section;
    }
    return out;
  }

  beginBlock(ctx: Context): void {
    for (const m of this.beginOrder) m.beginBlock?.(ctx);
  }

  /** Runs end-block hooks; merges validator updates and passes consensus param updates through. */
  endBlock(ctx: Context): { validatorUpdates: ValidatorPowerUpdate[]; consensusParamUpdates?: ConsensusParams } {
    const updates: ValidatorPowerUpdate[][] = [];
    let params: ConsensusParams | undefined;
    for (const m of this.endOrder) {
      const res = m.endBlock?.(ctx);
      if (!res) continue;
      if (res.validatorUpdates && res.validatorUpdates.length > 0) updates.push(res.validatorUpdates);
      if (res.consensusParamUpdates) {
        if (params) throw new Error(`consensus params are updated by two modules (second: ${m.name})`);
        params = res.consensusParamUpdates;
      }
    }
    return { validatorUpdates: mergeValidatorUpdates(updates), consensusParamUpdates: params };
  }

  /** Applies every module's prepare rule in listing order. */
  prepareProposal(ctx: Context, txs: ProposalTx[]): ProposalTx[] {
    let out = txs;
    for (const m of this.modules) if (m.blockProposal?.prepare) out = m.blockProposal.prepare(ctx, out);
    return out;
  }

  /** Applies every module's process rule; the first to throw rejects the proposal. */
  processProposal(ctx: Context, txs: readonly ProposalTx[]): void {
    for (const m of this.modules) m.blockProposal?.process?.(ctx, txs);
  }

  /** Every module's stateless whole-tx rule, in listing order. */
  validateTx(tx: DecodedTx): void {
    for (const m of this.modules) m.txRules?.validate?.(tx);
  }

  /** Every module's mempool rule (CheckTx only), in listing order. */
  mempoolCheck(ctx: Context, tx: DecodedTx): void {
    for (const m of this.modules) m.txRules?.mempool?.(ctx, tx);
  }

  /** Every module's rule over a tx's messages together, in listing order. */
  beforeMsgs(ctx: Context, tx: DecodedTx): void {
    for (const m of this.modules) m.txRules?.beforeMsgs?.(ctx, tx);
  }

  /** Checks every invariant; returns the broken ones as `module/name: message`. */
  checkInvariants(ctx: Context): string[] {
    const broken: string[] = [];
    for (const m of this.modules) {
      for (const inv of m.invariants ?? []) {
        const msg = inv.check(ctx);
        if (msg !== undefined) broken.push(`${m.name}/${inv.name}: ${msg}`);
      }
    }
    return broken;
  }

  private ordered(names: readonly string[] | undefined, what: string): AppModule[] {
    if (!names) return this.modules.slice();
    const list = names.map((n) => {
      const m = this.byName.get(n);
      if (!m) throw new Error(`${what} order names unknown module ${n}`);
      return m;
    });
    if (new Set(names).size !== names.length) throw new Error(`${what} order lists a module twice`);
    for (const m of this.modules) {
      if (!names.includes(m.name)) throw new Error(`${what} order is missing module ${m.name}`);
    }
    return list;
  }
}

/**
 * Merges validator updates from several modules. Two modules updating the same key is a
 * wiring bug (the Cosmos SDK refuses it too); the result keeps module order.
 */
export function mergeValidatorUpdates(groups: readonly ValidatorPowerUpdate[][]): ValidatorPowerUpdate[] {
  const seen = new Set<string>();
  const out: ValidatorPowerUpdate[] = [];
  for (const group of groups) {
    for (const u of group) {
      const k = hex(u.ed25519PubKey);
      if (seen.has(k)) throw new Error(`validator ${k} is updated twice in one block`);
      seen.add(k);
      out.push(u);
    }
  }
  return out;
}
