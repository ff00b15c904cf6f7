/**
 * Genesis of x/customstaking: `app_state.customstaking = { validators: ValidatorJson[] }`.
 * The minimal entry `sekaid-ts gentx-claim` writes is sekai's shape
 * `{val_key, pub_key, status, rank, streak}` (plus `moniker`); every other field defaults.
 * initGenesis hands CometBFT the initial set: each ACTIVE validator with power 1.
 */
import type { Context } from '../../runtime/context';
import { ErrInvalidGenesis } from '../../runtime/errors';
import type { ModuleGenesis, ValidatorPowerUpdate } from '../../runtime/module';
import { addressToBech32, consAddressFromEd25519 } from '../../crypto/address';
import { Dec } from '../../types/dec';
import { consensusPower, normalizeMoniker, parseCommissionRate, type StakingKeeper } from './keeper';
import { validatorFromJson, validatorToJson, type ValidatorJson } from './json';
import type { Validator } from '../../proto/gen/sekai/staking/v1/staking';

export interface StakingGenesis {
  validators: Partial<ValidatorJson>[];
}

function parse(json: unknown): Validator[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw ErrInvalidGenesis.wrap('customstaking: must be an object');
  const list = (json as { validators?: unknown }).validators ?? [];
  if (!Array.isArray(list)) throw ErrInvalidGenesis.wrap('customstaking.validators: must be an array');
  const keys = new Set<string>();
  const cons = new Set<string>();
  const monikers = new Set<string>();
  return list.map((raw: unknown, i) => {
    const where = `customstaking.validators[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw ErrInvalidGenesis.wrap(`${where}: must be an object`);
    let v: Validator;
    try {
      v = validatorFromJson(raw as Partial<ValidatorJson>, where);
      if (v.moniker !== '') v.moniker = normalizeMoniker(v.moniker);
      v.commissionRate = parseCommissionRate(v.commissionRate || '0').toString();
      if (v.pendingCommissionRate !== '') v.pendingCommissionRate = parseCommissionRate(v.pendingCommissionRate).toString();
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw ErrInvalidGenesis.wrap(msg.startsWith(where) ? msg : `${where}: ${msg}`);
    }
    const k = Buffer.from(v.valKey).toString('hex');
    const c = Buffer.from(consAddressFromEd25519(v.pubKey)).toString('hex');
    if (keys.has(k)) throw ErrInvalidGenesis.wrap(`${where}.val_key: ${addressToBech32('validator', v.valKey)} appears twice`);
    // A consensus key shared by two validators halts the chain (KIRA testnet issue #7).
    if (cons.has(c)) throw ErrInvalidGenesis.wrap(`${where}.pub_key: consensus key used by two validators`);
    if (v.moniker !== '' && monikers.has(v.moniker.toLowerCase())) throw ErrInvalidGenesis.wrap(`${where}.moniker: ${JSON.stringify(v.moniker)} appears twice`);
    keys.add(k);
    cons.add(c);
    if (v.moniker !== '') monikers.add(v.moniker.toLowerCase());
    return v;
  });
}

export function stakingGenesis(keeper: StakingKeeper): ModuleGenesis {
  return {
    defaultGenesis: (): StakingGenesis => ({ validators: [] }),
    validateGenesis: (json) => void parse(json),
    initGenesis(ctx: Context, json: unknown): ValidatorPowerUpdate[] {
      const updates: ValidatorPowerUpdate[] = [];
      for (const v of parse(json)) {
        // The account record is x/accountid's; the operator's kira… address names it.
        const address = v.address || addressToBech32('account', v.valKey);
        const rec: Validator = {
          ...v,
          address,
          accountId: keeper.genesisAccount(ctx, address),
          commissionRate: v.commissionRate || Dec.ZERO.toString(),
        };
        keeper.importValidator(ctx, rec);
        const power = consensusPower(rec);
        if (power > 0n) updates.push({ ed25519PubKey: rec.pubKey, power });
      }
      return updates;
    },
    exportGenesis: (ctx: Context): StakingGenesis => ({ validators: keeper.validators(ctx).map(validatorToJson) }),
  };
}
