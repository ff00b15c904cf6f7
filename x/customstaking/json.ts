/**
 * The JSON shape of a validator: sekai's (`val_key` kiravaloper…, `pub_key` as a Cosmos
 * `Any` with `@type` and `key`, `status` by name, `rank` and `streak` as strings) followed
 * by sekai-ts's own fields (moniker, operator account, commission, jail, power). Queries
 * print it and genesis stores it, so export → import reproduces the same records.
 */
import { addressFromBech32, addressToBech32, consAddressFromEd25519 } from '../../crypto/address';
import { ed25519FromJson, ed25519ToCosmosJson, type CosmosPubKeyJson } from '../../crypto/keys';
import { Validator, ValidatorStatus, validatorStatusFromJSON, validatorStatusToJSON } from '../../proto/gen/sekai/staking/v1/staking';

export interface ValidatorJson {
  val_key: string;
  pub_key: CosmosPubKeyJson;
  status: string;
  rank: string;
  streak: string;
  moniker: string;
  address: string;
  account_id: string;
  cons_address: string;
  commission_rate: string;
  pending_commission_rate: string;
  commission_change_initiated_at: string;
  jailed_at: string;
  jailed_until: string;
  inactive_until: string;
  power: string;
  start_height: string;
  /** Deposit fields appear only on seats that have them, so older exports stay byte-identical. */
  deposit?: string;
  withdraw_account?: string;
  last_deposited_at?: string;
}

export function validatorToJson(v: Validator): ValidatorJson {
  return {
    val_key: addressToBech32('validator', v.valKey),
    pub_key: ed25519ToCosmosJson(v.pubKey),
    status: validatorStatusToJSON(v.status),
    rank: v.rank.toString(),
    streak: v.streak.toString(),
    moniker: v.moniker,
    address: v.address,
    account_id: v.accountId.toString(),
    cons_address: addressToBech32('consensus', consAddressFromEd25519(v.pubKey)),
    commission_rate: v.commissionRate,
    pending_commission_rate: v.pendingCommissionRate,
    commission_change_initiated_at: v.commissionChangeInitiatedAt.toString(),
    jailed_at: v.jailedAt.toString(),
    jailed_until: v.jailedUntil.toString(),
    inactive_until: v.inactiveUntil.toString(),
    power: v.power.toString(),
    start_height: v.startHeight.toString(),
    ...(v.deposit !== '' ? { deposit: v.deposit } : {}),
    ...(v.withdrawAccount !== '' ? { withdraw_account: v.withdrawAccount } : {}),
    ...(v.lastDepositedAt !== 0n ? { last_deposited_at: v.lastDepositedAt.toString() } : {}),
  };
}

/**
 * One entry of `query customstaking validators`, sekaid's `QueryValidator`: the operator's
 * account and operator addresses, the consensus key and address as Go's String() prints
 * them (`PubKeyEd25519{HEX}`, upper-case hex), status by name, and the counters as strings.
 * `mischance` comes from the validator's signing info (x/customslashing); `identity` holds
 * identity records, of which sekai-ts keeps none, so it is empty.
 */
export interface QueryValidatorJson {
  address: string;
  valkey: string;
  pubkey: string;
  proposer: string;
  moniker: string;
  status: string;
  rank: string;
  streak: string;
  mischance: string;
  identity: never[];
}

export function queryValidatorJson(v: Validator, mischance: bigint): QueryValidatorJson {
  return {
    address: addressToBech32('account', v.valKey),
    valkey: addressToBech32('validator', v.valKey),
    pubkey: `PubKeyEd25519{${Buffer.from(v.pubKey).toString('hex').toUpperCase()}}`,
    proposer: Buffer.from(consAddressFromEd25519(v.pubKey)).toString('hex').toUpperCase(),
    moniker: v.moniker,
    status: validatorStatusToJSON(v.status),
    rank: v.rank.toString(),
    streak: v.streak.toString(),
    mischance: mischance.toString(),
    identity: [],
  };
}

const INT = /^-?\d+$/;

/** A record from JSON (genesis); `where` names the field in errors. Throws Error(message). */
export function validatorFromJson(j: Partial<ValidatorJson>, where: string): Validator {
  const field = (name: keyof ValidatorJson, why: string): never => {
    throw new Error(`${where}.${name}: ${why}`);
  };
  const int = (name: keyof ValidatorJson, min = 0n): bigint => {
    const raw = j[name];
    if (raw === undefined || raw === '') return 0n;
    if (typeof raw !== 'string' || !INT.test(raw)) return field(name, `must be an integer string, got ${JSON.stringify(raw)}`);
    const n = BigInt(raw);
    if (n < min) return field(name, `must be >= ${min}`);
    return n;
  };
  let valKey: Uint8Array;
  try {
    valKey = addressFromBech32('validator', String(j.val_key));
  } catch (err) {
    return field('val_key', `${JSON.stringify(j.val_key)} is not a kiravaloper address (${(err as Error).message})`);
  }
  let pubKey: Uint8Array;
  try {
    pubKey = ed25519FromJson(j.pub_key);
  } catch (err) {
    return field('pub_key', (err as Error).message);
  }
  const status = validatorStatusFromJSON(j.status ?? 'ACTIVE');
  if (status === ValidatorStatus.UNDEFINED || status === ValidatorStatus.UNRECOGNIZED) {
    field('status', `must be ACTIVE, INACTIVE, PAUSED or JAILED, got ${JSON.stringify(j.status)}`);
  }
  return {
    valKey: Buffer.from(valKey),
    pubKey: Buffer.from(pubKey),
    status,
    rank: int('rank'),
    streak: int('streak'),
    moniker: typeof j.moniker === 'string' ? j.moniker.trim() : '',
    accountId: int('account_id'),
    address: typeof j.address === 'string' ? j.address : '',
    commissionRate: j.commission_rate ?? '',
    pendingCommissionRate: j.pending_commission_rate ?? '',
    commissionChangeInitiatedAt: int('commission_change_initiated_at'),
    jailedUntil: int('jailed_until'),
    jailedAt: int('jailed_at'),
    inactiveUntil: int('inactive_until'),
    power: int('power'),
    startHeight: int('start_height'),
    deposit: int('deposit') === 0n ? '' : int('deposit').toString(),
    withdrawAccount: typeof j.withdraw_account === 'string' ? j.withdraw_account : '',
    lastDepositedAt: int('last_deposited_at'),
  };
}

/** Parses `--pubkey` input: Cosmos JSON (`{"@type":"/cosmos.crypto.ed25519.PubKey","key":…}`) or CometBFT JSON. */
export function parsePubKeyArg(text: string): Uint8Array {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`--pubkey must be JSON such as {"@type":"/cosmos.crypto.ed25519.PubKey","key":"<base64>"}`);
  }
  return ed25519FromJson(json);
}
