/**
 * The x/accountid keeper: owns account records and their indexes (types/keys.ts), resolves
 * references, and satisfies the runtime's `AccountKeeper` (runtime/expectedKeepers.ts).
 *
 * Caching: no state is cached here. Every read goes to the context's store branch, which
 * already buffers the block's writes; so nothing outlives a commit or a failed tx. The
 * memos of pure functions (record decoding, bech32) are in records.ts.
 */
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { AuthInfo, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Context } from '../../runtime/context';
import { ErrInvalidPubKey } from '../../runtime/errors';
import { FEE_COLLECTOR, type AccountKeeper, type RuntimeAccount } from '../../runtime/expectedKeepers';
import { accAddressFromSecp256k1, addressToBech32 } from '../../crypto/address';
import { verifySecp256k1 } from '../../crypto/secp256k1';
import { TxGas } from '../../runtime/gas';
import { Account } from '../../proto/gen/sekai/accountid/v1/account';
import type { StateMap } from '../../runtime/schema';
import type { KVReader } from '../../store/types';
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
import { accountBech32, bech32Account, copyAccount, moduleAddress, moduleAddressMemo, recordBech32, sameBytes } from './records';
import { MAX_ACCOUNT_ID, STORE_KEY, State } from './types/keys';
import { parseWallet, verifyWalletProof } from './wallet';

export { Account, accountBech32, bech32Account, moduleAddress };

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

export interface AccountIdKeeperDeps {
  /**
   * The module accounts genesis creates: every mounted module's `moduleAccounts`
   * (`defineModule`), collected by the app's wiring. Read at genesis, long after wiring, so
   * it may name modules built after this keeper. Default: the runtime's fee collector.
   */
  moduleAccounts?: () => readonly string[];
}

export class AccountIdKeeper implements AccountKeeper {
  readonly storeKey = STORE_KEY;

  constructor(private readonly deps: AccountIdKeeperDeps = {}) {}

  /** The module accounts genesis creates, sorted; a bad module name throws. */
  moduleAccounts(): string[] {
    const names = [...(this.deps.moduleAccounts?.() ?? [FEE_COLLECTOR])].sort();
    for (const m of names) moduleAccountName(m);
    return names;
  }

  // ------------------------------------------------------------------ records

  /** The account with this ID, if any. */
  get(ctx: StoreReader, id: bigint): Account | undefined {
    const a = State.accounts.get(ctx, id);
    return a ? copyAccount(a) : undefined;
  }

  /** As `mustGet`, shared with the decode memo: for reading only, never mutate it. */
  private view(ctx: StoreReader, id: bigint): Account {
    const a = State.accounts.get(ctx, id);
    if (!a) throw ErrUnknownAccount.wrap(`account ${id}`);
    return a;
  }

  /** The account with this ID; ErrUnknownAccount when there is none. */
  mustGet(ctx: StoreReader, id: bigint): Account {
    const a = this.get(ctx, id);
    if (!a) throw ErrUnknownAccount.wrap(`account ${id}`);
    return a;
  }

  private put(ctx: Context, account: Account): void {
    State.accounts.set(ctx, account.id, account);
  }

  /** Visits accounts in ID order from `startId` until `visit` returns false. O(accounts). */
  forEach(ctx: StoreReader, visit: (a: Account) => boolean | void, startId = 0n): void {
    for (const [id, a] of State.accounts.entries(ctx, { start: startId })) {
      if (a.id !== id) throw new Error(`x/accountid: record under id ${id} says ${a.id}`);
      if (visit(copyAccount(a)) === false) return;
    }
  }

  /** The ID the next new account receives. */
  nextId(ctx: StoreReader): bigint {
    return State.nextId.peek(ctx);
  }

  /**
   * Creates an account under a home address; it receives the next AccountID, which is
   * never handed out again. The address must not belong to an account yet.
   */
  createAccount(ctx: Context, address20: Uint8Array, opts: { module?: string; name?: string; id?: bigint } = {}): Account {
    const owner = State.addresses.get(ctx, address20);
    if (owner !== undefined) throw ErrKeyBound.wrap(`address ${addressToBech32('account', address20)} belongs to account ${owner}`);
    const next = this.nextId(ctx);
    const id = opts.id ?? next;
    if (id > MAX_ACCOUNT_ID - 1n) throw ErrAccountIdExhausted.wrap(`no AccountID after ${id}`);
    if (State.accounts.has(ctx, id)) throw ErrInvalidRef.wrap(`account ${id} already exists`);
    const account = Account.fromPartial({ id, address: Buffer.from(address20), module: opts.module ?? '', name: opts.name ?? '' });
    State.addresses.set(ctx, address20, id);
    if (account.name !== '') {
      if (State.names.has(ctx, account.name)) throw ErrNameTaken.wrap(account.name);
      State.names.set(ctx, account.name, id);
    }
    if (id >= next) State.nextId.set(ctx, id + 1n);
    ctx.gasMeter.consume(TxGas.newAccount, 'new account');
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
    const owner = State.addresses.get(ctx, address);
    if (owner !== undefined) {
      const a = this.mustGet(ctx, owner);
      if (a.module !== module) throw ErrKeyBound.wrap(`the address of module ${module} belongs to account ${a.id}`);
      return a;
    }
    return this.createAccount(ctx, address, { module, name: moduleAccountName(module) });
  }

  /** The AccountID of a module account; a missing one is a wiring bug. */
  moduleAccountId(ctx: StoreReader, module: string): bigint {
    const owner = State.addresses.get(ctx, moduleAddressMemo(module));
    if (owner === undefined) throw new Error(`x/accountid: module account ${module} does not exist`);
    return owner;
  }

  /** True when the account is a module account (cannot receive user transfers or sign). */
  isModuleAccount(ctx: StoreReader, id: bigint): boolean {
    const a = State.accounts.get(ctx, id);
    return a !== undefined && a.module !== '';
  }

  // ------------------------------------------------------------------ resolution

  /**
   * Turns a reference (decimal AccountID, name, bech32 address of any of the account's
   * keys, or wallet) into an AccountID; undefined when it names nothing. Malformed
   * references throw ErrInvalidRef.
   */
  tryResolve(ctx: StoreReader, ref: string): bigint | undefined {
    const parsed = parseRef(ref);
    switch (parsed.kind) {
      case 'id':
        return State.accounts.has(ctx, parsed.id) ? parsed.id : undefined;
      case 'name':
        return State.names.get(ctx, parsed.name);
      case 'wallet':
        return State.wallets.get(ctx, parsed.wallet);
      case 'address':
        return State.addresses.get(ctx, bech32Account(parsed.text));
    }
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
    return recordBech32(this.view(ctx, id).address);
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
    if (State.addresses.get(ctx, addr) !== a.id) {
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
    State.accounts.set(ctx, next.id, next);
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
      if (info.publicKey?.typeUrl === PubKey.typeUrl) out.push(PubKey.decode(info.publicKey.value).key);
    }
    return out;
  }

  // ------------------------------------------------------------------ names

  /** Gives an account without a name the (user) name `name`. */
  registerName(ctx: Context, id: bigint, name: string): void {
    validateUserName(name);
    const a = this.userAccount(ctx, id);
    if (a.name !== '') throw ErrAccountHasName.wrap(`account ${id} is already named ${a.name}`);
    const owner = State.names.get(ctx, name);
    if (owner !== undefined) throw ErrNameTaken.wrap(`${name} belongs to account ${owner}`);
    State.names.set(ctx, name, id);
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
    State.names.set(ctx, a.name, to);
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
    const owner = State.addresses.get(ctx, addr);
    if (owner !== undefined && owner !== id) throw ErrKeyBound.wrap(`${addressToBech32('account', addr)} belongs to account ${owner}`);
    if (a.pubKeys.length >= MAX_KEYS_PER_ACCOUNT) throw ErrTooManyKeys.wrap(`account ${id} has ${a.pubKeys.length} keys`);
    if (signature.length !== 64 || !verifySecp256k1(pubKey, addKeyProofDigest(ctx.chainId, id), signature)) {
      throw ErrInvalidKeyProof.wrap(`the new key must sign the add-key text for account ${id} on ${ctx.chainId}`);
    }
    State.addresses.set(ctx, addr, id);
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
    const owner = State.wallets.get(ctx, wallet);
    if (owner !== undefined) throw ErrWalletBound.wrap(`${wallet} belongs to account ${owner}`);
    if (a.wallets.length >= MAX_WALLETS_PER_ACCOUNT) throw ErrTooManyKeys.wrap(`account ${id} has ${a.wallets.length} wallets`);
    verifyWalletProof(ctx.chainId, id, wallet, signature);
    this.bindWallet(ctx, a, wallet);
  }

  /** Binds a wallet without a proof: for genesis and for modules that proved it (x/bridge). */
  bindWallet(ctx: Context, a: Account, wallet: string): void {
    parseWallet(wallet);
    const owner = State.wallets.get(ctx, wallet);
    if (owner !== undefined) throw ErrWalletBound.wrap(`${wallet} belongs to account ${owner}`);
    State.wallets.set(ctx, wallet, a.id);
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
    const owner = State.addresses.get(ctx, addr);
    if (owner !== undefined && owner !== id) return false;
    State.addresses.set(ctx, addr, id);
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
    State.wallets.delete(ctx, wallet);
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
    const claim = <K>(index: StateMap<K, bigint>, key: K, what: string) => {
      const owner = index.get(ctx, key);
      if (owner !== undefined && owner !== a.id) throw ErrKeyBound.wrap(`${what} of account ${a.id} belongs to account ${owner}`);
      index.set(ctx, key, a.id);
    };
    if (State.accounts.has(ctx, a.id)) throw ErrInvalidRef.wrap(`account ${a.id} is listed twice`);
    claim(State.addresses, a.address, `address ${addressToBech32('account', a.address)}`);
    for (const k of a.pubKeys) claim(State.addresses, keyAddress(k, ErrInvalidKey), 'a key');
    for (const r of retired) claim(State.addresses, r, `retired address ${addressToBech32('account', r)}`);
    if (a.name !== '') {
      validateName(a.name);
      if (State.names.has(ctx, a.name)) throw ErrNameTaken.wrap(a.name);
      claim(State.names, a.name, `name ${a.name}`);
    }
    for (const w of a.wallets) {
      parseWallet(w);
      if (State.wallets.has(ctx, w)) throw ErrWalletBound.wrap(w);
      claim(State.wallets, w, `wallet ${w}`);
    }
    if (a.id >= this.nextId(ctx)) State.nextId.set(ctx, a.id + 1n);
    this.put(ctx, a);
  }

  /** Raises the next AccountID (genesis may reserve IDs that were used before). */
  setNextId(ctx: Context, next: bigint): void {
    if (next > this.nextId(ctx)) State.nextId.set(ctx, next);
  }

  /**
   * Invariant: every account's home address, key addresses, name and wallets point back
   * at it, every index entry points at an existing account, and every ID is below the
   * next-ID counter (so no ID can be handed out twice). O(accounts + index entries).
   */
  checkIndexes(ctx: StoreReader): string | undefined {
    const next = this.nextId(ctx);
    let broken: string | undefined;
    this.forEach(ctx, (a) => {
      if (a.id >= next) broken = `account ${a.id} is not below the next id ${next}`;
      else if (State.addresses.get(ctx, a.address) !== a.id) broken = `home address of account ${a.id} points elsewhere`;
      else if (a.pubKeys.some((k) => State.addresses.get(ctx, accAddressFromSecp256k1(k)) !== a.id)) broken = `a key address of account ${a.id} points elsewhere`;
      else if (a.name !== '' && State.names.get(ctx, a.name) !== a.id) broken = `name ${a.name} of account ${a.id} points elsewhere`;
      else if (a.wallets.some((w) => State.wallets.get(ctx, w) !== a.id)) broken = `a wallet of account ${a.id} points elsewhere`;
      return broken === undefined;
    });
    if (broken) return broken;
    for (const { address, id } of this.addressIndex(ctx)) {
      if (!State.accounts.has(ctx, id)) return `address ${addressToBech32('account', address)} points at missing account ${id}`;
    }
    return undefined;
  }

  /** Every address index entry (for genesis export and invariants). O(addresses). */
  addressIndex(ctx: StoreReader): { address: Uint8Array; id: bigint }[] {
    const out: { address: Uint8Array; id: bigint }[] = [];
    for (const [address, id] of State.addresses.entries(ctx)) out.push({ address, id });
    return out;
  }
}

function keyAddress(pubKey: Uint8Array, err: typeof ErrInvalidKey): Uint8Array {
  try {
    return accAddressFromSecp256k1(pubKey);
  } catch {
    throw err.wrap('a secp256k1 public key is 33 bytes, compressed (0x02/0x03 prefix)');
  }
}
