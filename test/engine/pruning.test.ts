/**
 * Block-store pruning driven by the app's Commit retain_height: the engine deletes blocks,
 * results and indexes below it, the RPC reports the new earliest height and answers CometBFT's
 * error for pruned heights, and all of it survives a restart.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../node/engine/engine';
import { startNode, type RunningNode } from '../../node/node';
import { startRpcServer, type RpcServer } from '../../node/rpc/server';
import { sha256 } from '../../crypto/hash';
import { KvApp } from './kvApp';
import { genesisFor, newKey, silent, tmpHome, waitHeight } from './helpers';

const tx = (s: string) => new Uint8Array(Buffer.from(s));

async function rpc(server: RpcServer, method: string, params: Record<string, unknown> = {}) {
  const res = await fetch(server.url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return (await res.json()) as { result?: Record<string, unknown>; error?: { code: number; message: string; data: string } };
}

describe('block-store pruning', () => {
  const homes: string[] = [];
  afterAll(() => homes.forEach((h) => fs.rmSync(h, { recursive: true, force: true })));

  it('keeps only the heights at or above retain_height, in the store and over the RPC, across a restart', async () => {
    const dir = tmpHome('prune');
    homes.push(dir);
    const me = newKey();
    const genesis = genesisFor([me]);
    let app = await KvApp.open(path.join(dir, 'app'));
    app.retainBlocks = 3;
    // No empty blocks: each tx below makes one block, so heights hold still while they are checked.
    const quiet = { genesis, privValidatorKey: me, logger: silent, emptyBlockInterval: 600_000, batchDelay: 1 };
    let node: RunningNode = await startNode({ home: dir, app, ...quiet });
    let server = await startRpcServer(node, { laddr: 'tcp://127.0.0.1:0' });
    try {
      // One tx early (to be pruned), then enough blocks to push it below the retained window.
      const early = await node.broadcastTxCommit(tx('early=1'), 5000);
      const earlyHeight = early.inclusion!.height;
      for (let i = 0; i < 6; i++) expect((await node.broadcastTxCommit(tx(`k${i}=${i}`), 5000)).inclusion).toBeDefined();
      const latest = node.blocks.height();
      const base = node.blocks.base();
      // retain_height after committing `latest` is latest - 3 + 1: three blocks kept.
      expect(latest).toBeGreaterThanOrEqual(earlyHeight + 6);
      expect(base).toBe(latest - 2);

      // Store: the pruned heights, their results and index rows are gone; retained ones are whole.
      expect(await node.blocks.block(base - 1)).toBeUndefined();
      expect(await node.blocks.results(base - 1)).toBeUndefined();
      expect(await node.blocks.block(earlyHeight)).toBeUndefined();
      expect(await node.blocks.txByHash(sha256(tx('early=1')))).toBeUndefined();
      expect((await node.engine.store.txSearch("kv.key='early'")).total).toBe(0);
      expect((await node.engine.store.blockSearch(`block.height=${earlyHeight}`)).total).toBe(0);
      expect(await node.blocks.validators(base - 2)).toBeUndefined();
      expect(await node.blocks.validators(base - 1)).toBeDefined(); // signed base's last commit
      expect((await node.blocks.block(base))!.block.header.height).toBe(BigInt(base));

      // RPC: status reports the earliest height; pruned heights answer CometBFT's error text.
      const status = (await rpc(server, 'status')).result!;
      const sync = status.sync_info as Record<string, string>;
      expect(Number(sync.earliest_block_height)).toBe(node.blocks.base());
      expect(sync.earliest_block_hash).toBe(Buffer.from((await node.blocks.block(node.blocks.base()))!.blockId.hash).toString('hex').toUpperCase());
      const pruned = await rpc(server, 'block', { height: String(earlyHeight) });
      expect(pruned.error).toEqual({ code: -32603, message: 'Internal error', data: `height ${earlyHeight} is not available, lowest height is ${node.blocks.base()}` });
      expect((await rpc(server, 'block_results', { height: String(earlyHeight) })).error?.data).toMatch(/is not available, lowest height is/);
      expect((await rpc(server, 'block', { height: String(node.blocks.base()) })).result).toBeDefined();
      const chain = (await rpc(server, 'blockchain', { minHeight: '1', maxHeight: String(latest) })).result!;
      const metas = chain.block_metas as Array<{ header: { height: string } }>;
      expect(Math.min(...metas.map((m) => Number(m.header.height)))).toBe(node.blocks.base());
    } finally {
      await server.close();
      await node.stop();
      await app.close();
    }

    // Restart: the base is persisted and pruning continues with new blocks.
    const baseBefore = node.blocks.base();
    app = await KvApp.open(path.join(dir, 'app'));
    app.retainBlocks = 3;
    node = await startNode({ home: dir, app, ...quiet });
    server = await startRpcServer(node, { laddr: 'tcp://127.0.0.1:0' });
    try {
      expect(node.blocks.base()).toBe(baseBefore);
      await node.broadcastTxCommit(tx('later=1'), 5000);
      expect(node.blocks.base()).toBe(node.blocks.height() - 2);
      expect(node.blocks.base()).toBeGreaterThan(baseBefore);
      expect((await rpc(server, 'block', { height: String(baseBefore) })).error?.data).toBe(`height ${baseBefore} is not available, lowest height is ${node.blocks.base()}`);
    } finally {
      await server.close();
      await node.stop();
      await app.close();
    }
  });

  it('keeps everything when retain_height is 0, and never prunes what a restart would replay', async () => {
    const dir = tmpHome('noprune');
    homes.push(dir);
    const me = newKey();
    const genesis = genesisFor([me]);
    const app = await KvApp.open(path.join(dir, 'app'));
    let engine = await Engine.start({ home: dir, app, genesis, privValidatorKey: me, logger: silent, emptyBlockInterval: 10, batchDelay: 1 });
    await waitHeight(engine, 6);
    expect(engine.store.base()).toBe(1);
    expect(await engine.store.block(1)).toBeDefined();
    await engine.stop();
    await app.close();

    // A fresh app replays every stored block: pruning waits for its Commit retain_height.
    const fresh = await KvApp.open(path.join(dir, 'app2'));
    fresh.retainBlocks = 2;
    engine = await Engine.start({ home: dir, app: fresh, genesis, privValidatorKey: me, logger: silent, emptyBlockInterval: 10, batchDelay: 1 });
    try {
      const top = engine.height();
      expect(fresh.calls.filter((c) => c.startsWith('finalize')).length).toBeGreaterThanOrEqual(6);
      await waitHeight(engine, top + 1);
      expect(engine.store.base()).toBeGreaterThanOrEqual(engine.height() - 2);
      // A retain height above the latest block is refused by the store, not applied.
      await expect(engine.store.prune(engine.store.height() + 5)).rejects.toThrow(/cannot prune beyond the latest height/);
    } finally {
      await engine.stop();
      await fresh.close();
    }
  });
});
