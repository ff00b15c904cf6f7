/**
 * Real wallets against the real node: unchanged @cosmjs/stargate (SigningStargateClient,
 * default registry for bank) with DirectSecp256k1HdWallet, through the node's CometBFT
 * RPC, over the sekai-ts app (x/accountid + x/bank on LevelDB).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { DirectSecp256k1HdWallet, DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { createApp, type SekaiApp } from '../../app/app';
import { parseGenesis } from '../../node/engine/genesis';
import { generatePrivValidatorKey } from '../../node/consensus/signing';
import { startNode, type RunningNode } from '../../node/node';
import { startRpcServer, type RpcServer } from '../../node/rpc/server';
import { sha256 } from '../../crypto/hash';
import { buildMsg } from '../../x/accountid/cli';
import { cosmjsRegistry as sekaiRegistry } from '../../client/registry';
import { KEX_METADATA } from '../../x/bank';
import { tempDir } from '../accountid/helpers';

const CHAIN = 'sekai-wallet-1';
const MNEMONIC_A = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const MNEMONIC_B = 'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong';
const opts = { broadcastPollIntervalMs: 100, broadcastTimeoutMs: 20_000, gasPrice: GasPrice.fromString('0.025ukex') };

let home: string;
let sekai: SekaiApp;
let node: RunningNode;
let server: RpcServer;
let alice: DirectSecp256k1HdWallet;
let bob: DirectSecp256k1HdWallet;
let aliceAddr: string;
let bobAddr: string;

beforeAll(async () => {
  home = tempDir('wallet');
  alice = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC_A, { prefix: 'kira' });
  bob = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC_B, { prefix: 'kira' });
  [{ address: aliceAddr }] = await alice.getAccounts();
  [{ address: bobAddr }] = await bob.getAccounts();
  const privValidatorKey = generatePrivValidatorKey();
  const genesis = parseGenesis({
    genesis_time: '2024-01-02T03:04:05Z',
    chain_id: CHAIN,
    initial_height: '1',
    consensus_params: { block: { max_bytes: '22020096', max_gas: '-1' } },
    validators: [{ pub_key: { type: 'tendermint/PubKeyEd25519', value: Buffer.from(privValidatorKey.pubKey).toString('base64') }, power: '10', name: 'v0' }],
    app_hash: '',
    app_state: {
      accountid: { accounts: [{ address: aliceAddr, account_number: '0' }] },
      bank: { balances: [{ address: aliceAddr, coins: [{ denom: 'ukex', amount: '1000000000' }] }], denom_metadata: [Metadata.toJSON(KEX_METADATA)] },
    },
  });
  sekai = await createApp({ dbDir: join(home, 'state') });
  node = await startNode({ home, app: sekai.app, genesis, privValidatorKey, blockTime: 100, emptyBlockInterval: 200, logger: pino({ level: 'silent' }) });
  server = await startRpcServer(node, { laddr: 'tcp://127.0.0.1:0' });
  const q = await StargateClient.connect(server.url);
  for (let i = 0; i < 100 && (await q.getHeight()) < 1; i++) await new Promise((r) => setTimeout(r, 50));
  q.disconnect();
}, 30_000);

afterAll(async () => {
  await server?.close();
  await node?.stop();
  await sekai?.store.close();
  rmSync(home, { recursive: true, force: true });
});

test('send ukex; getAccount, getBalance, getAllBalances, simulate (fee auto) and getTx report the right values', async () => {
  const client = await SigningStargateClient.connectWithSigner(server.url, alice, opts);
  try {
    expect(await client.getAccount(bobAddr)).toBeNull();
    const before = await client.getAccount(aliceAddr);
    expect(Number(before?.accountNumber)).toBe(0);
    const sendMsg = { typeUrl: MsgSend.typeUrl, value: MsgSend.fromPartial({ fromAddress: aliceAddr, toAddress: bobAddr, amount: [{ denom: 'ukex', amount: '12345' }] }) };
    const gas = await client.simulate(aliceAddr, [sendMsg], '');
    expect(gas).toBeGreaterThan(10_000);
    const res = await client.sendTokens(aliceAddr, bobAddr, [{ denom: 'ukex', amount: '12345' }], 'auto');
    expect(res.code).toBe(0);
    // The estimate includes the fee transfer, so it is close to what the tx used.
    expect(Number(res.gasUsed)).toBeLessThan(gas * 1.1);
    expect(await client.getBalance(bobAddr, 'ukex')).toEqual({ denom: 'ukex', amount: '12345' });
    expect(await client.getAllBalances(bobAddr)).toEqual([{ denom: 'ukex', amount: '12345' }]);
    expect(await client.getBalance(bobAddr, 'uatom')).toEqual({ denom: 'uatom', amount: '0' });
    const bobAcc = await client.getAccount(bobAddr);
    expect(Number(bobAcc?.accountNumber)).toBe(4); // alice 0, then bridge, fee_collector, notarypay, then bob
    expect(Number(bobAcc?.sequence)).toBe(0);
    const after = await client.getAccount(aliceAddr);
    expect(Number(after?.sequence)).toBe(1);
    const tx = await client.getTx(res.transactionHash);
    expect(tx?.code).toBe(0);
    expect(tx?.height).toBe(res.height);
    const fee = BigInt(res.gasWanted) > 0n ? 1_000_000_000n - 12_345n - BigInt((await client.getBalance(aliceAddr, 'ukex')).amount) - 12_345n : 0n;
    expect(fee).toBeGreaterThan(-12_345n); // alice paid the send and a positive fee
    expect(BigInt((await client.getBalance(aliceAddr, 'ukex')).amount)).toBeLessThan(1_000_000_000n - 12_345n);
  } finally {
    client.disconnect();
  }
}, 60_000);

test('a second key added to the account signs for the same account number and sequence', async () => {
  const priv2 = sha256(Buffer.from('alice second device'));
  const alice2 = await DirectSecp256k1Wallet.fromKey(priv2, 'kira');
  const [{ address: alice2Addr, pubkey: pub2 }] = await alice2.getAccounts();
  const c1 = await SigningStargateClient.connectWithSigner(server.url, alice, { ...opts, registry: sekaiRegistry() });
  try {
    const acc = (await c1.getAccount(aliceAddr))!;
    const res = await c1.signAndBroadcast(aliceAddr, [buildMsg.addKey(aliceAddr, CHAIN, BigInt(acc.accountNumber), pub2, priv2)], 'auto');
    expect({ code: res.code, log: res.rawLog }).toEqual({ code: 0, log: '' });
  } finally {
    c1.disconnect();
  }
  const c2 = await SigningStargateClient.connectWithSigner(server.url, alice2, opts);
  try {
    const viaFirst = (await c2.getAccount(aliceAddr))!;
    const viaSecond = (await c2.getAccount(alice2Addr))!;
    expect(viaSecond.accountNumber).toBe(viaFirst.accountNumber);
    expect(viaSecond.sequence).toBe(viaFirst.sequence);
    const res = await c2.sendTokens(alice2Addr, bobAddr, [{ denom: 'ukex', amount: '5' }], 'auto');
    expect(res.code).toBe(0);
    expect(BigInt((await c2.getAccount(aliceAddr))!.sequence)).toBe(BigInt(viaFirst.sequence) + 1n);
    expect(await c2.getBalance(bobAddr, 'ukex')).toEqual({ denom: 'ukex', amount: '12350' });
    expect(await c2.getBalance(alice2Addr, 'ukex')).toEqual(await c2.getBalance(aliceAddr, 'ukex'));
  } finally {
    c2.disconnect();
  }
}, 60_000);
