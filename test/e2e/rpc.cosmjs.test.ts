/**
 * The RPC server driven by real client libraries: @cosmjs/tendermint-rpc (HTTP and
 * WebSocket) and @cosmjs/stargate, against a real in-memory node with real blocks.
 */
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import { StargateClient } from '@cosmjs/stargate';
import { createHash } from 'node:crypto';
import { connectCometClient, disconnectComet } from '../../client/rpc';
import { startRpcServer, type RpcServer } from '../../node/rpc/server';
import { RpcTestNode } from '../fixtures/rpcNode';

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/**
 * connectComet (through the client library's wrapper, which over ws:// does not leak the
 * version probe's socket), asserting that it chose the CometBFT v0.38 client.
 */
async function connect38(url: string): Promise<Comet38Client> {
  const client = await connectCometClient(url);
  expect(client).toBeInstanceOf(Comet38Client);
  return client as Comet38Client;
}

describe('CometBFT RPC through @cosmjs', () => {
  let node: RpcTestNode;
  let server: RpcServer;

  beforeAll(async () => {
    node = new RpcTestNode({ autoBlockMs: 20 });
    node.produceBlock([]);
    node.produceBlock([utf8('alpha=1'), utf8('beta=22'), utf8('broken')]);
    node.produceBlock([utf8('gamma=333')]);
    server = await startRpcServer(node, { laddr: 'tcp://127.0.0.1:0', wsPingIntervalMs: 1000 });
  });

  afterAll(async () => {
    node.stop();
    await server.close();
  });

  it('connectComet picks the Comet38 client and decodes status', async () => {
    const client = await connect38(server.url);
    try {
      expect(client).toBeInstanceOf(Comet38Client);
      const status = await client.status();
      expect(status.nodeInfo.network).toBe('sekai-rpc-test');
      expect(status.nodeInfo.version).toMatch(/^0\.38\./);
      expect(status.nodeInfo.protocolVersion).toEqual({ p2p: 8, block: 11, app: 1 });
      expect(status.syncInfo.latestBlockHeight).toBe(node.blocks.height());
      expect(status.syncInfo.latestAppHash.length).toBe(32);
      expect(status.syncInfo.earliestBlockHeight).toBe(1);
      expect(status.validatorInfo.pubkey?.algorithm).toBe('ed25519');
      expect(status.validatorInfo.pubkey?.data).toEqual(node.pubKey);
      expect(status.validatorInfo.votingPower).toBe(10n);
    } finally {
      client.disconnect();
    }
  });

  it('serves blocks, results, headers, commits and validators', async () => {
    const client = await connect38(server.url);
    try {
      const b2 = await client.block(2);
      const stored = (await node.blocks.block(2))!;
      expect(b2.blockId.hash).toEqual(stored.blockId.hash);
      expect(b2.block.header.height).toBe(2);
      expect(b2.block.header.chainId).toBe('sekai-rpc-test');
      expect(b2.block.txs.map((t) => Buffer.from(t).toString())).toEqual(['alpha=1', 'beta=22', 'broken']);
      expect(b2.block.lastCommit?.height).toBe(1);
      expect(b2.block.lastCommit?.signatures[0].signature).toEqual(stored.block.lastCommit!.signatures[0].signature);
      expect(b2.block.header.time.toISOString()).toBe('2023-11-14T22:13:30.246Z');
      expect((b2.block.header.time as { nanoseconds?: number }).nanoseconds).toBe(914000);

      const b1 = await client.block(1);
      expect(b1.block.lastCommit).toBeNull();
      expect(b1.block.header.lastBlockId).toBeNull();
      const latest = await client.block();
      expect(latest.block.header.height).toBe(node.blocks.height());

      const results = await client.blockResults(2);
      expect(results.height).toBe(2);
      expect(results.results.map((r) => r.code)).toEqual([0, 0, 2]);
      expect(results.results[1].gasUsed).toBe(501n);
      expect(results.results[0].events[1].attributes[0]).toEqual({ key: 'key', value: 'alpha' });
      expect(results.finalizeBlockEvents[0].type).toBe('block_marker');

      const chain = await client.blockchain(1, 3);
      expect(chain.lastHeight).toBe(node.blocks.height());
      expect(chain.blockMetas.map((m) => m.header.height)).toEqual([3, 2, 1]);
      expect(chain.blockMetas[1].numTxs).toBe(3);

      const commit = await client.commit(2);
      expect(commit.canonical).toBe(true);
      expect(commit.commit.blockId.hash).toEqual(stored.blockId.hash);
      const latestCommit = await client.commit();
      expect(latestCommit.canonical).toBe(false);

      const vals = await client.validators({ height: 2 });
      expect(vals.total).toBe(1);
      expect(vals.validators[0].pubkey?.data).toEqual(node.pubKey);
      expect(vals.validators[0].votingPower).toBe(10n);
      const all = await client.validatorsAll(2);
      expect(all.validators).toHaveLength(1);

      const genesis = await client.genesis();
      expect(genesis.chainId).toBe('sekai-rpc-test');
      expect(genesis.consensusParams.block?.maxBytes).toBe(22020096);
      expect(genesis.validators[0].votingPower).toBe(10n);

      const info = await client.abciInfo();
      expect(info.lastBlockHeight).toBe(node.blocks.height());
      expect(info.data).toBe('kv-test');
    } finally {
      client.disconnect();
    }
  });

  it('answers abci_query at the latest and a past height, with proofs', async () => {
    const client = await connect38(server.url);
    try {
      const now = await client.abciQuery({ path: '/store/kv/key', data: utf8('alpha') });
      expect(Buffer.from(now.value).toString()).toBe('1');
      expect(now.height).toBe(node.blocks.height());
      const past = await client.abciQuery({ path: '/store/kv/key', data: utf8('gamma'), height: 2 });
      expect(past.value).toHaveLength(0);
      expect(past.height).toBe(2);
      const proved = await client.abciQuery({ path: '/store/kv/key', data: utf8('alpha'), prove: true });
      expect(proved.proof?.ops[0].type).toBe('ics23:iavl');
      const bad = await client.abciQuery({ path: '/nope', data: new Uint8Array() });
      expect(bad.code).toBe(6);
      expect(bad.log).toContain('unknown query path');
    } finally {
      client.disconnect();
    }
  });

  it('broadcasts txs (sync, async, commit) and finds them by hash and by events', async () => {
    const client = await connect38(server.url);
    try {
      const sync = await client.broadcastTxSync({ tx: utf8('delta=4') });
      expect(sync.code).toBe(0);
      expect(sync.hash).toEqual(sha256(utf8('delta=4')));
      const refused = await client.broadcastTxSync({ tx: utf8('no equals sign') });
      expect(refused.code).toBe(2);
      expect(refused.codespace).toBe('kv');
      await expect(client.broadcastTxSync({ tx: utf8('delta=4') })).rejects.toThrow(/tx already exists in cache/);

      const asyncRes = await client.broadcastTxAsync({ tx: utf8('epsilon=5') });
      expect(asyncRes.hash).toEqual(sha256(utf8('epsilon=5')));

      const committed = await client.broadcastTxCommit({ tx: utf8('zeta=6') });
      expect(committed.checkTx.code).toBe(0);
      expect(committed.txResult?.code).toBe(0);
      expect(committed.height).toBeGreaterThan(3);
      expect(committed.txResult?.events.find((e) => e.type === 'kv')?.attributes[0].value).toBe('zeta');

      const found = await client.tx({ hash: sha256(utf8('zeta=6')), prove: true });
      expect(found.height).toBe(committed.height);
      expect(Buffer.from(found.tx).toString()).toBe('zeta=6');
      expect(found.proof?.proof.total).toBeGreaterThanOrEqual(1);
      const block = await client.block(found.height);
      expect(found.proof?.rootHash).toEqual(block.block.header.dataHash);

      await expect(client.tx({ hash: sha256(utf8('never sent')) })).rejects.toThrow(/not found/);

      const byHash = await client.txSearch({ query: `tx.hash='${hex(sha256(utf8('beta=22')))}'` });
      expect(byHash.totalCount).toBe(1);
      expect(byHash.txs[0].height).toBe(2);
      expect(byHash.txs[0].index).toBe(1);

      const byEvent = await client.txSearchAll({ query: "message.action='set'", per_page: 2 });
      expect(byEvent.totalCount).toBeGreaterThanOrEqual(5);
      expect(byEvent.txs.length).toBe(byEvent.totalCount);
      const heights = byEvent.txs.map((t) => t.height);
      expect([...heights].sort((a, b) => a - b)).toEqual(heights);

      const desc = await client.txSearch({ query: 'tx.height>=2 AND tx.height<=3', order_by: 'desc' });
      expect(desc.txs.map((t) => Buffer.from(t.tx).toString())).toEqual(['gamma=333', 'broken', 'beta=22', 'alpha=1']);
      const numeric = await client.txSearch({ query: 'kv.size>2 AND tx.height<4' });
      expect(numeric.txs.map((t) => Buffer.from(t.tx).toString())).toEqual(['gamma=333']);
      // Attributes not marked index=true are not searchable, as with CometBFT's kv indexer.
      const hidden = await client.txSearch({ query: "kv.hidden='1'" });
      expect(hidden.totalCount).toBe(0);
      await expect(client.txSearch({ query: "message.action='set' OR x=1" })).rejects.toThrow(/invalid query/);

      const blocks = await client.blockSearch({ query: 'block.height<=2' });
      expect(blocks.totalCount).toBe(2);
      // cosmjs re-sorts block_search results ascending; the server's default order is checked over raw HTTP.
      expect(blocks.blocks.map((b) => b.block.header.height)).toEqual([1, 2]);
      const blocksAsc = await client.blockSearchAll({ query: "block_marker.height='3'", order_by: 'asc' });
      expect(blocksAsc.blocks.map((b) => b.block.header.height)).toEqual([3]);

      const pending = await client.numUnconfirmedTxs();
      expect(pending.total).toBe(node.mempool.size());
    } finally {
      client.disconnect();
    }
  });

  it('pushes NewBlock, NewBlockHeader and Tx events over WebSocket', async () => {
    const client = await connect38(server.url.replace('http://', 'ws://'));
    try {
      expect(client).toBeInstanceOf(Comet38Client);
      const nextBlock = new Promise<number>((resolve, reject) => {
        const sub = client.subscribeNewBlock().subscribe({
          next: (b) => {
            sub.unsubscribe();
            resolve(b.header.height);
          },
          error: reject,
        });
      });
      const nextHeader = new Promise<number>((resolve, reject) => {
        const sub = client.subscribeNewBlockHeader().subscribe({
          next: (h) => {
            sub.unsubscribe();
            resolve(h.height);
          },
          error: reject,
        });
      });
      const txEvent = new Promise<{ height: number; hash: Uint8Array; code: number; tx: string }>((resolve, reject) => {
        const sub = client.subscribeTx("kv.key='eta'").subscribe({
          next: (t) => {
            sub.unsubscribe();
            resolve({ height: t.height, hash: t.hash, code: t.result.code, tx: Buffer.from(t.tx).toString() });
          },
          error: reject,
        });
      });
      // Give the subscriptions time to be acknowledged before the block is produced.
      await new Promise((r) => setTimeout(r, 100));
      await client.broadcastTxSync({ tx: utf8('theta=8') });
      await client.broadcastTxSync({ tx: utf8('eta=7') });
      const [h, hh, tx] = await Promise.all([nextBlock, nextHeader, txEvent]);
      expect(hh).toBe(h);
      expect(tx.tx).toBe('eta=7');
      expect(tx.hash).toEqual(sha256(utf8('eta=7')));
      expect(tx.code).toBe(0);
      expect(tx.height).toBe(h);
      // The socket still serves plain calls.
      const status = await client.status();
      expect(status.syncInfo.latestBlockHeight).toBeGreaterThanOrEqual(h);
    } finally {
      // Not client.disconnect(): over WebSocket cosmjs would reconnect and keep the worker alive.
      disconnectComet(client);
    }
  });

  it('serves StargateClient: chain id, height, blocks and searchTx', async () => {
    const client = await StargateClient.connect(server.url);
    try {
      expect(await client.getChainId()).toBe('sekai-rpc-test');
      expect(await client.getHeight()).toBe(node.blocks.height());
      const block = await client.getBlock(2);
      expect(block.header.height).toBe(2);
      expect(block.txs).toHaveLength(3);
      expect(block.id).toBe(hex((await node.blocks.block(2))!.blockId.hash));
      const txs = await client.searchTx([{ key: 'kv.key', value: 'beta' }]);
      expect(txs).toHaveLength(1);
      expect(txs[0].height).toBe(2);
      expect(txs[0].hash).toBe(hex(sha256(utf8('beta=22'))));
      expect(txs[0].events.some((e) => e.type === 'message')).toBe(true);
      const byHash = await client.getTx(hex(sha256(utf8('alpha=1'))));
      expect(byHash?.code).toBe(0);
      expect(byHash?.gasUsed).toBe(500n);
    } finally {
      client.disconnect();
    }
  });
});
