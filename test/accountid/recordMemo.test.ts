/**
 * The keeper's memo of decoded records must be invisible: every read returns what
 * decoding the stored bytes returns, and editing a returned record changes nothing stored
 * or remembered.
 */
import { Context } from '../../runtime/context';
import { accAddressFromSecp256k1 } from '../../crypto/address';
import { CacheMultiStore } from '../../store/rootmulti';
import { Lease } from '../../store/cachekv';
import { MemStore } from '../../store/memstore';
import { Account, AccountIdKeeper } from '../../x/accountid/keeper';
import { State } from '../../x/accountid/types/keys';
import { key } from './helpers';

function setup() {
  const base = new MemStore();
  const stores = new CacheMultiStore(() => base, ['accountid'], new Lease());
  const ctx = new Context({ mode: 'deliver', block: { chainId: 'memo-1', height: 1, time: { seconds: 1n, nanos: 0 }, proposer: new Uint8Array() }, stores });
  return { ctx, stores, keeper: new AccountIdKeeper() };
}

function stored(ctx: Context, id: bigint): Account {
  return Account.decode(ctx.store('accountid').get(State.accounts.key(id))!);
}

it('reads return exactly the decoding of the stored bytes, before and after edits', () => {
  const { ctx, stores, keeper } = setup();
  const k = key('memo');
  const home = accAddressFromSecp256k1(k.pub);
  const a = keeper.createAccount(ctx, home);
  keeper.registerName(ctx, a.id, 'memo.name');
  const runtime = keeper.resolveSigner(ctx, String(a.id))!;
  keeper.bindFirstPubKey(ctx, runtime, k.pub);
  keeper.setSequence(ctx, runtime, 41n);
  expect(keeper.get(ctx, a.id)).toEqual(stored(ctx, a.id));
  expect(keeper.get(ctx, a.id)!.sequence).toBe(41n);
  expect(keeper.addressOf(ctx, a.id)).toBe(k.address);

  // Editing what a read returned must not reach the next read (or the store).
  const copy = keeper.mustGet(ctx, a.id);
  copy.sequence = 99n;
  copy.pubKeys.push(Buffer.alloc(33, 2));
  copy.wallets.push('eth:0x00');
  copy.address[0] ^= 0xff;
  expect(keeper.get(ctx, a.id)).toEqual(stored(ctx, a.id));
  expect(keeper.get(ctx, a.id)!.sequence).toBe(41n);
  expect(keeper.addressOf(ctx, a.id)).toBe(k.address);

  // Through a branch that is written back, and one that is dropped.
  const tx = stores.branch();
  const txCtx = ctx.withStores(tx);
  keeper.setSequence(txCtx, runtime, 42n);
  expect(keeper.get(ctx, a.id)!.sequence).toBe(41n);
  tx.write();
  expect(keeper.get(ctx, a.id)!.sequence).toBe(42n);
  const dropped = stores.branch();
  keeper.setSequence(ctx.withStores(dropped), runtime, 43n);
  expect(keeper.get(ctx, a.id)).toEqual(stored(ctx, a.id));
  expect(keeper.get(ctx, a.id)!.sequence).toBe(42n);
});

it('an unknown bech32 address is refused every time, a known one resolves every time', () => {
  const { ctx, keeper } = setup();
  const k = key('memo-2');
  expect(keeper.tryResolve(ctx, k.address)).toBeUndefined();
  const a = keeper.createAccount(ctx, accAddressFromSecp256k1(k.pub));
  for (let i = 0; i < 3; i++) expect(keeper.tryResolve(ctx, k.address)).toBe(a.id);
  const broken = k.address.slice(0, -1) + (k.address.endsWith('q') ? 'p' : 'q');
  for (let i = 0; i < 2; i++) expect(() => keeper.tryResolve(ctx, broken)).toThrow(/not a kira account address/);
});
