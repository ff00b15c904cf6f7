/**
 * REST (LCD) server against a real node: the Cosmos SDK gateway's JSON shapes (fixtures in
 * test/fixtures/rest), broadcast and lookup of a CosmJS-signed tx, event search, pagination,
 * the height header, blocks and validator sets, and bad input answered with the gateway's
 * error object while the node keeps serving.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { BroadcastMode, BroadcastTxRequest, BroadcastTxResponse, GetTxRequest, GetTxResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { encodeBech32 } from '../../crypto/bech32';
import { ALICE_MNEMONIC, startWalletNode, type WalletNode } from '../fixtures/walletNode';

jest.setTimeout(120_000);

const BOB = encodeBech32('kira', new Uint8Array(20).fill(7));
/** Fields newer SDKs added to the tx JSON (v0.53 unordered txs), which ours carries too. */
const NEWER_FIELDS = new Set(['unordered', 'timeout_timestamp']);

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '../fixtures/rest', `${name}.json`), 'utf8'));

/** Differences in shape between `got` and the SDK's documented `want` (empty when they agree). */
function shapeDiff(want: unknown, got: unknown, at = '$'): string[] {
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (kind(want) !== kind(got)) return [`${at}: expected ${kind(want)}, got ${kind(got)} (${JSON.stringify(got)})`];
  if (Array.isArray(want)) return want.length > 0 && (got as unknown[]).length > 0 ? shapeDiff(want[0], (got as unknown[])[0], `${at}[0]`) : [];
  if (kind(want) !== 'object') return [];
  const w = want as Record<string, unknown>;
  const g = got as Record<string, unknown>;
  const out: string[] = [];
  if ('@type' in w && w['@type'] !== g['@type']) out.push(`${at}.@type: expected ${String(w['@type'])}, got ${String(g['@type'])}`);
  for (const k of Object.keys(w)) {
    if (!(k in g)) out.push(`${at}.${k}: missing`);
    else out.push(...shapeDiff(w[k], g[k], `${at}.${k}`));
  }
  for (const k of Object.keys(g)) if (!(k in w) && !NEWER_FIELDS.has(k)) out.push(`${at}.${k}: not in the SDK's response`);
  return out;
}

let chain: WalletNode;
let signer: SigningStargateClient;

async function rest(path: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(chain.rest.url + path, init);
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), headers: res.headers };
}

const post = (path: string, body: unknown) => rest(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function signedSend(amount: string, memo = '', to = BOB): Promise<Uint8Array> {
  const raw = await signer.sign(chain.alice, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: chain.alice, toAddress: to, amount: [{ denom: 'ukex', amount }] } }], { amount: [{ denom: 'ukex', amount: '100' }], gas: '200000' }, memo);
  return TxRaw.encode(raw).finish();
}

async function committed(hash: string): Promise<any> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await rest(`/cosmos/tx/v1beta1/txs/${hash}`);
    if (r.status === 200) return r.body;
    expect(r.status).toBe(404);
    if (Date.now() > deadline) throw new Error(`tx ${hash} not committed`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

beforeAll(async () => {
  chain = await startWalletNode('sekai-rest-1');
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(ALICE_MNEMONIC, { prefix: 'kira' });
  signer = await SigningStargateClient.connectWithSigner(chain.rpc.url, wallet, { gasPrice: GasPrice.fromString('0.025ukex') });
});

afterAll(async () => {
  signer?.disconnect();
  await chain?.stop();
});

it('broadcasts a signed tx (sync), finds it by hash and by events, with the SDK gateway shapes', async () => {
  const tx = await signedSend('777', 'rest <test>');
  const sent = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: Buffer.from(tx).toString('base64'), mode: 'BROADCAST_MODE_SYNC' });
  expect(sent.status).toBe(200);
  expect(shapeDiff(fixture('broadcast_tx'), sent.body)).toEqual([]);
  expect(sent.body.tx_response.code).toBe(0);
  const hash: string = sent.body.tx_response.txhash;
  expect(hash).toMatch(/^[0-9A-F]{64}$/);

  const got = await committed(hash.toLowerCase());
  expect(shapeDiff(fixture('get_tx'), got)).toEqual([]);
  expect(got.tx.body.memo).toBe('rest <test>');
  expect(got.tx.body.messages[0]).toEqual({ '@type': '/cosmos.bank.v1beta1.MsgSend', from_address: chain.alice, to_address: BOB, amount: [{ denom: 'ukex', amount: '777' }] });
  expect(got.tx_response.txhash).toBe(hash);
  expect(Number(got.tx_response.height)).toBeGreaterThan(0);

  const search = await rest(`/cosmos/tx/v1beta1/txs?events=${encodeURIComponent(`message.sender='${chain.alice}'`)}&events=${encodeURIComponent('transfer.amount=777ukex')}`);
  expect(search.status).toBe(200);
  expect(search.body.total).toBe('1');
  expect(search.body.tx_responses.map((t: { txhash: string }) => t.txhash)).toEqual([hash]);
  expect(shapeDiff((fixture('get_tx') as { tx: unknown }).tx, search.body.txs[0])).toEqual([]);
  const byQuery = await rest(`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(`tx.hash='${hash}'`)}`);
  expect(byQuery.body.tx_responses.map((t: { txhash: string }) => t.txhash)).toEqual([hash]);

  // async mode answers before CheckTx.
  const later = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: Buffer.from(await signedSend('1')).toString('base64'), mode: 'BROADCAST_MODE_ASYNC' });
  expect(later.status).toBe(200);
  await committed(later.body.tx_response.txhash);
});

it('answers account, balance and node info with the SDK gateway shapes and the height header', async () => {
  const account = await rest(`/cosmos/auth/v1beta1/accounts/${chain.alice}`);
  expect(account.status).toBe(200);
  expect(shapeDiff(fixture('auth_account'), account.body)).toEqual([]);
  expect(account.body.account.address).toBe(chain.alice);
  expect(account.body.account.account_number).toBe('0');

  const balances = await rest(`/cosmos/bank/v1beta1/balances/${BOB}`);
  expect(balances.status).toBe(200);
  expect(shapeDiff(fixture('bank_balances'), balances.body)).toEqual([]);
  expect(balances.body.balances).toEqual([{ denom: 'ukex', amount: '778' }]);
  const height = Number(balances.headers.get('x-cosmos-block-height'));
  expect(height).toBeGreaterThan(0);

  // A past height: before the sends, bob had nothing.
  const past = await rest(`/cosmos/bank/v1beta1/balances/${BOB}/by_denom?denom=ukex`, { headers: { 'x-cosmos-block-height': '1' } });
  expect(past.body).toEqual({ balance: { denom: 'ukex', amount: '0' } });
  expect(past.headers.get('x-cosmos-block-height')).toBe('1');

  const page = await rest(`/cosmos/bank/v1beta1/balances/${chain.alice}?pagination.limit=1&pagination.count_total=true`);
  expect(page.status).toBe(200);
  expect(page.body.balances).toHaveLength(1);

  const info = await rest('/cosmos/base/tendermint/v1beta1/node_info');
  expect(shapeDiff(fixture('node_info'), info.body)).toEqual([]);
  expect(info.body.default_node_info.network).toBe('sekai-rest-1');
  expect((await rest('/cosmos/base/tendermint/v1beta1/syncing')).body).toEqual({ syncing: false });

  const latest = await rest('/cosmos/base/tendermint/v1beta1/blocks/latest');
  expect(latest.body.block.header.chain_id).toBe('sekai-rest-1');
  expect(latest.body.sdk_block.header.proposer_address).toMatch(/^kiravalcons1/);
  const first = await rest('/cosmos/base/tendermint/v1beta1/blocks/1');
  expect(first.body.block.header.height).toBe('1');
  expect(Buffer.from(first.body.block_id.hash, 'base64')).toHaveLength(32);
  const vals = await rest('/cosmos/base/tendermint/v1beta1/validatorsets/latest');
  expect(vals.body.validators).toEqual([expect.objectContaining({ voting_power: '10', pub_key: { '@type': '/cosmos.crypto.ed25519.PubKey', key: expect.any(String) } })]);

  const sim = await post('/cosmos/tx/v1beta1/simulate', { tx_bytes: Buffer.from(await signedSend('5')).toString('base64') });
  expect(sim.status).toBe(200);
  expect(Number(sim.body.gas_info.gas_used)).toBeGreaterThan(10_000);
});

it('refuses bad input with the gateway error object and keeps serving', async () => {
  const cases: [string, Promise<{ status: number; body: any }>, number, RegExp][] = [
    ['unknown path', rest('/cosmos/nothing/v1/here'), 404, /Not Found/],
    ['wrong method', post('/cosmos/bank/v1beta1/balances/' + BOB, {}), 501, /not allowed/],
    ['bad JSON', post('/cosmos/tx/v1beta1/txs', '{"tx_bytes":'), 400, /not JSON/],
    ['not base64', post('/cosmos/tx/v1beta1/txs', { tx_bytes: '***' }), 400, /base64/],
    ['bad mode', post('/cosmos/tx/v1beta1/txs', { tx_bytes: 'AAAA', mode: 'BROADCAST_MODE_BLOCK' }), 400, /unsupported broadcast mode/],
    ['garbage tx', post('/cosmos/tx/v1beta1/simulate', { tx_bytes: 'AAAA' }), 400, /tx|decode/i],
    ['huge body', post('/cosmos/tx/v1beta1/txs', { tx_bytes: 'A'.repeat(2 * 1024 * 1024) }), 429, /larger than/],
    ['bad height header', rest(`/cosmos/bank/v1beta1/balances/${BOB}`, { headers: { 'x-cosmos-block-height': 'abc' } }), 400, /x-cosmos-block-height/],
    ['future height', rest(`/cosmos/bank/v1beta1/balances/${BOB}`, { headers: { 'x-cosmos-block-height': '99999999' } }), 400, /future/],
    ['bad block height', rest('/cosmos/base/tendermint/v1beta1/blocks/-4'), 400, /positive integer/],
    ['block not yet', rest('/cosmos/base/tendermint/v1beta1/blocks/99999999'), 400, /height/],
    ['bad hash', rest('/cosmos/tx/v1beta1/txs/xyz'), 400, /64 hex/],
    ['unknown tx', rest(`/cosmos/tx/v1beta1/txs/${'AB'.repeat(32)}`), 404, /not found/],
    ['bad pagination', rest(`/cosmos/bank/v1beta1/balances/${BOB}?pagination.count_total=maybe`), 400, /true or false/],
    ['bad address checksum', rest('/cosmos/bank/v1beta1/balances/kira1zt50azupanqlfam5afhv3hexwyutnuke0s4u7z'), 400, /not a kira account address/],
    ['no events', rest('/cosmos/tx/v1beta1/txs'), 400, /events/],
    ['bad event', rest('/cosmos/tx/v1beta1/txs?events=nonsense'), 400, /invalid event/],
  ];
  for (const [name, pending, status, message] of cases) {
    const r = await pending;
    expect({ name, status: r.status }).toEqual({ name, status });
    expect(r.body).toEqual({ code: expect.any(Number), message: expect.stringMatching(message), details: [] });
  }
  expect((await rest('/cosmos/base/tendermint/v1beta1/syncing')).status).toBe(200);
});

it('refuses a transfer to a mistyped address at CheckTx, free of charge', async () => {
  const account = (await rest(`/cosmos/auth/v1beta1/accounts/${chain.alice}`)).body.account;
  const balance = (await rest(`/cosmos/bank/v1beta1/balances/${chain.alice}`)).body.balances;
  // BOB with its last checksum character changed, the wrong prefix, and garbage.
  for (const to of [BOB.slice(0, -1) + (BOB.endsWith('q') ? 'p' : 'q'), 'cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', 'kira1-definitely-not-an-address']) {
    const sent = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: Buffer.from(await signedSend('1', '', to)).toString('base64'), mode: 'BROADCAST_MODE_SYNC' });
    expect({ to, code: sent.body.tx_response.code, codespace: sent.body.tx_response.codespace }).toEqual({ to, code: 9, codespace: 'accountid' });
    expect(sent.body.tx_response.raw_log).toMatch(/not a kira account address|neither an account id/);
  }
  expect((await rest(`/cosmos/auth/v1beta1/accounts/${chain.alice}`)).body.account.sequence).toBe(account.sequence);
  expect((await rest(`/cosmos/bank/v1beta1/balances/${chain.alice}`)).body.balances).toEqual(balance);
});

/** One unary gRPC-web call with binary framing; the response message and grpc-status. */
async function grpcWeb(path: string, message: Uint8Array): Promise<{ status: string; message?: Uint8Array }> {
  const body = Buffer.alloc(5 + message.length);
  body.writeUInt32BE(message.length, 1);
  body.set(message, 5);
  const res = await fetch(chain.grpcWeb.url + path, { method: 'POST', headers: { 'Content-Type': 'application/grpc-web+proto' }, body });
  const bytes = Buffer.from(await res.arrayBuffer());
  let at = 0;
  let msg: Uint8Array | undefined;
  let trailers = '';
  while (at < bytes.length) {
    const len = bytes.readUInt32BE(at + 1);
    const payload = bytes.subarray(at + 5, at + 5 + len);
    if (bytes[at] & 0x80) trailers = payload.toString('latin1');
    else msg = payload;
    at += 5 + len;
  }
  return { status: /grpc-status:(\d+)/.exec(trailers)?.[1] ?? '', message: msg };
}

it('serves BroadcastTx and GetTx over gRPC-web', async () => {
  const tx = await signedSend('31');
  const sent = await grpcWeb('/cosmos.tx.v1beta1.Service/BroadcastTx', BroadcastTxRequest.encode({ txBytes: tx, mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish());
  expect(sent.status).toBe('0');
  const response = BroadcastTxResponse.decode(sent.message!).txResponse!;
  expect(response.code).toBe(0);
  await committed(response.txhash);
  const got = await grpcWeb('/cosmos.tx.v1beta1.Service/GetTx', GetTxRequest.encode({ hash: response.txhash }).finish());
  expect(got.status).toBe('0');
  const decoded = GetTxResponse.decode(got.message!);
  expect(decoded.txResponse?.txhash).toBe(response.txhash);
  expect(decoded.txResponse?.height).toBeGreaterThan(0n);
  expect(decoded.tx?.body?.messages[0].typeUrl).toBe('/cosmos.bank.v1beta1.MsgSend');
  expect(new Uint8Array(decoded.txResponse!.tx!.value)).toEqual(new Uint8Array(tx));

  const missing = await grpcWeb('/cosmos.tx.v1beta1.Service/GetTx', GetTxRequest.encode({ hash: 'CD'.repeat(32) }).finish());
  expect(missing.status).toBe('5');
  const bad = await grpcWeb('/cosmos.tx.v1beta1.Service/BroadcastTx', Uint8Array.of(0xff, 0xff));
  expect(bad.status).toBe('3');
});
