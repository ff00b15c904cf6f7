/**
 * A running embedded node: the engine, its block store and mempool behind the NodeHandle
 * that the RPC and gRPC-web servers read.
 */
import type pino from 'pino';
import type { RequestQuery, ResponseCheckTx, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import type { AbciApplication } from '../abci/application';
import { sha256 } from '../crypto/hash';
import { COMETBFT_VERSION, Engine, type EngineOptions } from './engine/engine';
import { parseGenesis, type GenesisDoc } from './engine/genesis';
import type { PrivValidatorKey } from './consensus/signing';
import type { TxInclusion } from './mempool/mempool';
import type { NodeEvents, NodeHandle } from './types';
import { signTxFailedNotice } from './notices/txFailed';

export { COMETBFT_VERSION };

export interface NodeOptions {
  home: string;
  app: AbciApplication;
  /** A parsed genesis document, or genesis.json contents. */
  genesis: GenesisDoc | unknown;
  privValidatorKey: PrivValidatorKey;
  moniker?: string;
  /** The p2p node key's public key (node ID = hex sha256(pubkey)[:20]); defaults to the validator key. */
  nodePubKey?: Uint8Array;
  /** The node key's seed, which signs failed-tx notices (with `nodePubKey`); defaults to the validator key. */
  nodeKeySeed?: Uint8Array;
  blockTime?: number;
  emptyBlockInterval?: number;
  batchDelay?: number;
  maxTxBytes?: number;
  mempool?: { maxTxs?: number; maxTxsBytes?: number; maxTxBytes?: number; cacheSize?: number };
  logger?: pino.Logger;
  /** Called between the steps of each height (metrics time a block with it). */
  onStep?: EngineOptions['onStep'];
}

export interface RunningNode extends NodeHandle {
  engine: Engine;
  /**
   * broadcast_tx_commit: CheckTx and add, then wait for the tx's block. Resolves with the
   * CheckTx response alone when CheckTx refuses the tx; rejects on timeout.
   */
  broadcastTxCommit(tx: Uint8Array, timeoutMs: number): Promise<{ checkTx: ResponseCheckTx; inclusion?: TxInclusion }>;
  /** Stops block production and closes the store (the app is the caller's to close). */
  stop(): Promise<void>;
}

function isGenesisDoc(g: unknown): g is GenesisDoc {
  return typeof g === 'object' && g !== null && 'genesisTime' in g && 'consensusParams' in g;
}

export async function startNode(opts: NodeOptions): Promise<RunningNode> {
  const genesis = isGenesisDoc(opts.genesis) ? opts.genesis : parseGenesis(opts.genesis);
  const engine = await Engine.start({
    home: opts.home,
    app: opts.app,
    genesis,
    privValidatorKey: opts.privValidatorKey,
    blockTime: opts.blockTime,
    emptyBlockInterval: opts.emptyBlockInterval,
    batchDelay: opts.batchDelay,
    maxTxBytes: opts.maxTxBytes,
    mempool: opts.mempool,
    logger: opts.logger,
    onStep: opts.onStep,
  });
  const app = opts.app;
  const nodeKey =
    opts.nodePubKey && opts.nodeKeySeed ? { pubKey: opts.nodePubKey, seed: opts.nodeKeySeed } : { pubKey: opts.privValidatorKey.pubKey, seed: opts.privValidatorKey.privKey };
  const nodeId = Buffer.from(sha256(opts.nodePubKey ?? opts.privValidatorKey.pubKey).subarray(0, 20)).toString('hex');
  // Failed-tx notices: signed by the node key and published on the events (node/notices).
  engine.mempool.onFailed((f) => {
    if (nodeId !== Buffer.from(sha256(nodeKey.pubKey).subarray(0, 20)).toString('hex')) return; // no key to sign as this node ID
    const notice = signTxFailedNotice(
      {
        chain_id: genesis.chainId,
        node_id: nodeId,
        tx_hash: Buffer.from(f.hash).toString('hex').toUpperCase(),
        stage: f.stage,
        code: f.code,
        codespace: f.codespace,
        log: f.log,
        height: String(engine.store.height()),
        time: new Date().toISOString(),
      },
      nodeKey,
    );
    engine.events.emit('txFailed', notice);
  });

  const node: RunningNode = {
    engine,
    chainId: genesis.chainId,
    moniker: opts.moniker ?? 'sekai-ts',
    nodeId,
    genesisJson: genesis.json,
    blocks: engine.store,
    mempool: engine.mempool,
    events: engine.events as unknown as NodeEvents,
    query: async (req: RequestQuery): Promise<ResponseQuery> => app.query(req),
    checkTx: async (tx: Uint8Array): Promise<ResponseCheckTx> => app.checkTx({ tx, type: CheckTxType.NEW }),
    validatorInfo() {
      const height = engine.height();
      const vals = engine.store.height() > 0 ? cachedVals(height + 1) : undefined;
      const me = vals?.find((v) => Buffer.from(v.address).equals(Buffer.from(engine.privValidator.address)));
      return { address: engine.privValidator.address, pubKey: engine.privValidator.pubKey, power: me?.power ?? 0n };
    },
    async appInfo() {
      const info = await app.info({ version: COMETBFT_VERSION, blockVersion: 11n, p2pVersion: 8n, abciVersion: '2.0.0' });
      return {
        data: info.data,
        version: info.version,
        appVersion: info.appVersion,
        lastBlockHeight: info.lastBlockHeight,
        lastBlockAppHash: info.lastBlockAppHash,
      };
    },
    async broadcastTxCommit(tx, timeoutMs) {
      const wait = engine.mempool.waitForTx(sha256(tx), timeoutMs);
      let checkTx: ResponseCheckTx;
      try {
        checkTx = await engine.mempool.add(tx);
      } catch (e) {
        wait.cancel();
        throw e;
      }
      if (checkTx.code !== 0) {
        wait.cancel();
        return { checkTx };
      }
      return { checkTx, inclusion: await wait.promise };
    },
    stop: () => engine.stop(),
  };

  // Voting power for validator_info: the set of the next height, refreshed on every block.
  let powers = new Map<number, Awaited<ReturnType<Engine['validatorsAt']>>>();
  const refresh = async () => {
    const h = engine.height() + 1;
    powers = new Map([[h, await engine.validatorsAt(h)]]);
  };
  function cachedVals(h: number) {
    return powers.get(h);
  }
  await refresh();
  engine.events.on('block', () => {
    refresh().catch(() => undefined);
  });
  return node;
}
