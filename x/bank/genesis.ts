/**
 * x/bank genesis: `app_state.bank`.
 *
 *   {
 *     "params": { "send_cap": "1000000" },                       // whole coins per message; "0" = no cap
 *     "balances": [{ "address": "kira1…", "coins": [{ "denom": "ukex", "amount": "100" }] }],
 *     "supply": [{ "denom": "ukex", "amount": "100" }],           // optional; must equal Σ balances
 *     "denom_metadata": [ <cosmos.bank.v1beta1.Metadata as proto JSON> ]
 *   }
 *
 * `address` may be any account reference x/accountid resolves (x/accountid's genesis runs
 * first), which is the shape `sekaid-ts genesis add-genesis-account` writes.
 */
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import type { Context } from '../../runtime/context';
import { ErrInvalidGenesis } from '../../runtime/errors';
import type { ModuleGenesis } from '../../runtime/module';
import { Coins } from '../../types/coins';
import { DEFAULT_SEND_CAP, validateMetadata, type BankKeeperImpl } from './keeper';

export interface BankGenesisJson {
  params?: { send_cap?: string };
  balances: { address: string; coins: { denom: string; amount: string }[] }[];
  supply?: { denom: string; amount: string }[];
  denom_metadata?: unknown[];
}

/** KEX: base ukex, display kex (10^6), as KIRA defines it. */
export const KEX_METADATA: Metadata = Metadata.fromPartial({
  description: 'The native staking and fee token of KIRA',
  denomUnits: [
    { denom: 'ukex', exponent: 0, aliases: ['microkex'] },
    { denom: 'kex', exponent: 6, aliases: [] },
  ],
  base: 'ukex',
  display: 'kex',
  name: 'KEX',
  symbol: 'KEX',
});

function fail(field: string, err: unknown): never {
  throw ErrInvalidGenesis.wrap(`${field}: ${err instanceof Error ? err.message : String(err)}`);
}

export function parseBankGenesis(json: unknown): { sendCap: bigint; balances: { address: string; coins: Coins }[]; supply?: Coins; metadata: Metadata[] } {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw ErrInvalidGenesis.wrap('bank: must be an object');
  const g = json as Partial<BankGenesisJson>;
  const capText = g.params?.send_cap ?? DEFAULT_SEND_CAP.toString();
  if (typeof capText !== 'string' || !/^(0|[1-9][0-9]{0,30})$/.test(capText)) throw ErrInvalidGenesis.wrap(`bank.params.send_cap: ${JSON.stringify(capText)} is not a decimal integer`);
  if (g.balances !== undefined && !Array.isArray(g.balances)) throw ErrInvalidGenesis.wrap('bank.balances: must be an array');
  const seen = new Set<string>();
  const balances = (g.balances ?? []).map((b, i) => {
    if (typeof b?.address !== 'string' || b.address === '') throw ErrInvalidGenesis.wrap(`bank.balances[${i}].address: missing`);
    if (seen.has(b.address)) throw ErrInvalidGenesis.wrap(`bank.balances[${i}].address: ${b.address} is listed twice`);
    seen.add(b.address);
    let coins: Coins;
    try {
      coins = Coins.fromProto(b.coins ?? []);
    } catch (err) {
      fail(`bank.balances[${i}].coins`, err);
    }
    return { address: b.address, coins };
  });
  let supply: Coins | undefined;
  if (g.supply !== undefined) {
    try {
      supply = Coins.fromProto(g.supply);
    } catch (err) {
      fail('bank.supply', err);
    }
    const sum = balances.reduce((s, b) => s.add(b.coins), Coins.empty());
    if (!sum.equals(supply)) throw ErrInvalidGenesis.wrap(`bank.supply: ${supply.toString() || '0'} is not the sum of balances ${sum.toString() || '0'}`);
  }
  const bases = new Set<string>();
  const metadata = (g.denom_metadata ?? []).map((j, i) => {
    let md: Metadata;
    try {
      md = Metadata.fromJSON(j);
      validateMetadata(md);
    } catch (err) {
      fail(`bank.denom_metadata[${i}]`, err);
    }
    if (bases.has(md.base)) throw ErrInvalidGenesis.wrap(`bank.denom_metadata[${i}]: ${md.base} is listed twice`);
    bases.add(md.base);
    return md;
  });
  return { sendCap: BigInt(capText), balances, supply, metadata };
}

export function bankGenesis(k: BankKeeperImpl): ModuleGenesis {
  return {
    defaultGenesis: (): BankGenesisJson => ({
      params: { send_cap: DEFAULT_SEND_CAP.toString() },
      balances: [],
      supply: [],
      denom_metadata: [Metadata.toJSON(KEX_METADATA)],
    }),
    validateGenesis: (json) => void parseBankGenesis(json),
    initGenesis: (ctx: Context, json) => {
      const g = parseBankGenesis(json);
      k.setSendCap(ctx, g.sendCap);
      for (const md of g.metadata) k.setMetadata(ctx, md);
      // Resolve all first, then write in AccountID order: list order never changes the writes.
      const resolved = g.balances.map((b, i) => {
        const id = k.accounts.tryResolve(ctx, b.address);
        if (id === undefined) throw ErrInvalidGenesis.wrap(`bank.balances[${i}].address: ${b.address} is not an account in app_state.accountid`);
        return { id, coins: b.coins };
      });
      resolved.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
      for (let i = 1; i < resolved.length; i++) {
        if (resolved[i].id === resolved[i - 1].id) throw ErrInvalidGenesis.wrap(`bank.balances: account ${resolved[i].id} is listed twice`);
      }
      for (const r of resolved) k.initBalance(ctx, r.id, r.coins);
    },
    exportGenesis: (ctx: Context): BankGenesisJson => {
      const byId = new Map<bigint, { denom: string; amount: string }[]>();
      const order: bigint[] = [];
      k.forEachBalance(ctx, (id, denom, amount) => {
        if (!byId.has(id)) {
          byId.set(id, []);
          order.push(id);
        }
        byId.get(id)!.push({ denom, amount: amount.toString() });
      });
      const balances = order
        .map((id) => ({ address: k.accounts.addressOf(ctx, id), coins: byId.get(id)! }))
        .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
      return {
        params: { send_cap: k.sendCap(ctx).toString() },
        balances,
        supply: k.totalSupply(ctx).toProto(),
        denom_metadata: k.allMetadata(ctx).map((m) => Metadata.toJSON(m)),
      };
    },
  };
}
