/**
 * config/genesis.json in CometBFT v0.38's format, with the checks CometBFT applies when it
 * loads the file (`GenesisDoc.ValidateAndComplete` and `ConsensusParams.ValidateBasic`), so a
 * file that passes here does not fail at node start; then each module's own check of its
 * `app_state` section through a registry.
 */
import { DEFAULT_BLOCK_MAX_GAS } from '../../runtime/gas';
import { ErrInvalidGenesis } from './errors';
import { ED25519_PUBKEY_TYPE, ed25519Address } from './nodeKeys';

/** CometBFT refuses longer chain IDs (types.MaxChainIDLen). */
export const MAX_CHAIN_ID_LEN = 50;
/** CometBFT's hard cap on block.max_bytes (types.MaxBlockSizeBytes, 100 MiB). */
export const MAX_BLOCK_SIZE_BYTES = 104857600;

export interface GenesisValidator {
  /** Upper-hex sha256(pubkey)[:20]. */
  address: string;
  pub_key: { type: string; value: string };
  /** Voting power as a decimal string. */
  power: string;
  name: string;
}

export interface ConsensusParamsJson {
  block: { max_bytes: string; max_gas: string };
  evidence: { max_age_num_blocks: string; max_age_duration: string; max_bytes: string };
  validator: { pub_key_types: string[] };
  version: { app: string };
  abci: { vote_extensions_enable_height: string };
}

export interface GenesisDoc {
  genesis_time: string;
  chain_id: string;
  initial_height: string;
  consensus_params: ConsensusParamsJson;
  validators: GenesisValidator[];
  app_hash: string;
  app_state: Record<string, unknown>;
}

/**
 * The modules' side of genesis: the default `app_state` (one section per module) and the
 * per-module validation. The app's module manager provides both.
 */
export interface GenesisModuleRegistry {
  defaultGenesis(): Record<string, unknown>;
  /** Throws an error naming the bad field. */
  validateGenesis(appState: Record<string, unknown>): void;
}

/** Until the app registers its modules: no sections, nothing to check. */
export const EMPTY_GENESIS_REGISTRY: GenesisModuleRegistry = {
  defaultGenesis: () => ({}),
  validateGenesis: () => undefined,
};

/** CometBFT v0.38 default consensus params, except block.max_gas (see below). */
export function defaultConsensusParams(): ConsensusParamsJson {
  return {
    // 22 MiB, CometBFT's default; sekai-ts blocks are far smaller, the mempool limits txs.
    // max_gas bounds a block's execution time (runtime/gas.ts: DEFAULT_BLOCK_MAX_GAS, a block
    // of maximal txs in about half the default 1 s block time, measured); CometBFT's is -1.
    block: { max_bytes: '22020096', max_gas: DEFAULT_BLOCK_MAX_GAS.toString() },
    // 100000 blocks and 48 h: evidence older than both is dropped (CometBFT defaults).
    evidence: { max_age_num_blocks: '100000', max_age_duration: '172800000000000', max_bytes: '1048576' },
    validator: { pub_key_types: ['ed25519'] },
    version: { app: '0' },
    abci: { vote_extensions_enable_height: '0' },
  };
}

/** RFC 3339 with nanoseconds as Go prints a UTC time.Time (trailing zeros trimmed). */
export function formatGenesisTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, (_m, ms: string) => (ms === '000' ? 'Z' : `.${ms.replace(/0+$/, '')}Z`));
}

export function newGenesisDoc(chainId: string, genesisTime: Date, registry: GenesisModuleRegistry = EMPTY_GENESIS_REGISTRY): GenesisDoc {
  return {
    genesis_time: formatGenesisTime(genesisTime),
    chain_id: chainId,
    initial_height: '1',
    consensus_params: defaultConsensusParams(),
    validators: [],
    app_hash: '',
    app_state: registry.defaultGenesis(),
  };
}

/** The genesis validator entry for an ed25519 consensus key (sekai voting power is always 1). */
export function genesisValidator(pubKey: Uint8Array, name: string, power = 1n): GenesisValidator {
  return {
    address: Buffer.from(ed25519Address(pubKey)).toString('hex').toUpperCase(),
    pub_key: { type: ED25519_PUBKEY_TYPE, value: Buffer.from(pubKey).toString('base64') },
    power: power.toString(),
    name,
  };
}

function fail(field: string, why: string): never {
  throw ErrInvalidGenesis.wrap(`${field}: ${why}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A decimal int64 carried as a JSON string (CometBFT's amino JSON for int64). */
function int64(field: string, v: unknown): bigint {
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) fail(field, `must be an integer in a string, got ${JSON.stringify(v)}`);
  const n = BigInt(v);
  if (n > 9223372036854775807n || n < -9223372036854775808n) fail(field, 'does not fit in int64');
  return n;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks a parsed genesis.json against CometBFT v0.38's rules and then the modules' rules;
 * returns it typed. Errors are ErrInvalidGenesis naming the field.
 */
export function validateGenesisDoc(json: unknown, registry: GenesisModuleRegistry = EMPTY_GENESIS_REGISTRY): GenesisDoc {
  if (!isObject(json)) fail('genesis', 'must be a JSON object');
  const doc = json;

  if (typeof doc.genesis_time !== 'string' || !RFC3339.test(doc.genesis_time) || Number.isNaN(Date.parse(doc.genesis_time))) {
    fail('genesis_time', `must be an RFC 3339 time such as 2024-01-02T15:04:05Z, got ${JSON.stringify(doc.genesis_time)}`);
  }
  if (typeof doc.chain_id !== 'string' || doc.chain_id.trim() === '') fail('chain_id', 'must not be empty');
  if (doc.chain_id.length > MAX_CHAIN_ID_LEN) fail('chain_id', `must be at most ${MAX_CHAIN_ID_LEN} characters, has ${doc.chain_id.length}`);
  if (int64('initial_height', doc.initial_height) < 0n) fail('initial_height', 'must not be negative');

  const cp = doc.consensus_params;
  if (!isObject(cp)) fail('consensus_params', 'must be an object');
  if (!isObject(cp.block)) fail('consensus_params.block', 'must be an object');
  const maxBytes = int64('consensus_params.block.max_bytes', cp.block.max_bytes);
  if (maxBytes === 0n || maxBytes < -1n) fail('consensus_params.block.max_bytes', 'must be -1 or greater than 0');
  if (maxBytes > BigInt(MAX_BLOCK_SIZE_BYTES)) fail('consensus_params.block.max_bytes', `must be at most ${MAX_BLOCK_SIZE_BYTES}`);
  if (int64('consensus_params.block.max_gas', cp.block.max_gas) < -1n) fail('consensus_params.block.max_gas', 'must be -1 or more');
  if (!isObject(cp.evidence)) fail('consensus_params.evidence', 'must be an object');
  if (int64('consensus_params.evidence.max_age_num_blocks', cp.evidence.max_age_num_blocks) <= 0n) fail('consensus_params.evidence.max_age_num_blocks', 'must be positive');
  if (int64('consensus_params.evidence.max_age_duration', cp.evidence.max_age_duration) <= 0n) fail('consensus_params.evidence.max_age_duration', 'must be a positive number of nanoseconds');
  const evBytes = int64('consensus_params.evidence.max_bytes', cp.evidence.max_bytes);
  if (evBytes < 0n) fail('consensus_params.evidence.max_bytes', 'must not be negative');
  const blockCap = maxBytes === -1n ? BigInt(MAX_BLOCK_SIZE_BYTES) : maxBytes;
  if (evBytes > blockCap) fail('consensus_params.evidence.max_bytes', `must not exceed block.max_bytes (${blockCap})`);
  if (!isObject(cp.validator) || !Array.isArray(cp.validator.pub_key_types) || cp.validator.pub_key_types.length === 0) {
    fail('consensus_params.validator.pub_key_types', 'must list at least one key type');
  }
  for (const t of cp.validator.pub_key_types) {
    if (t !== 'ed25519' && t !== 'secp256k1') fail('consensus_params.validator.pub_key_types', `unknown key type ${JSON.stringify(t)}`);
  }
  if (cp.version !== undefined) {
    if (!isObject(cp.version)) fail('consensus_params.version', 'must be an object');
    int64('consensus_params.version.app', cp.version.app);
  }
  if (cp.abci !== undefined) {
    if (!isObject(cp.abci)) fail('consensus_params.abci', 'must be an object');
    if (int64('consensus_params.abci.vote_extensions_enable_height', cp.abci.vote_extensions_enable_height) < 0n) {
      fail('consensus_params.abci.vote_extensions_enable_height', 'must not be negative');
    }
  }

  const validators = doc.validators ?? [];
  if (!Array.isArray(validators)) fail('validators', 'must be an array');
  const seen = new Set<string>();
  validators.forEach((v: unknown, i: number) => {
    const field = `validators[${i}]`;
    if (!isObject(v)) fail(field, 'must be an object');
    const pk = v.pub_key;
    if (!isObject(pk) || pk.type !== ED25519_PUBKEY_TYPE || typeof pk.value !== 'string') {
      fail(`${field}.pub_key`, `must be {"type":"${ED25519_PUBKEY_TYPE}","value":"<base64>"}`);
    }
    const raw = Buffer.from(pk.value, 'base64');
    if (raw.length !== 32) fail(`${field}.pub_key.value`, `must be 32 bytes, has ${raw.length}`);
    if (int64(`${field}.power`, v.power) <= 0n) fail(`${field}.power`, 'genesis validators must have positive voting power');
    const expected = Buffer.from(ed25519Address(raw)).toString('hex').toUpperCase();
    if (v.address !== undefined && v.address !== '' && v.address !== expected) {
      fail(`${field}.address`, `${String(v.address)} is not sha256(pub_key)[:20] = ${expected}`);
    }
    if (seen.has(expected)) fail(`${field}.pub_key`, 'the same consensus key appears twice');
    seen.add(expected);
  });

  if (doc.app_hash !== undefined && (typeof doc.app_hash !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(doc.app_hash))) {
    fail('app_hash', 'must be hex (usually empty)');
  }
  const appState = doc.app_state ?? {};
  if (!isObject(appState)) fail('app_state', 'must be an object');
  registry.validateGenesis(appState);
  return doc as unknown as GenesisDoc;
}
