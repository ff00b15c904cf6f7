/**
 * x/accountid and x/bank through the real app: IDs, names, keys, wallets, transfers by
 * ID / name / address, the Cosmos queries wallets call, and bad input with its own code
 * and no state change.
 */
import { rmSync } from 'node:fs';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { BaseAccount, ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QueryBalanceResponse, QueryTotalSupplyRequest, QueryTotalSupplyResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { MsgMultiSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { QueryAccountRequest as SekaiReq, QueryAccountResponse as SekaiRes, QueryAccountsRequest, QueryAccountsResponse } from '../../proto/gen/sekai/accountid/v1/query';
import { ethAddressOf, linkWalletText, personalSignDigest } from '../../x/accountid';
import { Chain, CHAIN_ID, genesisState, key, msg, openApp, signTx, tempDir, type Key } from './helpers';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nativeSecp = require('secp256k1') as {
  ecdsaSign(m: Uint8Array, k: Uint8Array): { signature: Uint8Array; recid: number };
  publicKeyCreate(k: Uint8Array, c: boolean): Uint8Array;
};

const alice = key('alice');
const bob = key('bob');
const carol = key('carol'); // never in genesis
const alice2 = key('alice-2');

let dir: string;
let chain: Chain;
const seq = new Map<string, bigint>();

async function run(k: Key, accountNumber: bigint, msgs: ReturnType<typeof msg.send>[], signer: Key = k) {
  const s = seq.get(k.address) ?? 0n;
  const tx = signTx(signer, msgs, { accountNumber, sequence: s });
  const { results } = await chain.block([tx]);
  if (results[0].code === 0 || results[0].log.startsWith('failed to execute message')) seq.set(k.address, s + 1n);
  return results[0];
}

function account(ref: string) {
  const res = chain.query('/sekai.accountid.v1.Query/Account', SekaiReq.encode({ ref }).finish());
  if (res.code !== 0) return undefined;
  return SekaiRes.decode(res.value).account!;
}

function balance(ref: string, denom = 'ukex'): bigint {
  const res = chain.query('/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest.encode({ address: ref, denom }).finish());
  expect(res.code).toBe(0);
  return BigInt(QueryBalanceResponse.decode(res.value).balance!.amount);
}

beforeAll(async () => {
  dir = tempDir('accountid');
  chain = new Chain(await openApp(dir));
  chain.initChain(genesisState([alice.address, bob.address]));
  await chain.block([]);
});

afterAll(async () => {
  await chain.s.store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('accounts and IDs', () => {
  test('genesis accounts get IDs 0 and 1; module accounts follow with @sys names', () => {
    expect(account(alice.address)!.id).toBe(0n);
    expect(account(bob.address)!.id).toBe(1n);
    const names = [2n, 3n, 4n].map((id) => account(id.toString())!.name);
    expect(names).toEqual(['bridge@sys', 'fee_collector@sys', 'notarypay@sys']);
    expect(account('fee_collector@sys')!.module).toBe('fee_collector');
  });

  test('cosmos auth Account: BaseAccount with account_number = AccountID; NotFound text for unknown', () => {
    const res = chain.query('/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode({ address: bob.address }).finish());
    expect(res.code).toBe(0);
    const any = QueryAccountResponse.decode(res.value).account!;
    expect(any.typeUrl).toBe('/cosmos.auth.v1beta1.BaseAccount');
    const base = BaseAccount.decode(any.value);
    expect(base.accountNumber).toBe(1n);
    expect(base.address).toBe(bob.address);
    const missing = chain.query('/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode({ address: carol.address }).finish());
    expect(missing.code).not.toBe(0);
    expect(missing.log).toMatch(/rpc error: code = NotFound/);
    const fee = chain.query('/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode({ address: account('fee_collector@sys')!.address }).finish());
    expect(QueryAccountResponse.decode(fee.value).account!.typeUrl).toBe(ModuleAccount.typeUrl);
  });

  test('a send to a fresh address creates the next AccountID; the first tx binds its key', async () => {
    const r = await run(alice, 0n, [msg.send(alice.address, carol.address, '5000')]);
    expect(r.code).toBe(0);
    const c = account(carol.address)!;
    expect(c.id).toBe(5n);
    expect(c.pubKeys).toHaveLength(0);
    expect(balance(carol.address)).toBe(5000n);
    const r2 = await run(carol, 5n, [msg.send(carol.address, '0', '1000')]);
    expect(r2.code).toBe(0);
    expect(account('5')!.pubKeys).toHaveLength(1);
    expect(balance('0')).toBe(1_000_000_000n - 5000n - 100n + 1000n);
  });

  test('names: register, send by name, transfer', async () => {
    expect((await run(bob, 1n, [msg.registerName(bob.address, 'bob.team')])).code).toBe(0);
    expect(account('bob.team')!.id).toBe(1n);
    const before = balance('bob.team');
    expect((await run(alice, 0n, [msg.send(alice.address, 'bob.team', '77')])).code).toBe(0);
    expect(balance(bob.address)).toBe(before + 77n);
    expect((await run(bob, 1n, [msg.transferName(bob.address, '5')])).code).toBe(0);
    expect(account('bob.team')!.id).toBe(5n);
    expect(account('1')!.name).toBe('');
  });

  test('a second key signs for the same account number and sequence; removal rules', async () => {
    const r = await run(alice, 0n, [msg.addKey(alice.address, 0n, alice2)]);
    expect(r.code).toBe(0);
    expect(account(alice2.address)!.id).toBe(0n);
    // alice2 signs as account 0 with alice's sequence, sending from its own address.
    const s = seq.get(alice.address)!;
    const tx = signTx(alice2, [msg.send(alice2.address, bob.address, '10')], { accountNumber: 0n, sequence: s });
    const { results } = await chain.block([tx]);
    expect(results[0].code).toBe(0);
    seq.set(alice.address, s + 1n);
    // Removing the key that signs this tx is refused.
    const self = await run(alice, 0n, [msg.removeKey(alice.address, alice.pub)]);
    expect(self.codespace).toBe('accountid');
    expect(self.code).toBe(16);
    // alice2 removes alice's first key; then alice's key no longer signs.
    const s2 = seq.get(alice.address)!;
    const rm = signTx(alice2, [msg.removeKey(alice2.address, alice.pub)], { accountNumber: 0n, sequence: s2 });
    expect((await chain.block([rm])).results[0].code).toBe(0);
    seq.set(alice.address, s2 + 1n);
    expect(account('0')!.pubKeys).toHaveLength(1);
    const old = signTx(alice, [msg.send(alice.address, bob.address, '1')], { accountNumber: 0n, sequence: s2 + 1n });
    const res = (await chain.block([old])).results[0];
    expect(res.codespace).toBe('sdk');
    expect(res.code).toBe(8); // ErrInvalidPubKey: the key no longer belongs to the account
    // The old address still resolves to account 0 (funds sent there are not lost).
    expect(account(alice.address)!.id).toBe(0n);
    // The last key cannot be removed.
    const last = signTx(alice2, [msg.removeKey(alice2.address, alice2.pub)], { accountNumber: 0n, sequence: s2 + 1n });
    const lr = (await chain.block([last])).results[0];
    expect([lr.codespace, lr.code]).toEqual(['accountid', 15]);
    seq.set(alice.address, s2 + 2n);
  });

  test('link an EVM wallet with a personal_sign proof; resolve by wallet; unlink', async () => {
    const priv = Buffer.from('11'.repeat(32), 'hex');
    const eth = ethAddressOf(nativeSecp.publicKeyCreate(priv, false));
    const wallet = `eth:${eth}`;
    const { signature, recid } = nativeSecp.ecdsaSign(personalSignDigest(linkWalletText(CHAIN_ID, 1n, wallet)), priv);
    const sig = Buffer.concat([signature, Buffer.from([27 + recid])]);
    expect((await run(bob, 1n, [msg.linkWallet(bob.address, wallet, sig)])).code).toBe(0);
    expect(account(wallet)!.id).toBe(1n);
    // The same proof cannot bind the wallet to another account (it names account 1).
    const bad = await run(carol, 5n, [msg.linkWallet(carol.address, wallet, sig)]);
    expect([bad.codespace, bad.code]).toEqual(['accountid', 18]);
    expect((await run(bob, 1n, [msg.unlinkWallet(bob.address, wallet)])).code).toBe(0);
    const replay = await run(carol, 5n, [msg.linkWallet(carol.address, wallet, sig)]);
    expect([replay.codespace, replay.code]).toEqual(['accountid', 19]);
    expect(account(wallet)).toBeUndefined();
  });

  test('multi-send, all balances and total supply', async () => {
    const multi = {
      typeUrl: MsgMultiSend.typeUrl,
      value: MsgMultiSend.encode({
        inputs: [{ address: bob.address, coins: [{ denom: 'ukex', amount: '30' }] }],
        outputs: [
          { address: '0', coins: [{ denom: 'ukex', amount: '10' }] },
          { address: 'bob.team', coins: [{ denom: 'ukex', amount: '20' }] },
        ],
      }).finish(),
    };
    expect((await run(bob, 1n, [multi])).code).toBe(0);
    const all = QueryAllBalancesResponse.decode(chain.query('/cosmos.bank.v1beta1.Query/AllBalances', QueryAllBalancesRequest.encode({ address: '0', resolveDenom: false }).finish()).value);
    expect(all.balances.map((c) => c.denom)).toEqual(['ukex']);
    const supply = QueryTotalSupplyResponse.decode(chain.query('/cosmos.bank.v1beta1.Query/TotalSupply', QueryTotalSupplyRequest.encode({}).finish()).value);
    expect(supply.supply).toEqual([{ denom: 'ukex', amount: '2000000000' }]);
    const page = QueryAccountsResponse.decode(chain.query('/sekai.accountid.v1.Query/Accounts', QueryAccountsRequest.encode({ pagination: { key: Buffer.alloc(0), offset: 0n, limit: 4n, countTotal: true, reverse: false } }).finish()).value);
    expect(page.accounts.map((a) => a.id)).toEqual([0n, 1n, 2n, 3n]);
    expect(page.pagination!.total).toBe(6n);
    const rest = QueryAccountsResponse.decode(chain.query('/sekai.accountid.v1.Query/Accounts', QueryAccountsRequest.encode({ pagination: { key: page.pagination!.nextKey, offset: 0n, limit: 4n, countTotal: false, reverse: false } }).finish()).value);
    expect(rest.accounts.map((a) => a.id)).toEqual([4n, 5n]);
  });
});

describe('bad input: its own code, state unchanged', () => {
  // Each case: [label, messages, expected codespace, expected code]. Run by bob (account 1).
  const cases: [string, () => ReturnType<typeof msg.send>[], string, number][] = [
    ['name with uppercase', () => [msg.registerName(bob.address, 'Bobby')], 'accountid', 2],
    ['name with two @', () => [msg.registerName(bob.address, 'a@b@c')], 'accountid', 2],
    ['name starting with @', () => [msg.registerName(bob.address, '@bobby')], 'accountid', 2],
    ['name ending with @', () => [msg.registerName(bob.address, 'bobby@')], 'accountid', 2],
    ['name starting with a digit', () => [msg.registerName(bob.address, '9lives')], 'accountid', 2],
    ['name too long', () => [msg.registerName(bob.address, 'abcdefghijklmnopqr')], 'accountid', 3],
    ['name too short', () => [msg.registerName(bob.address, 'ab')], 'accountid', 3],
    ['reserved @sys name', () => [msg.registerName(bob.address, 'bank@sys')], 'accountid', 4],
    ['name taken', () => [msg.registerName(bob.address, 'bob.team')], 'accountid', 5],
    ['key bound to another account', () => [msg.addKey(bob.address, 1n, carol)], 'accountid', 10],
    ['add-key proof for another account', () => [msg.addKey(bob.address, 0n, key('fresh'))], 'accountid', 13],
    ['add-key proof for another chain', () => [msg.addKey(bob.address, 1n, key('fresh'), 'other-chain')], 'accountid', 13],
    ['remove the last key', () => [msg.removeKey(bob.address, bob.pub)], 'accountid', 15],
    ['send over balance', () => [msg.send(bob.address, alice.address, '999999999999')], 'sdk', 5],
    ['send over the cap', () => [msg.send(bob.address, alice.address, '1000000000001')], 'bank', 3],
    ['send zero', () => [msg.send(bob.address, alice.address, '0')], 'bank', 2],
    ['send negative', () => [msg.send(bob.address, alice.address, '-5')], 'coins', 4],
    ['send overflowing', () => [msg.send(bob.address, alice.address, (1n << 256n).toString())], 'coins', 5],
    ['invalid denom', () => [msg.send(bob.address, alice.address, '5', 'u$ex')], 'coins', 3],
    ['unknown name recipient', () => [msg.send(bob.address, 'nobody.here', '5')], 'accountid', 8],
    ['module account recipient', () => [msg.send(bob.address, 'fee_collector@sys', '5')], 'bank', 4],
    ['second message fails, first undone', () => [msg.send(bob.address, alice.address, '5'), msg.send(bob.address, alice.address, '-1')], 'coins', 4],
  ];
  test.each(cases)('%s', async (_label, msgs, codespace, code) => {
    const aliceBefore = balance('0');
    const s = seq.get(bob.address) ?? 0n;
    const tx = signTx(bob, msgs(), { accountNumber: 1n, sequence: s });
    const check = chain.app.checkTx({ tx, type: 0 });
    const { results } = await chain.block([tx]);
    const r = results[0];
    expect([r.codespace, r.code]).toEqual([codespace, code]);
    // CheckTx refuses what it can judge (the transfer cap too), with the block's code.
    if (check.code !== 0) expect([check.codespace, check.code]).toEqual([codespace, code]);
    // A message that fails in the block leaves the fee and sequence taken, as in Cosmos;
    // a tx refused before the ante changes nothing, not even the sequence.
    if (r.log.startsWith('failed to execute message')) seq.set(bob.address, s + 1n);
    expect(balance('0')).toBe(aliceBefore);
    expect(chain.invariants()).toEqual([]);
  });

  test('overflow-safe: a uint64-overflowing account id reference is refused', () => {
    const res = chain.query('/sekai.accountid.v1.Query/Account', SekaiReq.encode({ ref: '18446744073709551616' }).finish());
    expect([res.codespace, res.code]).toEqual(['accountid', 9]);
  });
});

