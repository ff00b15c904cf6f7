/**
 * Drives the ABCI server over real sockets the way CometBFT v0.38 does: four connections
 * opened in CometBFT's order (query, snapshot, mempool, consensus), the startup handshake,
 * several heights of PrepareProposal / ProcessProposal / FinalizeBlock / Commit,
 * pipelined CheckTx, queries and state sync between two application instances.
 */
import * as path from 'node:path';
import { ResponseOfferSnapshot_Result, ResponseProcessProposal_ProposalStatus } from 'cosmjs-types/tendermint/abci/types';
import { AbciClient } from '../../abci/client';
import { AbciServer } from '../../abci/server';
import { KV_CODE_BAD_TX, KV_CODE_NOT_FOUND, KvApp, kvStateHash, kvTx } from './kvApp';
import { sleep, tempDir } from './helpers';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

interface Node {
  app: KvApp;
  server: AbciServer;
  query: AbciClient;
  snapshot: AbciClient;
  mempool: AbciClient;
  consensus: AbciClient;
  close(): Promise<void>;
}

/** Starts a server for a fresh KvApp and opens CometBFT's four connections in its order. */
async function startNode(listen: string): Promise<Node> {
  const app = new KvApp();
  const server = new AbciServer(app);
  await server.listen(listen);
  const conns: AbciClient[] = [];
  for (let i = 0; i < 4; i++) {
    const c = new AbciClient();
    await c.connect(server.address());
    conns.push(c);
  }
  const [query, snapshot, mempool, consensus] = conns;
  return {
    app,
    server,
    query,
    snapshot,
    mempool,
    consensus,
    async close() {
      await Promise.all(conns.map((c) => c.close()));
      await server.close();
    },
  };
}

const INFO = { version: '0.38.25', blockVersion: 11n, p2pVersion: 8n, abciVersion: '2.0.0' };
const GENESIS_TIME = { seconds: 1_700_000_000n, nanos: 0 };

/** Runs Info, InitChain and `heights` blocks; returns the expected state to compare against. */
async function walkChain(node: Node, heights: number): Promise<Map<string, string>> {
  const { query, mempool, consensus, server } = node;
  expect(server.connectionCount).toBe(4);
  expect((await query.echo('hello')).message).toBe('hello');

  const info0 = await query.info(INFO);
  expect(info0.lastBlockHeight).toBe(0n);
  expect(info0.version).toBe('kv-1');

  const genesis = { alice: '1', bob: '2' };
  const expected = new Map(Object.entries(genesis));
  const init = await consensus.initChain({
    time: GENESIS_TIME,
    chainId: 'kv-test',
    initialHeight: 1n,
    appStateBytes: new TextEncoder().encode(JSON.stringify(genesis)),
  });
  expect(hex(init.appHash)).toBe(hex(kvStateHash(expected)));

  for (let h = 1; h <= heights; h++) {
    const txs = [kvTx(`k${h}`, `v${h}`), kvTx('alice', String(100 + h)), new TextEncoder().encode('not-a-kv-tx')];
    const checks = await Promise.all(txs.map((tx) => mempool.checkTxAsync({ tx })).concat([mempool.flush() as never]));
    expect(checks.slice(0, 3).map((c) => c.code)).toEqual([0, 0, KV_CODE_BAD_TX]);

    const time = { seconds: GENESIS_TIME.seconds + BigInt(h), nanos: 0 };
    const prep = await consensus.prepareProposal({ maxTxBytes: 1_000_000n, txs, height: BigInt(h), time });
    expect(prep.txs.map(hex)).toEqual(txs.slice(0, 2).map(hex));

    const proc = await consensus.processProposal({ txs: prep.txs, height: BigInt(h), time, hash: new Uint8Array(32).fill(h) });
    expect(proc.status).toBe(ResponseProcessProposal_ProposalStatus.ACCEPT);

    const fin = await consensus.finalizeBlock({ txs: prep.txs, height: BigInt(h), time, hash: new Uint8Array(32).fill(h) });
    expect(fin.txResults.map((r) => r.code)).toEqual([0, 0]);
    expect(fin.txResults[0].events[0]).toEqual({ type: 'kv', attributes: [{ key: 'key', value: `k${h}`, index: true }] });
    expected.set(`k${h}`, `v${h}`);
    expected.set('alice', String(100 + h));
    expect(hex(fin.appHash)).toBe(hex(kvStateHash(expected)));

    // Not yet committed: queries still see the previous height.
    expect((await query.query({ path: '/key', data: Buffer.from(`k${h}`) })).code).toBe(KV_CODE_NOT_FOUND);
    expect((await consensus.commit()).retainHeight).toBe(0n);

    const q = await query.query({ path: '/key', data: Buffer.from(`k${h}`) });
    expect(q.code).toBe(0);
    expect(Buffer.from(q.value).toString()).toBe(`v${h}`);
    expect(q.height).toBe(BigInt(h));
    const info = await query.info(INFO);
    expect(info.lastBlockHeight).toBe(BigInt(h));
    expect(hex(info.lastBlockAppHash)).toBe(hex(fin.appHash));
  }
  return expected;
}

describe('ABCI server driven like CometBFT', () => {
  it('serves the startup handshake and several heights over TCP', async () => {
    const node = await startNode('tcp://127.0.0.1:0');
    try {
      expect(node.server.address()).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
      await walkChain(node, 5);
      expect(node.app.calls.slice(0, 2)).toEqual(['info', 'initChain']);
      const blockCalls = node.app.calls.filter((c) => ['prepareProposal', 'processProposal', 'finalizeBlock', 'commit'].includes(c));
      expect(blockCalls).toEqual(Array.from({ length: 5 }, () => ['prepareProposal', 'processProposal', 'finalizeBlock', 'commit']).flat());
    } finally {
      await node.close();
    }
  });

  it('serves the same walk over a unix socket', async () => {
    const tmp = tempDir('abci-unix-');
    const sock = path.join(tmp.dir, 'app.sock');
    const node = await startNode(`unix://${sock}`);
    try {
      expect(node.server.address()).toBe(`unix://${sock}`);
      await walkChain(node, 3);
    } finally {
      await node.close();
      tmp.cleanup();
    }
  });

  it('answers 100 pipelined CheckTx only at the Flush, all in request order', async () => {
    const node = await startNode('tcp://127.0.0.1:0');
    try {
      // About 8 KiB of CheckTx: the client's 4 KiB write buffer (Go's bufio size) spills
      // part of it before the Flush, as CometBFT's does.
      const order: number[] = [];
      const txs = Array.from({ length: 100 }, (_, i) => kvTx(`key-${i}`, 'x'.repeat(i % 7 === 0 ? 0 : 80)));
      txs[13] = new TextEncoder().encode('bad tx');
      const answers = txs.map((tx, i) =>
        node.mempool.checkTxAsync({ tx }).then((r) => {
          order.push(i);
          return r;
        }),
      );
      const checks = () => node.app.calls.filter((c) => c === 'checkTx').length;
      for (let waited = 0; checks() === 0 && waited < 5000; waited += 10) await sleep(10);
      await sleep(20);
      expect(checks()).toBeGreaterThan(0); // the spilled part was handled ...
      expect(order).toEqual([]); // ... but nothing is answered before the Flush
      expect(node.mempool.pending).toBe(100);

      await node.mempool.flush();
      const results = await Promise.all(answers);
      expect(order).toEqual(Array.from({ length: 100 }, (_, i) => i));
      results.forEach((r, i) => {
        if (i === 13) expect(r.code).toBe(KV_CODE_BAD_TX);
        else expect([r.code, Buffer.from(r.data).toString()]).toEqual([0, `key-${i}`]);
      });
      expect(node.mempool.pending).toBe(0);
    } finally {
      await node.close();
    }
  });

  it('state-syncs a second application from the first over the snapshot connections', async () => {
    const a = await startNode('tcp://127.0.0.1:0');
    const b = await startNode('tcp://127.0.0.1:0');
    try {
      const expected = await walkChain(a, 4);
      const { snapshots } = await a.snapshot.listSnapshots();
      expect(snapshots).toHaveLength(1);
      const snap = snapshots[0];
      expect(snap.height).toBe(4n);

      const trustedAppHash = (await a.query.info(INFO)).lastBlockAppHash;
      expect((await b.snapshot.offerSnapshot({ snapshot: { ...snap, format: 99 }, appHash: trustedAppHash })).result).toBe(
        ResponseOfferSnapshot_Result.REJECT_FORMAT,
      );
      expect((await b.snapshot.offerSnapshot({ snapshot: snap, appHash: trustedAppHash })).result).toBe(ResponseOfferSnapshot_Result.ACCEPT);
      const { chunk } = await a.snapshot.loadSnapshotChunk({ height: snap.height, format: snap.format, chunk: 0 });
      expect(chunk.length).toBeGreaterThan(0);
      const applied = await b.snapshot.applySnapshotChunk({ index: 0, chunk, sender: 'peer-a' });
      expect(applied.result).toBe(1); // ACCEPT

      const info = await b.query.info(INFO);
      expect(info.lastBlockHeight).toBe(4n);
      expect(hex(info.lastBlockAppHash)).toBe(hex(kvStateHash(expected)));
      expect(Buffer.from((await b.query.query({ path: '/key', data: Buffer.from('k3') })).value).toString()).toBe('v3');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('serves vote extensions on the consensus connection', async () => {
    const node = await startNode('tcp://127.0.0.1:0');
    try {
      const ext = await node.consensus.extendVote({ height: 7n, hash: new Uint8Array(32) });
      expect(Buffer.from(ext.voteExtension).toString()).toBe('ext-7');
      const ok = await node.consensus.verifyVoteExtension({ height: 7n, voteExtension: ext.voteExtension, validatorAddress: new Uint8Array(20) });
      expect(ok.status).toBe(1);
      const bad = await node.consensus.verifyVoteExtension({ height: 8n, voteExtension: ext.voteExtension });
      expect(bad.status).toBe(2);
    } finally {
      await node.close();
    }
  });
});
