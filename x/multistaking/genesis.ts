/**
 * Genesis of x/multistaking: `app_state.multistaking = { vaults, delegations, pool }`, every
 * stored field as JSON (amounts as decimal strings), so export → import reproduces the same
 * state bytes. While the module's store is not part of the state (before its upgrade), the
 * section is absent from exports and must be empty in a genesis.
 */
import type { Context } from '../../runtime/context';
import { ErrInvalidGenesis } from '../../runtime/errors';
import type { ModuleGenesis } from '../../runtime/module';
import { Delegation, RewardPool, Vault } from '../../proto/gen/sekai/multistaking/v1/multistaking';
import type { MultistakingKeeper } from './keeper';
import { ActivatedAt } from './types/keys';

export interface MultistakingGenesis {
  vaults: unknown[];
  delegations: unknown[];
  pool?: unknown;
}

function parse(json: unknown): { vaults: Vault[]; delegations: Delegation[]; pool?: RewardPool } {
  if (json === undefined || json === null) return { vaults: [], delegations: [] };
  if (typeof json !== 'object' || Array.isArray(json)) throw ErrInvalidGenesis.wrap('multistaking: must be an object');
  const g = json as Partial<MultistakingGenesis>;
  const list = (name: 'vaults' | 'delegations'): unknown[] => {
    const v = g[name] ?? [];
    if (!Array.isArray(v)) throw ErrInvalidGenesis.wrap(`multistaking.${name}: must be an array`);
    return v;
  };
  const each = <T>(name: string, items: unknown[], fromJSON: (o: unknown) => T): T[] =>
    items.map((o, i) => {
      try {
        return fromJSON(o);
      } catch (err) {
        throw ErrInvalidGenesis.wrap(`multistaking.${name}[${i}]: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  return {
    vaults: each('vaults', list('vaults'), (o) => Vault.fromJSON(o)),
    delegations: each('delegations', list('delegations'), (o) => Delegation.fromJSON(o)),
    pool: g.pool === undefined ? undefined : RewardPool.fromJSON(g.pool),
  };
}

export function multistakingGenesis(keeper: MultistakingKeeper, isActive: (height: number) => boolean): ModuleGenesis {
  return {
    // No section by default: genesis files written before the module keep their bytes.
    defaultGenesis: () => undefined,
    validateGenesis: (json) => void parse(json),
    initGenesis(ctx: Context, json: unknown): void {
      const g = parse(json);
      if (!isActive(ctx.height)) {
        if (g.vaults.length > 0 || g.delegations.length > 0 || g.pool) {
          throw ErrInvalidGenesis.wrap('multistaking: this chain adds the module at the "multistaking" upgrade; start it with the store active from genesis to import delegations');
        }
        return;
      }
      ActivatedAt.set(ctx, ctx.height);
      for (const v of g.vaults) keeper.importVault(ctx, v);
      for (const d of g.delegations) keeper.importDelegation(ctx, d);
      if (g.pool) keeper.importPool(ctx, g.pool);
    },
    exportGenesis(ctx: Context): MultistakingGenesis | undefined {
      if (!isActive(ctx.height)) return undefined;
      return {
        vaults: keeper.vaults(ctx).map((v) => Vault.toJSON(v)),
        delegations: keeper.allDelegations(ctx).map((d) => Delegation.toJSON(d)),
        pool: RewardPool.toJSON(keeper.pool(ctx)),
      };
    },
  };
}
