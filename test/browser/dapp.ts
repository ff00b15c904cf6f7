/**
 * A dApp page for the browser test, bundled with esbuild: reads a balance over REST and over
 * gRPC-web, signs a transfer with CosmJS in the page and broadcasts it over REST. Everything is
 * a cross-origin fetch, so CORS decides whether it works.
 */
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { SigningStargateClient } from '@cosmjs/stargate';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';

interface Endpoints {
  rest: string;
  grpcWeb: string;
  chainId: string;
  mnemonic: string;
  to: string;
}

async function restJson(url: string, init?: RequestInit): Promise<any> {
  const res = await fetch(url, init);
  const body = await res.json();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

const toBase64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));

/** One unary gRPC-web call (binary framing: flag byte, 4-byte length, message; trailers after). */
async function grpcWebBalance(base: string, address: string, denom: string): Promise<string> {
  const msg = QueryBalanceRequest.encode({ address, denom }).finish();
  const body = new Uint8Array(5 + msg.length);
  new DataView(body.buffer).setUint32(1, msg.length);
  body.set(msg, 5);
  const res = await fetch(`${base}/cosmos.bank.v1beta1.Query/Balance`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/grpc-web+proto', 'X-Grpc-Web': '1' },
    body,
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes[0] !== 0) throw new Error(`gRPC-web: no message frame (${res.headers.get('grpc-status')} ${res.headers.get('grpc-message')})`);
  const len = new DataView(bytes.buffer).getUint32(1);
  return QueryBalanceResponse.decode(bytes.subarray(5, 5 + len)).balance?.amount ?? '0';
}

async function run(e: Endpoints) {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(e.mnemonic, { prefix: 'kira' });
  const [{ address }] = await wallet.getAccounts();
  const before = (await restJson(`${e.rest}/cosmos/bank/v1beta1/balances/${e.to}/by_denom?denom=ukex`)).balance.amount as string;
  const beforeGrpc = await grpcWebBalance(e.grpcWeb, e.to, 'ukex');
  const account = (await restJson(`${e.rest}/cosmos/auth/v1beta1/accounts/${address}`)).account;
  const client = await SigningStargateClient.offline(wallet);
  const raw = await client.sign(
    address,
    [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: address, toAddress: e.to, amount: [{ denom: 'ukex', amount: '4242' }] } }],
    { amount: [{ denom: 'ukex', amount: '100' }], gas: '200000' },
    'from the browser',
    { accountNumber: BigInt(account.account_number), sequence: Number(account.sequence), chainId: e.chainId },
  );
  const sent = await restJson(`${e.rest}/cosmos/tx/v1beta1/txs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ tx_bytes: toBase64(TxRaw.encode(raw).finish()), mode: 'BROADCAST_MODE_SYNC' }),
  });
  const hash = sent.tx_response.txhash as string;
  if (sent.tx_response.code !== 0) throw new Error(`CheckTx refused: ${sent.tx_response.raw_log}`);
  // Wait (generously) for the block that commits it.
  let committed: any;
  for (let i = 0; i < 600 && !committed; i++) {
    const res = await fetch(`${e.rest}/cosmos/tx/v1beta1/txs/${hash}`);
    if (res.ok) committed = await res.json();
    else await new Promise((r) => setTimeout(r, 100));
  }
  if (!committed) throw new Error(`tx ${hash} not committed`);
  const after = (await restJson(`${e.rest}/cosmos/bank/v1beta1/balances/${e.to}/by_denom?denom=ukex`)).balance.amount as string;
  const afterGrpc = await grpcWebBalance(e.grpcWeb, e.to, 'ukex');
  return { address, before, beforeGrpc, hash, code: committed.tx_response.code as number, height: committed.tx_response.height as string, after, afterGrpc };
}

(globalThis as unknown as { dapp: unknown }).dapp = { run, restJson, grpcWebBalance };
