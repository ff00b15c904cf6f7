/**
 * x/accountid genesis: `app_state.accountid`.
 *
 *   {
 *     "accounts": [{ "account_number": "0", "address": "kira1…",            // required
 *                    "name": "alice", "pub_keys": ["<base64 33 bytes>"],   // optional
 *                    "wallets": ["eth:0x…"], "sequence": "0", "module": "",
 *                    "retired_addresses": ["kira1…"] }],
 *     "next_account_id": "2"                                               // optional
 *   }
 *
 * This is the shape `sekaid-ts genesis add-genesis-account` writes (address and
 * account_number), extended with the optional fields export needs to reproduce state
 * exactly. After the listed accounts, every module account that is missing is created
 * (in sorted module order) with the next IDs.
 */
import type { Context } from '../../runtime/context';
import { ErrInvalidGenesis } from '../../runtime/errors';
import type { ModuleGenesis } from '../../runtime/module';
import { accAddressFromSecp256k1, addressFromBech32, addressToBech32 } from '../../crypto/address';
import { Account } from '../../proto/gen/sekai/accountid/v1/account';
import type { AccountIdKeeper } from './keeper';
import { isSystemName, moduleAccountName, validateName, validateUserName } from './names';
import { MAX_ACCOUNT_ID } from './types/keys';
import { parseWallet } from './wallet';

export interface GenesisAccountJson {
  account_number: string;
  address: string;
  name?: string;
  pub_keys?: string[];
  wallets?: string[];
  sequence?: string;
  module?: string;
  /** Addresses of removed keys: they keep pointing at this account (see keeper.addKey). */
  retired_addresses?: string[];
}

export interface AccountIdGenesisJson {
  accounts: GenesisAccountJson[];
  next_account_id?: string;
}

function uint64(text: unknown, field: string): bigint {
  if (typeof text !== 'string' || !/^(0|[1-9][0-9]*)$/.test(text) || BigInt(text) > MAX_ACCOUNT_ID) {
    throw ErrInvalidGenesis.wrap(`${field}: ${JSON.stringify(text)} is not a uint64 decimal string`);
  }
  return BigInt(text);
}

function fail(field: string, err: unknown): never {
  throw ErrInvalidGenesis.wrap(`${field}: ${err instanceof Error ? err.message : String(err)}`);
}

/** Parses and checks a genesis section into account records (state-free checks only). */
export function parseAccountIdGenesis(json: unknown): { accounts: { account: Account; retired: Uint8Array[] }[]; nextId: bigint } {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw ErrInvalidGenesis.wrap('accountid: must be an object');
  const g = json as Partial<AccountIdGenesisJson>;
  const list = g.accounts ?? [];
  if (!Array.isArray(list)) throw ErrInvalidGenesis.wrap('accountid.accounts: must be an array');
  const ids = new Set<bigint>();
  const addresses = new Set<string>();
  const names = new Set<string>();
  const wallets = new Set<string>();
  let maxNext = 0n;
  const accounts = list.map((j, i) => {
    const where = `accountid.accounts[${i}]`;
    if (j === null || typeof j !== 'object') throw ErrInvalidGenesis.wrap(`${where}: must be an object`);
    const id = uint64(j.account_number, `${where}.account_number`);
    if (id === MAX_ACCOUNT_ID) throw ErrInvalidGenesis.wrap(`${where}.account_number: the largest uint64 is not an AccountID`);
    if (ids.has(id)) throw ErrInvalidGenesis.wrap(`${where}.account_number: ${id} is used twice`);
    ids.add(id);
    if (id + 1n > maxNext) maxNext = id + 1n;
    let address: Uint8Array;
    try {
      address = addressFromBech32('account', String(j.address));
    } catch (err) {
      fail(`${where}.address`, err);
    }
    const claimAddress = (a: Uint8Array, field: string) => {
      const text = addressToBech32('account', a);
      if (addresses.has(text)) throw ErrInvalidGenesis.wrap(`${field}: ${text} belongs to two accounts`);
      addresses.add(text);
    };
    claimAddress(address, `${where}.address`);
    const module = j.module ?? '';
    const name = j.name ?? '';
    if (name !== '') {
      try {
        if (module !== '') {
          if (name !== moduleAccountName(module)) throw new Error(`a module account is named ${moduleAccountName(module)}`);
        } else {
          validateUserName(name);
        }
      } catch (err) {
        fail(`${where}.name`, err);
      }
      if (names.has(name)) throw ErrInvalidGenesis.wrap(`${where}.name: ${name} is used twice`);
      names.add(name);
    } else if (module !== '') {
      throw ErrInvalidGenesis.wrap(`${where}.name: module account ${module} must be named ${module}@sys`);
    }
    const pubKeys = (j.pub_keys ?? []).map((b64, k) => {
      const key = Buffer.from(String(b64), 'base64');
      let addr: Uint8Array;
      try {
        addr = accAddressFromSecp256k1(key);
      } catch (err) {
        fail(`${where}.pub_keys[${k}]`, err);
      }
      // The home address may be the address of one of the keys; any other key address is new.
      if (!Buffer.from(addr).equals(Buffer.from(address))) claimAddress(addr, `${where}.pub_keys[${k}]`);
      return key;
    });
    if (module !== '' && pubKeys.length > 0) throw ErrInvalidGenesis.wrap(`${where}.pub_keys: module accounts have no keys`);
    const ws = (j.wallets ?? []).map((w, k) => {
      try {
        parseWallet(String(w));
      } catch (err) {
        fail(`${where}.wallets[${k}]`, err);
      }
      if (wallets.has(w)) throw ErrInvalidGenesis.wrap(`${where}.wallets[${k}]: ${w} belongs to two accounts`);
      wallets.add(w);
      return w;
    });
    const retired = (j.retired_addresses ?? []).map((text, k) => {
      let a: Uint8Array;
      try {
        a = addressFromBech32('account', String(text));
      } catch (err) {
        fail(`${where}.retired_addresses[${k}]`, err);
      }
      claimAddress(a, `${where}.retired_addresses[${k}]`);
      return a;
    });
    const sequence = j.sequence === undefined ? 0n : uint64(j.sequence, `${where}.sequence`);
    return { account: Account.fromPartial({ id, name, pubKeys, wallets: [...ws].sort(), sequence, address: Buffer.from(address), module }), retired };
  });
  for (const { account: a } of accounts) {
    if (a.name !== '') {
      try {
        validateName(a.name);
      } catch (err) {
        fail(`accountid account ${a.id}.name`, err);
      }
      if (a.module === '' && isSystemName(a.name)) throw ErrInvalidGenesis.wrap(`accountid account ${a.id}.name: ${a.name} is reserved`);
    }
  }
  const nextId = g.next_account_id === undefined ? maxNext : uint64(g.next_account_id, 'accountid.next_account_id');
  if (nextId < maxNext) throw ErrInvalidGenesis.wrap(`accountid.next_account_id: ${nextId} is not above every account_number (${maxNext - 1n})`);
  return { accounts, nextId };
}

export function accountIdGenesis(k: AccountIdKeeper): ModuleGenesis {
  return {
    defaultGenesis: (): AccountIdGenesisJson => ({ accounts: [] }),
    validateGenesis: (json) => void parseAccountIdGenesis(json),
    initGenesis: (ctx: Context, json) => {
      const { accounts, nextId } = parseAccountIdGenesis(json);
      // Sorted by ID, so the order of the JSON list never changes the writes.
      for (const { account: a, retired } of [...accounts].sort((x, y) => (x.account.id < y.account.id ? -1 : x.account.id > y.account.id ? 1 : 0))) {
        try {
          k.importAccount(ctx, a, retired);
        } catch (err) {
          fail(`accountid account ${a.id}`, err);
        }
      }
      k.setNextId(ctx, nextId);
      for (const m of k.moduleAccounts()) {
        try {
          k.ensureModuleAccount(ctx, m);
        } catch (err) {
          fail(`accountid module account ${m}`, err);
        }
      }
    },
    exportGenesis: (ctx: Context): AccountIdGenesisJson => {
      const accounts: GenesisAccountJson[] = [];
      const retired = new Map<bigint, string[]>();
      for (const { address, id } of k.addressIndex(ctx)) {
        const list = retired.get(id) ?? [];
        list.push(addressToBech32('account', address));
        retired.set(id, list);
      }
      k.forEach(ctx, (a) => {
        const active = new Set([addressToBech32('account', a.address), ...a.pubKeys.map((p) => addressToBech32('account', accAddressFromSecp256k1(p)))]);
        // addressIndex is in byte order, so each list is sorted the same way on every node.
        const old = (retired.get(a.id) ?? []).filter((t) => !active.has(t));
        const j: GenesisAccountJson = { account_number: a.id.toString(), address: addressToBech32('account', a.address) };
        if (a.name !== '') j.name = a.name;
        if (a.pubKeys.length > 0) j.pub_keys = a.pubKeys.map((p) => Buffer.from(p).toString('base64'));
        if (a.wallets.length > 0) j.wallets = a.wallets;
        if (a.sequence !== 0n) j.sequence = a.sequence.toString();
        if (a.module !== '') j.module = a.module;
        if (old.length > 0) j.retired_addresses = old;
        accounts.push(j);
      });
      return { accounts, next_account_id: k.nextId(ctx).toString() };
    },
  };
}
