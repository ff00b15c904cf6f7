/**
 * The RPC and gRPC-web servers over the real embedded node (engine, LevelDB block store with
 * its event index, mempool) and a real key/value ABCI application, driven by @cosmjs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { Comet38Client, connectComet } from '@cosmjs/tendermint-rpc';
import { StargateClient } from '@cosmjs/stargate';
import { connectCometClient, disconnectComet } from '../../client/rpc';
import { startNode, type RunningNode } from '../../node/node';
import { startRpcServer, type RpcServer } from '../../node/rpc/server';
import { KvApp } from '../engine/kvApp';
import { genesisFor, newKey, silent, tmpHome } from '../engine/helpers';

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

describe('RPC over the embedded engine', () => {
  let dir: string;
  let app: KvApp;
  let node: RunningNode;
  let server: RpcServer;

  beforeAll(async () => {
    dir = tmpHome('rpc');
    const me = newKey();
    app = await KvApp.open(path.join(dir, 'app'));
    node = await startNode({ home: dir, app, genesis: genesisFor([me]), privValidatorKey: me, logger: silent, emptyBlockInterval: 200, batchDelay: 2 });
    server = await startRpcServer(node, { laddr: 'tcp://127.0.0.1:0' });
  });

  afterAll(async () => {
    await server.close();
    await node.stop();
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves cosmjs status, blocks, commits, validators and genesis from the block store', async () => {
    const client = await connectComet(server.url);
    try {
      expect(client).toBeInstanceOf(Comet38Client);
      const c = client as Comet38Client;
      const status = await c.status();
      expect(status.nodeInfo.network).toBe('kv-test-1');
      expect(status.syncInfo.latestAppHash.length).toBeGreaterThan(0);
      const h = status.syncInfo.latestBlockHeight;
      const block = await c.block(h);
      expect(block.block.header.height).toBe(h);
      expect(block.blockId.hash).toEqual((await node.blocks.block(h))!.blockId.hash);
      const commit = await c.commit(h);
      expect(commit.commit.signatures[0].signature?.length).toBe(64);
      const vals = await c.validators({ height: h });
      expect(vals.validators[0].votingPower).toBe(10n);
      const genesis = await c.genesis();
      expect(genesis.chainId).toBe('kv-test-1');
      expect(genesis.validators).toHaveLength(1);
      // CometBFT completes a genesis validator's address from its key.
      expect(genesis.validators[0].address).toEqual(status.validatorInfo.address);
    } finally {
      client.disconnect();
    }
  });

  it('commits, indexes and pushes txs', async () => {
    const client = (await connectCometClient(server.url.replace('http://', 'ws://'))) as Comet38Client;
    try {
      const pushed = new Promise<string>((resolve, reject) => {
        const sub = client.subscribeTx("kv.key='planet'").subscribe({
          next: (t) => {
            sub.unsubscribe();
            resolve(Buffer.from(t.tx).toString());
          },
          error: reject,
        });
      });
      await new Promise((r) => setTimeout(r, 50));
      const res = await client.broadcastTxCommit({ tx: utf8('planet=mars') });
      expect(res.checkTx.code).toBe(0);
      expect(res.txResult?.code).toBe(0);
      expect(await pushed).toBe('planet=mars');

      const found = await client.txSearch({ query: `kv.key='planet' AND tx.height=${res.height}` });
      expect(found.totalCount).toBe(1);
      expect(found.txs[0].hash).toEqual(sha256(utf8('planet=mars')));
      const byHash = await client.tx({ hash: sha256(utf8('planet=mars')), prove: true });
      expect(byHash.proof?.rootHash).toEqual((await client.block(res.height)).block.header.dataHash);
      const blocks = await client.blockSearch({ query: `block.height=${res.height}` });
      expect(blocks.blocks[0].block.txs).toHaveLength(1);
      const results = await client.blockResults(res.height);
      expect(results.finalizeBlockEvents[0].type).toBe('kvblock');

      const q = await client.abciQuery({ path: '/key', data: utf8('planet') });
      expect(Buffer.from(q.value).toString()).toBe('mars');
    } finally {
      // Not client.disconnect(): over WebSocket cosmjs would reconnect and keep the worker alive.
      disconnectComet(client);
    }
  });

  it('serves StargateClient over the engine', async () => {
    const sg = await StargateClient.connect(server.url);
    try {
      expect(await sg.getChainId()).toBe('kv-test-1');
      const height = await sg.getHeight();
      expect(height).toBeGreaterThanOrEqual(1);
      expect((await sg.getBlock(height)).header.height).toBe(height);
      // (getTx/searchTx decode tx_result.data as TxMsgData, which this kv app does not write;
      // they are exercised against the RPC test node.)
      expect((await sg.getBlock()).header.chainId).toBe('kv-test-1');
    } finally {
      sg.disconnect();
    }
  });
});
