/**
 * The x/accountid keeper: owns account records and their indexes, resolves references,
 * and satisfies the runtime's `AccountKeeper` (app/expectedKeepers.ts).
 *
 * Caching: no state is cached here. Every read goes to the context's store branch, which
 * already buffers the block's writes; so nothing outlives a commit or a failed tx, and
 * nothing depends on how long the process has lived (the lesson of the Kratos fork). What
 * is memoised are pure functions of immutable inputs — the decoding of a stored record
 * (by the identity of the stored bytes, which are never mutated), bech32 text ↔ address
 * and module addresses — whose hits return exactly what computing again would.
 */
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { AuthInfo, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Context } from '../../app/context';
import { ErrInvalidPubKey } from '../../app/errors';
import type { AccountKeeper, RuntimeAccount } from '../../app/expectedKeepers';
import { accAddressFromSecp256k1, addressFromBech32, addressToBech32 } from '../../crypto/address';
import { sha256 } from '../../crypto/hash';
import { verifySecp256k1 } from '../../crypto/secp256k1';
import { Account } from '../../proto/gen/sekai/accountid/v1/account';
import { keyString } from '../../store/memstore';
import type { KVReader, KVStore } from '../../store/types';
import { CodedError } from '../../types/errors';
import { UINT64_LIMIT, encodeAccount } from './codec';
import { moduleAccountName, parseRef, validateName, validateUserName } from './names';
import { addKeyProofDigest } from './proof';
import {
  ErrAccountHasName,
  ErrAccountHasNoName,
  ErrAccountIdExhausted,
  ErrInvalidKey,
  ErrInvalidKeyProof,
  ErrInvalidRef,
  ErrKeyAlreadyAdded,
  ErrKeyBound,
  ErrKeyNotOnAccount,
  ErrLastKey,
  ErrModuleAccount,
  ErrNameTaken,
  ErrSigningKey,
  ErrTooManyKeys,
  ErrUnknownAccount,
  ErrWalletBound,
  ErrWalletNotOnAccount,
} from './types/errors';
import { AccountEvents } from './types/events';
import { Keys, MAX_ACCOUNT_ID, STORE_KEY, decodeAccountId, encodeAccountId, idFromAccountKey } from './types/keys';
import { parseWallet, verifyWalletProof } from './wallet';

export { Account };

/** Anything that can hand out this module's store for reading (a Context or a QueryContext). */
export interface StoreReader {
  store(key: string): KVReader;
}

/**
 * Keys and wallets per account. Each costs a store index entry and grows the record every
 * tx rewrites (the sequence lives in it); 16 covers a person's devices and wallets.
 */
export const MAX_KEYS_PER_ACCOUNT = 16;
export const MAX_WALLETS_PER_ACCOUNT = 16;

/** Module accounts every chain has (created at genesis): fee collector, notary pay, bridge. */
export const DEFAULT_MODULE_ACCOUNTS = ['bridge', 'fee_collector', 'notarypay'] as const;

/** The Cosmos module-account address: sha256(module name)[:20]. */
export function moduleAddress(module: string): Uint8Array {
  return moduleAddressMemo(module).slice();
}

const moduleAddresses = new Map<string, Uint8Array>();

/** moduleAddress without the defensive copy; the result must not be mutated. */
function moduleAddressMemo(module: string): Uint8Array {
  let a = moduleAddresses.get(module);
  if (a === undefined) {
    a = sha256(new TextEncoder().encode(module)).slice(0, 20);
    // Module names come from the wiring (a handful), never from transactions.
    if (moduleAddresses.size < 256) moduleAddresses.set(module, a);
  }
  return a;
}

/**
 * Memo of a pure function from strings, bounded: emptied when full, which only costs
 * time. Used for bech32 text ↔ address, where every transfer converts the same few
 * addresses several times (signer, sender, recipient, events).
 */
class PureMemo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  set(key: string, value: V): void {
    if (this.map.size >= this.capacity) this.map.clear();
    this.map.set(key, value);
  }
}

/** 20 000 addresses of about 150 B per entry: a few MB, more than a block's distinct parties. */
const ADDRESS_MEMO_ENTRIES = 20_000;
const bech32OfAddress = new PureMemo<string>(ADDRESS_MEMO_ENTRIES);
const addressOfBech32 = new PureMemo<Uint8Array>(ADDRESS_MEMO_ENTRIES);


/** `addressToBech32('account', address20)`, memoised. */
export function accountBech32(address20: Uint8Array): string {
  const k = keyString(address20);
  let text = bech32OfAddress.get(k);
  if (text === undefined) {
    text = addressToBech32('account', address20);
    bech32OfAddress.set(k, text);
  }
  return text;
}

/**
 * Bech32 text of the `address` arrays of shared decoded records (`view`), which are never
 * written to: a pure function of the array, dying with it. Every transfer event names both
 * parties, so this skips the index-string lookup of `accountBech32`.
 */
const bech32OfRecordAddress = new WeakMap<Uint8Array, string>();

/**
 * Decoded records by the identity of their stored bytes. Stored arrays are never mutated
 * (store contract), so the decoding is a pure function of the array; entries die with the
 * arrays (a WeakMap), so nothing outlives the values the store still holds. Callers get
 * their own copy (`copyAccount`) because keeper methods edit the records they read.
 */
const decodedRecords = new WeakMap<Uint8Array, Account>();

function decodeRecord(raw: Uint8Array): Account {
  let a = decodedRecords.get(raw);
  if (a === undefined) {
    a = Account.decode(raw);
    decodedRecords.set(raw, a);
  }
  return a;
}

/** A record the caller may edit freely, bytes included, as a fresh decoding would be. */
function copyAccount(a: Account): Account {
  return { ...a, pubKeys: a.pubKeys.map((k) => Buffer.from(k)), wallets: a.wallets.slice(), address: Buffer.from(a.address) };
}

const SURROGATE = /[\ud800-\udfff]/;

/**
 * Records what `raw` (just encoded from `a`) decodes to, so the next read of the record
 * does not decode it: a snapshot with every field as `Account.decode` yields it (bytes as
 * Buffers, own arrays), detached from `a`, which its caller may keep editing. Values that
 * would not survive the uint64 encoding unchanged are left to the decoder.
 */
function rememberEncoded(raw: Uint8Array, a: Account): void {
  if (a.id < 0n || a.id >= UINT64_LIMIT || a.sequence < 0n || a.sequence >= UINT64_LIMIT) return;
  // UTF-8 encoding replaces lone surrogates, so such a string would not decode to itself.
  if (SURROGATE.test(a.name) || SURROGATE.test(a.module) || a.wallets.some((w) => SURROGATE.test(w))) return;
  decodedRecords.set(raw, {
    id: a.id,
    name: a.name,
    pubKeys: a.pubKeys.map((k) => Buffer.from(k)),
    wallets: a.wallets.slice(),
    sequence: a.sequence,
    address: Buffer.from(a.address),
    module: a.module,
  });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

export class AccountIdKeeper implements AccountKeeper {
  readonly storeKey = STORE_KEY;

  constructor(readonly moduleAccounts: readonly string[] = DEFAULT_MODULE_ACCOUNTS) {
    for (const m of moduleAccounts) moduleAccountName(m); // fails at wiring time on a bad module name
  }

  // ------------------------------------------------------------------ records

  /** The account with this ID, if any. */
  get(ctx: StoreReader, id: bigint): Account | undefined {
    return readAccount(ctx.store(this.storeKey), id);
  }

  /** As `mustGet`, shared with the decode memo: for reading only, never mutate it. */
  private view(ctx: StoreReader, id: bigint): Account {
    const raw = ctx.store(this.storeKey).get(Keys.account(id));
    if (!raw) throw ErrUnknownAccount.wrap(`account ${id}`);
    return decodeRecord(raw);
  }

  /** The account with this ID; ErrUnknownAccount when there is none. */
  mustGet(ctx: StoreReader, id: bigint): Account {
    const a = this.get(ctx, id);
    if (!a) throw ErrUnknownAccount.wrap(`account ${id}`);
    return a;
  }

  private put(ctx: Context, account: Account): void {
    const raw = encodeAccount(account);
    ctx.store(this.storeKey).set(Keys.account(account.id), raw);
    rememberEncoded(raw, account);
  }

  /** Visits accounts in ID order from `startId` until `visit` returns false. O(accounts). */
  forEach(ctx: StoreReader, visit: (a: Account) => boolean | void, startId = 0n): void {
    const [, end] = Keys.accountRange();
    for (const [key, value] of ctx.store(this.storeKey).iterator(Keys.account(startId), end)) {
      const a = Account.decode(value);
      if (a.id !== idFromAccountKey(key)) throw new Error(`x/accountid: record under id ${idFromAccountKey(key)} says ${a.id}`);
      if (visit(a) === false) return;
    }
  }

  /** The ID the next new account receives. */
  nextId(ctx: StoreReader): bigint {
    const raw = ctx.store(this.storeKey).get(Keys.nextId());
    return raw ? decodeAccountId(raw) : 0n;
  }

  /**
   * Creates an account under a home address; it receives the next AccountID, which is
   * never handed out again. The address must not belong to an account yet.
   */
  createAccount(ctx: Context, address20: Uint8Array, opts: { module?: string; name?: string; id?: bigint } = {}): Account {
    const store = ctx.store(this.storeKey);
    const owner = store.get(Keys.address(address20));
    if (owner) throw ErrKeyBound.wrap(`address ${addressToBech32('account', address20)} belongs to account ${decodeAccountId(owner)}`);
    const next = this.nextId(ctx);
    const id = opts.id ?? next;
    if (id > MAX_ACCOUNT_ID - 1n) throw ErrAccountIdExhausted.wrap(`no AccountID after ${id}`);
    if (store.has(Keys.account(id))) throw ErrInvalidRef.wrap(`account ${id} already exists`);
    const account = Account.fromPartial({ id, address: Buffer.from(address20), module: opts.module ?? '', name: opts.name ?? '' });
    store.set(Keys.address(address20), encodeAccountId(id));
    if (account.name !== '') {
      if (store.has(Keys.name(account.name))) throw ErrNameTaken.wrap(account.name);
      store.set(Keys.name(account.name), encodeAccountId(id));
    }
    if (id >= next) store.set(Keys.nextId(), encodeAccountId(id + 1n));
    this.put(ctx, account);
    ctx.events.emit(AccountEvents.created, [
      ['account_id', id.toString()],
      ['address', addressToBech32('account', address20)],
    ]);
    return account;
  }

  /** Creates the module account `module` (named `<module>@sys`) unless it exists. */
  ensureModuleAccount(ctx: Context, module: string): Account {
    const address = moduleAddress(module);
    const owner = ctx.store(this.storeKey).get(Keys.address(address));
    if (owner) {
      const a = this.mustGet(ctx, decodeAccountId(owner));
      if (a.module !== module) throw ErrKeyBound.wrap(`the address of module ${module} belongs to account ${a.id}`);
      return a;
    }
    return this.createAccount(ctx, address, { module, name: moduleAccountName(module) });
  }

  /** The AccountID of a module account; a missing one is a wiring bug. */
  moduleAccountId(ctx: StoreReader, module: string): bigint {
    const owner = ctx.store(this.storeKey).get(Keys.address(moduleAddressMemo(module)));
    if (!owner) throw new Error(`x/accountid: module account ${module} does not exist`);
    return decodeAccountId(owner);
  }

  /** True when the account is a module account (cannot receive user transfers or sign). */
  isModuleAccount(ctx: StoreReader, id: bigint): boolean {
    const raw = ctx.store(this.storeKey).get(Keys.account(id));
    return raw !== undefined && decodeRecord(raw).module !== '';
  }

  // ------------------------------------------------------------------ resolution

  /**
   * Turns a reference (decimal AccountID, name, bech32 address of any of the account's
   * keys, or wallet) into an AccountID; undefined when it names nothing. Malformed
   * references throw ErrInvalidRef.
   */
  tryResolve(ctx: StoreReader, ref: string): bigint | undefined {
    const store = ctx.store(this.storeKey);
    const parsed = parseRef(ref);
    let raw: Uint8Array | undefined;
    switch (parsed.kind) {
      case 'id':
        return store.has(Keys.account(parsed.id)) ? parsed.id : undefined;
      case 'name':
        raw = store.get(Keys.name(parsed.name));
        break;
      case 'wallet':
        raw = store.get(Keys.wallet(parsed.wallet));
        break;
      case 'address':
        raw = store.get(Keys.address(bech32Account(parsed.text)));
        break;
    }
    return raw ? decodeAccountId(raw) : undefined;
  }

  /** `tryResolve`, with ErrUnknownAccount when the reference names no account. */
  resolve(ctx: StoreReader, ref: string): bigint {
    const id = this.tryResolve(ctx, ref);
    if (id === undefined) throw ErrUnknownAccount.wrap(`no account is ${JSON.stringify(ref)}`);
    return id;
  }

  /**
   * Resolves a recipient: as `resolve`, except that an unknown bech32 address becomes a
   * new address-only account (funds sent to a fresh address are never lost).
   */
  resolveOrCreate(ctx: Context, ref: string): bigint {
    const id = this.tryResolve(ctx, ref);
    if (id !== undefined) return id;
    const parsed = parseRef(ref);
    if (parsed.kind !== 'address') throw ErrUnknownAccount.wrap(`no account is ${JSON.stringify(ref)}`);
    return this.createAccount(ctx, bech32Account(parsed.text)).id;
  }

  /** The canonical bech32 address of an account (its home address). */
  addressOf(ctx: StoreReader, id: bigint): string {
    const address = this.view(ctx, id).address;
    let text = bech32OfRecordAddress.get(address);
    if (text === undefined) {
      text = accountBech32(address);
      bech32OfRecordAddress.set(address, text);
    }
    return text;
  }

  // ------------------------------------------------------------------ runtime AccountKeeper

  /**
   * The runtime's view of a record. The key arrays are shared, not copied: the runtime
   * only reads them (RuntimeAccount.pubKeys is read-only), and records are never edited
   * in place once stored or remembered.
   */
  toRuntime(a: Account): RuntimeAccount {
    return {
      accountNumber: a.id,
      sequence: a.sequence,
      pubKeys: a.pubKeys,
      address: accountBech32(a.address),
    };
  }

  resolveSigner(ctx: Context, ref: string): RuntimeAccount | undefined {
    const id = this.tryResolve(ctx, ref);
    if (id === undefined) return undefined;
    return this.toRuntime(this.view(ctx, id));
  }

  /**
   * Binds the first key of an address-only account, as the Cosmos SDK does on first
   * use: the key's address must already point at this account (its home address).
   */
  bindFirstPubKey(ctx: Context, account: RuntimeAccount, pubKey: Uint8Array): RuntimeAccount {
    const a = this.mustGet(ctx, account.accountNumber);
    if (a.module !== '') throw ErrInvalidPubKey.wrap(`module account ${a.name} has no keys`);
    if (a.pubKeys.length > 0) throw ErrInvalidPubKey.wrap(`account ${a.id} already has keys`);
    const addr = keyAddress(pubKey, ErrInvalidPubKey);
    const owner = ctx.store(this.storeKey).get(Keys.address(addr));
    if (!owner || decodeAccountId(owner) !== a.id) {
      throw ErrInvalidPubKey.wrap(`key derives ${addressToBech32('account', addr)}, which is not an address of account ${a.id}`);
    }
    a.pubKeys = [Buffer.from(pubKey)];
    this.put(ctx, a);
    return this.toRuntime(a);
  }

  setSequence(ctx: Context, account: RuntimeAccount, sequence: bigint): void {
    // Every tx does this: a shallow edit of the shared record instead of a full copy. Its
    // arrays and bytes are the shared record's, which nothing edits, so the new record is
    // remembered as it is (what decoding its bytes gives) without the copies `put` makes.
    const next = { ...this.view(ctx, account.accountNumber), sequence };
    const raw = encodeAccount(next);
    ctx.store(this.storeKey).set(Keys.account(next.id), raw);
    if (sequence >= 0n && sequence < UINT64_LIMIT) decodedRecords.set(raw, next);
  }

  /**
   * The secp256k1 keys signing the current tx, read from its AuthInfo. A signer info
   * without a key signs with its account's only key, which can never be removed anyway.
   */
  signingKeys(ctx: Context): Uint8Array[] {
    if (!ctx.txBytes) return [];
    const auth = AuthInfo.decode(TxRaw.decode(ctx.txBytes).authInfoBytes);
    const out: Uint8Array[] = [];
    for (const info of auth.signerInfos) {
      if (info.publicKey?.typeUrl === '/cosmos.crypto.secp256k1.PubKey') out.push(PubKey.decode(info.publicKey.value).key);
    }
    return out;
  }

  // ------------------------------------------------------------------ names

  /** Gives an account without a name the (user) name `name`. */
  registerName(ctx: Context, id: bigint, name: string): void {
    validateUserName(name);
    const a = this.userAccount(ctx, id);
    if (a.name !== '') throw ErrAccountHasName.wrap(`account ${id} is already named ${a.name}`);
    const store = ctx.store(this.storeKey);
    const owner = store.get(Keys.name(name));
    if (owner) throw ErrNameTaken.wrap(`${name} belongs to account ${decodeAccountId(owner)}`);
    store.set(Keys.name(name), encodeAccountId(id));
    a.name = name;
    this.put(ctx, a);
    ctx.events.emit(AccountEvents.nameRegistered, [['account_id', id.toString()], ['name', name]]);
  }

  /** Moves `from`'s name to `to`, which must have none. */
  transferName(ctx: Context, from: bigint, to: bigint): void {
    const a = this.userAccount(ctx, from);
    if (a.name === '') throw ErrAccountHasNoName.wrap(`account ${from} has no name to transfer`);
    const b = this.userAccount(ctx, to);
    if (from === to) throw ErrAccountHasName.wrap(`account ${to} already holds ${a.name}`);
    if (b.name !== '') throw ErrAccountHasName.wrap(`account ${to} is already named ${b.name}`);
    ctx.store(this.storeKey).set(Keys.name(a.name), encodeAccountId(to));
    b.name = a.name;
    a.name = '';
    this.put(ctx, a);
    this.put(ctx, b);
    ctx.events.emit(AccountEvents.nameTransferred, [['name', b.name], ['from_account_id', from.toString()], ['to_account_id', to.toString()]]);
  }

  // ------------------------------------------------------------------ keys

  /**
   * Adds a key proved by `signature` (see proof.ts). Its address then resolves to the
   * account. An address that has ever pointed at another account is refused: addresses
   * stay with the account they first joined, so funds sent to an old address still
   * arrive where its owner expects.
   */
  addKey(ctx: Context, id: bigint, pubKey: Uint8Array, signature: Uint8Array): string {
    const addr = keyAddress(pubKey, ErrInvalidKey);
    const a = this.userAccount(ctx, id);
    if (a.pubKeys.some((k) => sameBytes(k, pubKey))) throw ErrKeyAlreadyAdded.wrap(`key of ${addressToBech32('account', addr)}`);
    const store = ctx.store(this.storeKey);
    const owner = store.get(Keys.address(addr));
    if (owner && decodeAccountId(owner) !== id) {
      throw ErrKeyBound.wrap(`${addressToBech32('account', addr)} belongs to account ${decodeAccountId(owner)}`);
    }
    if (a.pubKeys.length >= MAX_KEYS_PER_ACCOUNT) throw ErrTooManyKeys.wrap(`account ${id} has ${a.pubKeys.length} keys`);
    if (signature.length !== 64 || !verifySecp256k1(pubKey, addKeyProofDigest(ctx.chainId, id), signature)) {
      throw ErrInvalidKeyProof.wrap(`the new key must sign the add-key text for account ${id} on ${ctx.chainId}`);
    }
    store.set(Keys.address(addr), encodeAccountId(id));
    a.pubKeys = [...a.pubKeys, Buffer.from(pubKey)];
    this.put(ctx, a);
    const address = addressToBech32('account', addr);
    ctx.events.emit(AccountEvents.keyAdded, [['account_id', id.toString()], ['address', address]]);
    return address;
  }

  /**
   * Removes a key: never the last one and never one that signs this tx. The key's
   * address keeps pointing at the account (see addKey), but the key no longer signs.
   */
  removeKey(ctx: Context, id: bigint, pubKey: Uint8Array, signing: readonly Uint8Array[]): void {
    const a = this.userAccount(ctx, id);
    const index = a.pubKeys.findIndex((k) => sameBytes(k, pubKey));
    if (index === -1) throw ErrKeyNotOnAccount.wrap(`account ${id}`);
    if (a.pubKeys.length === 1) throw ErrLastKey.wrap(`account ${id} would have no key left`);
    if (signing.some((k) => sameBytes(k, pubKey))) throw ErrSigningKey.wrap('sign with another key of the account to remove this one');
    a.pubKeys = a.pubKeys.filter((_, i) => i !== index);
    this.put(ctx, a);
    ctx.events.emit(AccountEvents.keyRemoved, [['account_id', id.toString()], ['address', addressToBech32('account', accAddressFromSecp256k1(pubKey))]]);
  }

  // ------------------------------------------------------------------ wallets

  /** Links an external wallet after checking its proof (wallet.ts). */
  linkWallet(ctx: Context, id: bigint, wallet: string, signature: Uint8Array): void {
    parseWallet(wallet);
    const a = this.userAccount(ctx, id);
    const owner = ctx.store(this.storeKey).get(Keys.wallet(wallet));
    if (owner) throw ErrWalletBound.wrap(`${wallet} belongs to account ${decodeAccountId(owner)}`);
    if (a.wallets.length >= MAX_WALLETS_PER_ACCOUNT) throw ErrTooManyKeys.wrap(`account ${id} has ${a.wallets.length} wallets`);
    verifyWalletProof(ctx.chainId, id, wallet, signature);
    this.bindWallet(ctx, a, wallet);
  }

  /** Binds a wallet without a proof: for genesis and for modules that proved it (x/bridge). */
  bindWallet(ctx: Context, a: Account, wallet: string): void {
    parseWallet(wallet);
    const store = ctx.store(this.storeKey);
    const owner = store.get(Keys.wallet(wallet));
    if (owner) throw ErrWalletBound.wrap(`${wallet} belongs to account ${decodeAccountId(owner)}`);
    store.set(Keys.wallet(wallet), encodeAccountId(a.id));
    a.wallets = [...a.wallets, wallet].sort();
    this.put(ctx, a);
    ctx.events.emit(AccountEvents.walletLinked, [['account_id', a.id.toString()], ['wallet', wallet]]);
  }

  /**
   * Attaches a key without a proof, for modules that proved it themselves (x/bridge:
   * the bridge contract checked the key's registration and a listener quorum attested
   * it). Returns false, changing nothing, when the key's address already points at
   * another account, the key is on the account, or the account is full: a deposit must
   * never fail because of one key.
   */
  bindKey(ctx: Context, id: bigint, pubKey: Uint8Array): boolean {
    const addr = keyAddress(pubKey, ErrInvalidKey);
    const a = this.userAccount(ctx, id);
    if (a.pubKeys.some((k) => sameBytes(k, pubKey)) || a.pubKeys.length >= MAX_KEYS_PER_ACCOUNT) return false;
    const store = ctx.store(this.storeKey);
    const owner = store.get(Keys.address(addr));
    if (owner && decodeAccountId(owner) !== id) return false;
    store.set(Keys.address(addr), encodeAccountId(id));
    a.pubKeys = [...a.pubKeys, Buffer.from(pubKey)];
    this.put(ctx, a);
    ctx.events.emit(AccountEvents.keyAdded, [['account_id', id.toString()], ['address', addressToBech32('account', addr)]]);
    return true;
  }

  /** Unlinks a wallet; the wallet may later be linked to any account again. */
  unlinkWallet(ctx: Context, id: bigint, wallet: string): void {
    parseWallet(wallet);
    const a = this.userAccount(ctx, id);
    if (!a.wallets.includes(wallet)) throw ErrWalletNotOnAccount.wrap(`${wallet} is not linked to account ${id}`);
    if (a.pubKeys.length + a.wallets.length <= 1) throw ErrLastKey.wrap(`account ${id} would have no key or wallet left`);
    ctx.store(this.storeKey).delete(Keys.wallet(wallet));
    a.wallets = a.wallets.filter((w) => w !== wallet);
    this.put(ctx, a);
    ctx.events.emit(AccountEvents.walletUnlinked, [['account_id', id.toString()], ['wallet', wallet]]);
  }

  private userAccount(ctx: Context, id: bigint): Account {
    const a = this.mustGet(ctx, id);
    if (a.module !== '') throw ErrModuleAccount.wrap(`account ${id} (${a.name}) belongs to module ${a.module}`);
    return a;
  }

  /** Writes a record and its indexes as they are (genesis import); checks for clashes. */
  importAccount(ctx: Context, a: Account, retired: readonly Uint8Array[] = []): void {
    const store = ctx.store(this.storeKey);
    const claim = (key: Uint8Array, what: string) => {
      const owner = store.get(key);
      if (owner && decodeAccountId(owner) !== a.id) throw ErrKeyBound.wrap(`${what} of account ${a.id} belongs to account ${decodeAccountId(owner)}`);
      store.set(key, encodeAccountId(a.id));
    };
    if (store.has(Keys.account(a.id))) throw ErrInvalidRef.wrap(`account ${a.id} is listed twice`);
    claim(Keys.address(a.address), `address ${addressToBech32('account', a.address)}`);
    for (const k of a.pubKeys) claim(Keys.address(keyAddress(k, ErrInvalidKey)), 'a key');
    for (const r of retired) claim(Keys.address(r), `retired address ${addressToBech32('account', r)}`);
    if (a.name !== '') {
      validateName(a.name);
      if (store.has(Keys.name(a.name))) throw ErrNameTaken.wrap(a.name);
      claim(Keys.name(a.name), `name ${a.name}`);
    }
    for (const w of a.wallets) {
      parseWallet(w);
      if (store.has(Keys.wallet(w))) throw ErrWalletBound.wrap(w);
      claim(Keys.wallet(w), `wallet ${w}`);
    }
    if (a.id >= this.nextId(ctx)) store.set(Keys.nextId(), encodeAccountId(a.id + 1n));
    this.put(ctx, a);
  }

  /** Raises the next AccountID (genesis may reserve IDs that were used before). */
  setNextId(ctx: Context, next: bigint): void {
    if (next > this.nextId(ctx)) ctx.store(this.storeKey).set(Keys.nextId(), encodeAccountId(next));
  }

  /**
   * Invariant: every account's home address, key addresses, name and wallets point back
   * at it, every index entry points at an existing account, and every ID is below the
   * next-ID counter (so no ID can be handed out twice). O(accounts + index entries).
   */
  checkIndexes(ctx: StoreReader): string | undefined {
    const store = ctx.store(this.storeKey);
    const next = this.nextId(ctx);
    const owner = (key: Uint8Array) => {
      const raw = store.get(key);
      return raw ? decodeAccountId(raw) : undefined;
    };
    let broken: string | undefined;
    this.forEach(ctx, (a) => {
      if (a.id >= next) broken = `account ${a.id} is not below the next id ${next}`;
      else if (owner(Keys.address(a.address)) !== a.id) broken = `home address of account ${a.id} points elsewhere`;
      else if (a.pubKeys.some((k) => owner(Keys.address(accAddressFromSecp256k1(k))) !== a.id)) broken = `a key address of account ${a.id} points elsewhere`;
      else if (a.name !== '' && owner(Keys.name(a.name)) !== a.id) broken = `name ${a.name} of account ${a.id} points elsewhere`;
      else if (a.wallets.some((w) => owner(Keys.wallet(w)) !== a.id)) broken = `a wallet of account ${a.id} points elsewhere`;
      return broken === undefined;
    });
    if (broken) return broken;
    for (const { address, id } of this.addressIndex(ctx)) {
      if (!store.has(Keys.account(id))) return `address ${addressToBech32('account', address)} points at missing account ${id}`;
    }
    return undefined;
  }

  /** Every address index entry (for genesis export and invariants). O(addresses). */
  addressIndex(ctx: StoreReader): { address: Uint8Array; id: bigint }[] {
    const store = ctx.store(this.storeKey);
    const start = Keys.address(new Uint8Array(0));
    const end = Uint8Array.of(start[0] + 1);
    const out: { address: Uint8Array; id: bigint }[] = [];
    for (const [k, v] of store.iterator(start, end)) out.push({ address: k.slice(1), id: decodeAccountId(v) });
    return out;
  }
}

/** Reads a record straight from a store. */
export function readAccount(store: KVReader | KVStore, id: bigint): Account | undefined {
  const raw = store.get(Keys.account(id));
  return raw ? copyAccount(decodeRecord(raw)) : undefined;
}

/** The 20-byte address of a bech32 `kira1…` account address; ErrInvalidRef otherwise. */
export function bech32Account(text: string): Uint8Array {
  // Only valid addresses are remembered; malformed text takes the path that throws each time.
  const hit = addressOfBech32.get(text);
  if (hit !== undefined) return hit.slice();
  try {
    const address = addressFromBech32('account', text);
    addressOfBech32.set(text, address.slice());
    return address;
  } catch (err) {
    throw ErrInvalidRef.wrap(`${JSON.stringify(text)} is not a kira account address (${err instanceof CodedError ? err.description : 'malformed'})`);
  }
}

function keyAddress(pubKey: Uint8Array, err: typeof ErrInvalidKey): Uint8Array {
  try {
    return accAddressFromSecp256k1(pubKey);
  } catch {
    throw err.wrap('a secp256k1 public key is 33 bytes, compressed (0x02/0x03 prefix)');
  }
}
