/**
 * Failed-transaction notices (issue 20 item 5, Kolme seed 002): a client that submits a tx
 * learns when it fails before any block. A CosmJS WebSocket subscription to
 * `tm.event='TxFailed'` on a real node (the sekai-ts app on LevelDB, the embedded engine)
 * receives a notice for a sequence-mismatch tx with its hash, code, codespace and log, signed
 * by the node key; a tx accepted by CheckTx produces none.
 */
import { Comet38Client, WebsocketClient } from '@cosmjs/tendermint-rpc';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { SigningStargateClient } from '@cosmjs/stargate';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { createHash } from 'node:crypto';
import { checkTxFailedNotice, type SignedTxFailedNotice } from '../../node/notices/txFailed';
import { ALICE_MNEMONIC, startWalletNode, type WalletNode } from '../fixtures/walletNode';

jest.setTimeout(120_000);

let chain: WalletNode;

beforeAll(async () => {
  chain = await startWalletNode('sekai-txfailed-1');
});

afterAll(async () => {
  await chain?.stop();
});

type SubscriptionEvent = { query: string; data: { type: string; value: Record<string, unknown> } };

/** The next event of a CosmJS subscription stream, or a rejection after `ms`. */
function nextEvent(stream: ReturnType<WebsocketClient['listen']>, ms: number): { promise: Promise<SubscriptionEvent>; stop: () => void } {
  let stop = () => {};
  const promise = new Promise<SubscriptionEvent>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no TxFailed event within ${ms} ms`)), ms);
    const sub = stream.subscribe({
      next: (e) => {
        clearTimeout(timer);
        sub.unsubscribe();
        resolve(e);
      },
      error: (err) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    });
    stop = () => {
      clearTimeout(timer);
      sub.unsubscribe();
    };
  });
  return { promise, stop };
}

it('a CosmJS subscriber receives a signed TxFailed notice for a sequence-mismatch tx, and none for a good tx', async () => {
  // cosmjs 0.39's WebsocketClient drops calls made after its socket sat idle: open it, make
  // one call and subscribe before anything else, then give the server a moment to register.
  const ws = new WebsocketClient(chain.rpc.url.replace('http://', 'ws://'));
  const status = (await ws.execute({ jsonrpc: '2.0', id: 1, method: 'status', params: {} })).result as { node_info: { id: string } };
  const nodeId = status.node_info.id;
  let first = nextEvent(ws.listen({ jsonrpc: '2.0', id: 7, method: 'subscribe', params: { query: "tm.event='TxFailed'" } }), 60_000);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(ALICE_MNEMONIC, { prefix: 'kira' });
  const signer = await SigningStargateClient.connectWithSigner(chain.rpc.url, wallet);
  const comet = await Comet38Client.connect(chain.rpc.url);
  try {
    const account = await signer.getAccount(chain.alice);
    const fee = { amount: [{ denom: 'ukex', amount: '200' }], gas: '200000' };
    const msg = { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: chain.alice, toAddress: chain.alice, amount: [{ denom: 'ukex', amount: '1' }] } };
    const sign = (sequence: number) =>
      signer.sign(chain.alice, [msg], fee, `sequence ${sequence}`, { accountNumber: account!.accountNumber, sequence, chainId: chain.chainId });

    // A good tx first: accepted, so no notice.
    const good = TxRaw.encode(await sign(account!.sequence)).finish();
    expect((await comet.broadcastTxSync({ tx: good })).code).toBe(0);

    // Sequence far ahead: CheckTx refuses it (sdk/32).
    const bad = TxRaw.encode(await sign(account!.sequence + 5)).finish();
    const res = await comet.broadcastTxSync({ tx: bad });
    expect(res.code).toBe(32);
    const hash = createHash('sha256').update(bad).digest('hex').toUpperCase();

    const event = await first.promise;
    expect(event.query).toBe("tm.event='TxFailed'");
    const value = event.data.value as unknown as SignedTxFailedNotice;
    expect(event.data.type).toBe('sekai/event/TxFailed');
    expect(value.notice).toMatchObject({ chain_id: chain.chainId, node_id: nodeId, tx_hash: hash, stage: 'check_tx', code: 32, codespace: 'sdk' });
    expect(value.notice.log).toMatch(/account sequence mismatch, expected \d+, got \d+/);
    expect(checkTxFailedNotice(value, nodeId)).toBeUndefined();

    // A forged notice (another code) fails verification.
    expect(checkTxFailedNotice({ ...value, notice: { ...value.notice, code: 0 } })).toBe('sign_bytes do not match the notice');

    // The notice's attributes are queryable: a subscription on the code sees the next one.
    first = nextEvent(ws.listen({ jsonrpc: '2.0', id: 8, method: 'subscribe', params: { query: `tm.event='TxFailed' AND tx_failed.code=32` } }), 60_000);
    await new Promise((r) => setTimeout(r, 200));
    const bad2 = TxRaw.encode(await sign(account!.sequence + 9)).finish();
    expect((await comet.broadcastTxSync({ tx: bad2 })).code).toBe(32);
    const second = (await first.promise).data.value as unknown as SignedTxFailedNotice;
    expect(second.notice.tx_hash).toBe(createHash('sha256').update(bad2).digest('hex').toUpperCase());
  } finally {
    ws.disconnect();
    comet.disconnect();
    signer.disconnect();
  }
});
