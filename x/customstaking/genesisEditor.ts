/**
 * The genesis editor `sekaid-ts gentx-claim` and `testnet` use to seat a genesis validator
 * in x/customstaking's shape: sekai's `{val_key, pub_key, status, rank, streak}` plus the
 * moniker and operator address, refusing a second seat for the same operator, consensus
 * key or moniker. Pass it as `genesisEditors.validators`.
 */
import { addressFromBech32, addressToBech32 } from '../../crypto/address';
import { ed25519ToCosmosJson } from '../../crypto/keys';
import { ErrInvalidGenesis } from '../../runtime/errors';
import { ErrConsPubKeyExists, ErrMonikerExists, ErrValidatorAlreadyClaimed } from './types/errors';
import { normalizeMoniker } from './keeper';
import type { ValidatorJson } from './json';

export interface GenesisValidatorClaim {
  address: string;
  consPubKey: Uint8Array;
  moniker: string;
  genesisTime: string;
}

export const stakingGenesisEditor = {
  addValidator(appState: Record<string, unknown>, claim: GenesisValidatorClaim): void {
    const section = (appState.customstaking ??= { validators: [] }) as { validators?: Partial<ValidatorJson>[] };
    if (typeof section !== 'object' || section === null || Array.isArray(section)) throw ErrInvalidGenesis.wrap('app_state.customstaking must be an object');
    const validators = (section.validators ??= []);
    const valKey = addressToBech32('validator', addressFromBech32('account', claim.address));
    const pubKey = ed25519ToCosmosJson(claim.consPubKey);
    const moniker = normalizeMoniker(claim.moniker);
    if (validators.some((v) => v.val_key === valKey)) throw ErrValidatorAlreadyClaimed.wrap(`${valKey} is already a genesis validator`);
    // A consensus key shared by two validators halts the chain (KIRA testnet issue #7).
    if (validators.some((v) => v.pub_key?.key === pubKey.key)) throw ErrConsPubKeyExists.wrap(`consensus key ${pubKey.key}`);
    if (validators.some((v) => (v.moniker ?? '').toLowerCase() === moniker.toLowerCase())) throw ErrMonikerExists.wrap(JSON.stringify(moniker));
    validators.push({ val_key: valKey, pub_key: pubKey, status: 'ACTIVE', rank: '0', streak: '0', moniker, address: claim.address });
  },
};
