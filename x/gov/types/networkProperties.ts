/**
 * Network properties: sekai's governed chain parameters, typed. Each is stored under
 * its enum number as canonical text (an unsigned integer in decimal, a Dec with 18
 * fractional digits, `true`/`false`, or a string), so every node stores the same bytes.
 *
 * Defaults are sekai's (x/gov/types/genesis.go); COMMISSION_CHANGE_DELAY and JAIL_PERIOD
 * are sekai-ts additions read by x/customstaking and x/customslashing.
 */
import { Dec } from '../../../types/dec';
import { CodedError } from '../../../types/errors';
import { NetworkProperty, networkPropertyFromJSON, networkPropertyToJSON } from '../../../proto/gen/sekai/gov/v1/network_properties';
import { ErrInvalidNetworkProperty, ErrUnknownNetworkProperty } from './errors';

export { NetworkProperty };

export type PropertyKind = 'uint' | 'dec' | 'bool' | 'string';

export interface PropertySpec {
  kind: PropertyKind;
  default: string;
  /** Inclusive bounds for uint (bigint) and dec (decimal text) properties. */
  min?: string;
  max?: string;
  /**
   * Stored (and exported) only while its value differs from the default. Properties added
   * after chains were running are sparse, so their arrival changes no existing state bytes
   * or exported genesis: a chain that never sets them keeps today's AppHash.
   */
  sparse?: boolean;
}

/**
 * Time properties are int64 seconds added to block times; 2^62 keeps every sum far from
 * overflow while allowing any realistic period.
 */
const MAX_SECONDS = (1n << 62n).toString();
/** uint64 upper bound for counters and amounts. */
const UINT64_MAX = ((1n << 64n) - 1n).toString();

const u = (d: string, min = '0', max = UINT64_MAX): PropertySpec => ({ kind: 'uint', default: d, min, max });
const secs = (d: string, min = '0'): PropertySpec => ({ kind: 'uint', default: d, min, max: MAX_SECONDS });
const dec = (d: string, min = '0', max = '1'): PropertySpec => ({ kind: 'dec', default: d, min, max });
const bool = (d: boolean): PropertySpec => ({ kind: 'bool', default: String(d) });
const str = (d: string): PropertySpec => ({ kind: 'string', default: d });

const P = NetworkProperty;

/** Every property, by enum number. */
export const PROPERTY_SPECS: ReadonlyMap<NetworkProperty, PropertySpec> = new Map<NetworkProperty, PropertySpec>([
  [P.MIN_TX_FEE, u('100')],
  [P.MAX_TX_FEE, u('1000000', '1')],
  // A quorum of 0 would pass a proposal nobody voted on.
  [P.VOTE_QUORUM, dec('0.33', '0.01', '1')],
  // At least one second: a proposal must outlive the block that submits it.
  [P.MINIMUM_PROPOSAL_END_TIME, secs('300', '1')],
  [P.PROPOSAL_ENACTMENT_TIME, secs('300')],
  [P.MIN_PROPOSAL_END_BLOCKS, u('2', '0', '1000000000')],
  [P.MIN_PROPOSAL_ENACTMENT_BLOCKS, u('1', '0', '1000000000')],
  [P.ENABLE_FOREIGN_FEE_PAYMENTS, bool(true)],
  [P.MISCHANCE_RANK_DECREASE_AMOUNT, u('10')],
  [P.MAX_MISCHANCE, u('110')],
  [P.MISCHANCE_CONFIDENCE, u('10')],
  [P.INACTIVE_RANK_DECREASE_PERCENT, dec('0.50')],
  [P.POOR_NETWORK_MAX_BANK_SEND, u('1000000')],
  [P.MIN_VALIDATORS, u('1', '1')],
  [P.UNJAIL_MAX_TIME, secs('600')],
  [P.ENABLE_TOKEN_WHITELIST, bool(false)],
  [P.ENABLE_TOKEN_BLACKLIST, bool(true)],
  [P.MIN_IDENTITY_APPROVAL_TIP, u('200')],
  [P.UNIQUE_IDENTITY_KEYS, str('moniker,username')],
  [P.UBI_HARDCAP, u('6000000')],
  [P.VALIDATORS_FEE_SHARE, dec('0.50')],
  [P.INFLATION_RATE, dec('0.18')],
  [P.INFLATION_PERIOD, secs('31557600')],
  [P.UNSTAKING_PERIOD, secs('2629800')],
  [P.MAX_DELEGATORS, u('100')],
  [P.MIN_DELEGATION_PUSHOUT, u('10')],
  [P.SLASHING_PERIOD, secs('2629800')],
  [P.MAX_JAILED_PERCENTAGE, dec('0.25')],
  [P.MAX_SLASHING_PERCENTAGE, dec('0.005')],
  [P.MIN_CUSTODY_REWARD, u('200')],
  [P.MAX_CUSTODY_BUFFER_SIZE, u('10')],
  [P.MAX_CUSTODY_TX_SIZE, u('8192')],
  [P.ABSTENTION_RANK_DECREASE_AMOUNT, u('1')],
  [P.MAX_ABSTENTION, u('2', '1')],
  [P.MIN_COLLECTIVE_BOND, u('100000')],
  [P.MIN_COLLECTIVE_BONDING_TIME, secs('86400')],
  [P.MAX_COLLECTIVE_OUTPUTS, u('10')],
  [P.MIN_COLLECTIVE_CLAIM_PERIOD, secs('14400')],
  [P.VALIDATOR_RECOVERY_BOND, u('300000')],
  [P.MAX_ANNUAL_INFLATION, dec('0.35')],
  [P.MAX_PROPOSAL_TITLE_SIZE, u('128', '1', '1048576')],
  [P.MAX_PROPOSAL_DESCRIPTION_SIZE, u('1024', '1', '1048576')],
  [P.MAX_PROPOSAL_POLL_OPTION_SIZE, u('64')],
  [P.MAX_PROPOSAL_POLL_OPTION_COUNT, u('128')],
  [P.MAX_PROPOSAL_REFERENCE_SIZE, u('512')],
  [P.MAX_PROPOSAL_CHECKSUM_SIZE, u('128')],
  [P.MIN_DAPP_BOND, u('1000000')],
  [P.MAX_DAPP_BOND, u('10000000')],
  [P.DAPP_LIQUIDATION_THRESHOLD, u('100000000000')],
  [P.DAPP_LIQUIDATION_PERIOD, secs('2419200')],
  [P.DAPP_BOND_DURATION, secs('604800')],
  [P.DAPP_VERIFIER_BOND, dec('0.001')],
  [P.DAPP_AUTO_DENOUNCE_TIME, secs('60')],
  [P.DAPP_MISCHANCE_RANK_DECREASE_AMOUNT, u('1')],
  [P.DAPP_MAX_MISCHANCE, u('10')],
  [P.DAPP_INACTIVE_RANK_DECREASE_PERCENT, dec('0.10')],
  [P.DAPP_POOL_SLIPPAGE_DEFAULT, dec('0.1')],
  [P.MINTING_FT_FEE, u('100000000000000')],
  [P.MINTING_NFT_FEE, u('100000000000000')],
  [P.VETO_THRESHOLD, dec('0.3340')],
  [P.AUTOCOMPOUND_INTERVAL_NUM_BLOCKS, u('17280')],
  [P.DOWNTIME_INACTIVE_DURATION, secs('600')],
  [P.BRIDGE_ADDRESS, str('test')],
  // 14 days: delegators get two weeks' notice of a commission change.
  [P.COMMISSION_CHANGE_DELAY, secs('1209600')],
  // 7 days in jail before a validator may seek an unjail.
  [P.JAIL_PERIOD, secs('604800')],
  // 0 keeps seats free of deposits, as before deposits existed (Kroma mainnet: 10 000 KRO).
  [P.MIN_VALIDATOR_DEPOSIT, { ...u('0'), sparse: true }],
  // 7 days, Kroma mainnet's AssetManager MIN_DELEGATION_PERIOD (604 800 s).
  [P.MIN_DELEGATION_PERIOD, { ...secs('604800'), sparse: true }],
]);

/** True when `value` (canonical) must be kept in the store: false for a sparse property at its default. */
export function isStoredValue(p: NetworkProperty, value: string): boolean {
  return !(specOf(p).sparse === true && value === defaultValue(p));
}

/** All properties in enum order. */
export function allProperties(): NetworkProperty[] {
  // eslint-disable-next-line determinism/no-unordered-iteration -- sorted right here
  return [...PROPERTY_SPECS.keys()].sort((a, b) => a - b);
}

export function propertyName(p: NetworkProperty): string {
  return networkPropertyToJSON(p);
}

/** A property by enum name (any case) or number; throws ErrUnknownNetworkProperty. */
export function parsePropertyName(text: string): NetworkProperty {
  const candidate = /^\d+$/.test(text) ? Number(text) : text.toUpperCase();
  let p: NetworkProperty;
  try {
    p = networkPropertyFromJSON(candidate);
  } catch {
    throw ErrUnknownNetworkProperty.wrap(`"${text}"`);
  }
  if (!PROPERTY_SPECS.has(p)) throw ErrUnknownNetworkProperty.wrap(`"${text}"`);
  return p;
}

export function specOf(p: NetworkProperty): PropertySpec {
  const s = PROPERTY_SPECS.get(p);
  if (!s) throw ErrUnknownNetworkProperty.wrap(`number ${p}`);
  return s;
}

/**
 * Checks a value as a person or a proposal gives it and returns its canonical text;
 * throws ErrInvalidNetworkProperty naming the property, the expected type and the range.
 */
export function canonicalValue(p: NetworkProperty, value: string): string {
  const spec = specOf(p);
  const name = propertyName(p);
  switch (spec.kind) {
    case 'uint': {
      if (!/^\d+$/.test(value)) throw ErrInvalidNetworkProperty.wrap(`${name} takes an unsigned integer, got ${JSON.stringify(value)}`);
      const v = BigInt(value);
      if (v < BigInt(spec.min ?? '0') || v > BigInt(spec.max ?? UINT64_MAX)) {
        throw ErrInvalidNetworkProperty.wrap(`${name} must be between ${spec.min} and ${spec.max}, got ${v}`);
      }
      return v.toString();
    }
    case 'dec': {
      let d: Dec;
      try {
        d = Dec.fromString(value);
      } catch (err) {
        throw ErrInvalidNetworkProperty.wrap(`${name} takes a decimal such as 0.33, got ${JSON.stringify(value)} (${err instanceof CodedError ? err.message : 'unparsable'})`);
      }
      if (d.lt(Dec.fromString(spec.min ?? '0')) || d.gt(Dec.fromString(spec.max ?? '1'))) {
        throw ErrInvalidNetworkProperty.wrap(`${name} must be between ${spec.min} and ${spec.max}, got ${value}`);
      }
      return d.toString();
    }
    case 'bool':
      if (value !== 'true' && value !== 'false') throw ErrInvalidNetworkProperty.wrap(`${name} takes true or false, got ${JSON.stringify(value)}`);
      return value;
    case 'string':
      if (value.length > 1024) throw ErrInvalidNetworkProperty.wrap(`${name} is longer than 1024 characters`);
      return value;
  }
}

/** The canonical default of a property. */
export function defaultValue(p: NetworkProperty): string {
  return canonicalValue(p, specOf(p).default);
}

/**
 * The properties x/customstaking and x/customslashing read, in one narrow interface so
 * those modules need not know the property store.
 */
export interface ValidatorNetworkProperties {
  mischanceConfidence: bigint;
  maxMischance: bigint;
  mischanceRankDecreaseAmount: bigint;
  inactiveRankDecreasePercent: Dec;
  minValidators: bigint;
  /** Seconds. */
  commissionChangeDelay: bigint;
  /** Seconds. */
  jailPeriod: bigint;
  /** Seconds. */
  downtimeInactiveDuration: bigint;
  /** Seconds. */
  unjailMaxTime: bigint;
}

/** Validator deposits and delegation (x/customstaking, x/multistaking). */
export interface DepositNetworkProperties {
  /** ukex an ACTIVE validator must hold as deposit. */
  minValidatorDeposit: bigint;
  /** Seconds between the latest deposit or delegation and its withdrawal. */
  minDelegationPeriod: bigint;
}
