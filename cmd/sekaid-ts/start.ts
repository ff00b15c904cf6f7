/**
 * `sekaid-ts start`: opens the application state under <home>/data/application.db, builds the
 * app from config/app.toml, and then either
 *  - runs the embedded single-validator engine (default) with the home's priv_validator_key
 *    and serves the CometBFT-compatible RPC beside it, or
 *  - with `--with-comet=false`, serves only the ABCI socket (`--address`, `--transport
 *    socket`) for an external `cometbft node --home <same home>`.
 * SIGINT / SIGTERM stop block production, close the servers and the databases in order.
 */
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { AbciServer } from '../../abci/server';
import { appStoreKeys, CODE_VERSION, createApp, genesisHasMultistaking, type SekaiApp } from '../../app/app';
import { servesQueryPath } from '../../runtime/query';
import { parseMempoolFeeFloor } from '../../runtime/mempoolFees';
import { readAppConfig, readCometConfig, readJsonFile, readNodeKey, readPrivValidatorKey, type AppConfig } from '../../node/config';
import { nowTimestamp } from '../../node/engine/engine';
import { parseGenesis } from '../../node/engine/genesis';
import { startNode, type RunningNode } from '../../node/node';
import { RPC_LIMITS, startRpcServer, type RpcServer } from '../../node/rpc/server';
import { parseLaddr } from '../../node/http/server';
import { checkSoleSigner, type PoweredKey } from '../../node/engine/soleSigner';
import { BlockStore } from '../../node/blockstore/blockStore';
import { isLocked } from './export';
import { startGrpcWebServer, type GrpcWebServer } from '../../node/grpcweb/server';
import { startRestServer, type RestServer } from '../../node/rest/server';
import { txService } from '../../node/grpcweb/txService';
import { haltGuard } from '../../node/halt';
import { chainService, nodeServices } from '../../node/grpcweb/chainService';
import { Metrics } from '../../node/metrics/metrics';
import { startMetricsServer, type MetricsServer } from '../../node/metrics/server';
import { startUiServer, type UiServer } from '../../node/ui/server';
import type { NewBlockEvent } from '../../node/types';
import { corsPolicy } from '../../node/http/cors';
import type { PruningOptions } from '../../store/types';
import { applyNodeV8Flags } from '../../node/v8flags';
import { SnapshotManager, SnapshotStore } from '../../node/snapshots';
import type { SekaidEnv } from './env';
import { ErrUsage } from './errors';

/** Parses a Go-style duration ("1s", "500ms", "1m30s") into milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * units[m[2]];
    consumed = m.index + m[0].length;
  }
  if (text === '' || consumed !== text.length) throw ErrUsage.wrap(`${flag} must be a duration such as 1s or 500ms, got "${text}"`);
  return Math.round(total);
}

function boolFlag(v: string | boolean | undefined, flag: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw ErrUsage.wrap(`${flag} must be true or false, got "${String(v)}"`);
}

/** app.toml pruning → store pruning options. */
export function storePruning(config: AppConfig): PruningOptions {
  const p = config.base.pruning;
  if (p === 'custom') return { strategy: 'custom', keepRecent: config.base['pruning-keep-recent'], keepEvery: config.base['pruning-keep-every'] };
  if (p === 'nothing' || p === 'everything' || p === 'default') return { strategy: p };
  throw ErrUsage.wrap(`app.toml: unknown pruning "${String(p)}"`);
}

interface StartOptions {
  withComet?: string | boolean;
  address?: string;
  transport: string;
  blockTime: string;
  emptyBlockInterval: string;
  'rpc.laddr'?: string;
  // commander camel-cases the dashed part of --grpc-web.address
  'grpcWeb.address'?: string;
  'api.address'?: string;
  'metrics.address'?: string;
  ui?: string | boolean;
  'ui.address'?: string;
}

/** Everything `start` opened, closed in reverse order. */
interface Running {
  app: SekaiApp;
  node?: RunningNode;
  rpc?: RpcServer;
  abci?: AbciServer;
  grpcWeb?: GrpcWebServer;
  rest?: RestServer;
  metrics?: MetricsServer;
  ui?: UiServer;
  /** config.toml [instrumentation] prometheus endpoint. */
  prometheus?: MetricsServer;
  /** Set once halt-height/halt-time is reached; `stop` ends untilStopped. */
  halt: { message?: string; stop?: () => void };
}

/** CometBFT's `:26660` means every interface; ours listen where told, the host defaulting to 0.0.0.0 as CometBFT's. */
function hostPort(addr: string): string {
  const bare = addr.replace(/^tcp:\/\//, '');
  return bare.startsWith(':') ? `0.0.0.0${bare}` : bare;
}

/** The RPC limits config.toml [rpc] sets (CometBFT's names). */
function rpcLimits(comet: ReturnType<typeof readCometConfig>) {
  const rpc = comet.rpc;
  const commitWait = parseDuration(rpc.timeout_broadcast_tx_commit, 'config.toml rpc.timeout_broadcast_tx_commit');
  return {
    maxOpenConnections: rpc.max_open_connections,
    maxRequestBatchSize: rpc.max_request_batch_size,
    maxBodyBytes: rpc.max_body_bytes,
    maxSubscriptionClients: rpc.max_subscription_clients,
    maxSubscriptionsPerClient: rpc.max_subscriptions_per_client,
    subscriptionBufferSize: rpc.experimental_subscription_buffer_size,
    closeOnSlowClient: rpc.experimental_close_on_slow_client,
    broadcastTxCommitTimeoutMs: commitWait,
    // A request may take as long as broadcast_tx_commit waits, plus its own work.
    requestTimeoutMs: Math.max(RPC_LIMITS.requestTimeoutMs, commitWait + 5_000),
  };
}

async function shutdown(r: Running, log: Logger): Promise<void> {
  await r.ui?.close().catch((err: unknown) => log.warn({ err: String(err) }, 'closing UI server'));
  await r.rpc?.close().catch((err: unknown) => log.warn({ err: String(err) }, 'closing RPC server'));
  await r.grpcWeb?.close().catch((err: unknown) => log.warn({ err: String(err) }, 'closing gRPC-web server'));
  await r.rest?.close().catch((err: unknown) => log.warn({ err: String(err) }, 'closing REST server'));
  await r.metrics?.close().catch((err: unknown) => log.warn({ err: String(err) }, 'closing metrics server'));
  await r.prometheus?.close().catch((err: unknown) => log.warn({ err: String(err) }, 'closing metrics server'));
  await r.abci?.close().catch((err: unknown) => log.warn({ err: String(err) }, 'closing ABCI server'));
  let failure: unknown;
  if (r.node) {
    try {
      await r.node.stop();
    } catch (err) {
      failure = err;
    }
  }
  await r.app.app.close();
  if (failure) throw failure;
}

export function startCommand(env: SekaidEnv, codeVersion = CODE_VERSION): Command {
  return new Command('start')
    .description('Run the node: the embedded engine and RPC (default), or only the ABCI socket for CometBFT (--with-comet=false)')
    .option('--with-comet [bool]', 'run the embedded engine; false = serve ABCI for an external cometbft node', 'true')
    .option('--address <addr>', 'ABCI listen address with --with-comet=false (default: app.toml abci.address)')
    .addOption(new Option('--transport <transport>', 'ABCI transport').choices(['socket']).default('socket'))
    .option('--block-time <duration>', 'longest wait between txs arriving and their block', '1s')
    .option('--empty-block-interval <duration>', 'longest gap without a block when no txs arrive', '5s')
    .option('--rpc.laddr <addr>', 'CometBFT RPC listen address (default: app.toml rpc.laddr)')
    .option('--api.address <addr>', 'REST (LCD) listen address (default: app.toml api.address)')
    .option('--grpc-web.address <addr>', 'gRPC-web listen address (default: app.toml grpc-web.address)')
    .option('--metrics.address <addr>', 'Prometheus metrics listen address (default: app.toml metrics.address)')
    .option('--ui [bool]', 'serve the web UI (default: app.toml ui.enable)')
    .option('--ui.address <addr>', 'web UI listen address (default: app.toml ui.address)')
    .action(async (opts: StartOptions) => {
      const log = env.logger();
      const layout = env.layout();
      const withComet = boolFlag(opts.withComet, '--with-comet', true);
      const uiFlag = opts.ui === undefined ? undefined : boolFlag(opts.ui, '--ui', true);
      const blockTime = parseDuration(opts.blockTime, '--block-time');
      const emptyBlockInterval = parseDuration(opts.emptyBlockInterval, '--empty-block-interval');
      if (blockTime <= 0) throw ErrUsage.wrap('--block-time must be positive');
      if (emptyBlockInterval <= 0) throw ErrUsage.wrap('--empty-block-interval must be positive');

      applyNodeV8Flags();
      const appConfig = readAppConfig(layout.appToml);
      const comet = readCometConfig(layout.configToml);
      const genesisJson = readJsonFile(layout.genesis);
      const genesis = parseGenesis(genesisJson);

      if (withComet) {
        // Refuse before anything is opened or bound: a set this key cannot sign alone, a busy RPC port.
        const blockStoreDir = join(layout.dataDir, 'blockstore.db');
        const localKey = readPrivValidatorKey(layout.privValidatorKey).pubKey;
        if (!existsSync(blockStoreDir)) {
          if (genesis.validators.length > 0) checkSoleSigner(genesis.validators, localKey, 'genesis validator set');
        } else {
          // A node that ran before: the set that signs its next block, as its block store holds it.
          const current = await currentValidatorSet(blockStoreDir);
          if (current && current.length > 0) checkSoleSigner(current, localKey, 'current validator set');
        }
        await checkPortFree(opts['rpc.laddr'] ?? appConfig.rpc.laddr, 'RPC', '--rpc.laddr');
      }
      // Every other listener too, in both modes: a node whose gRPC-web or metrics port is taken
      // says so in one line before its first block, not in a log line after it.
      for (const door of sideDoors(opts, appConfig, comet, uiFlag, withComet)) await checkPortFree(door.address, door.what, door.flag);

      log.info({ home: layout.home, chain_id: genesis.chainId }, 'opening application state');
      const app = await openAppState(layout.home, () => createApp({
        dbDir: join(layout.dataDir, 'application.db'),
        pruning: storePruning(appConfig),
        initialHeight: Number(genesis.initialHeight),
        // A genesis with delegations (e.g. exported after the "multistaking" upgrade) mounts its store from the start.
        multistakingAtGenesis: genesisHasMultistaking(genesisJson),
        writeAheadLog: appConfig.base['iavl-write-ahead-log'],
        // Always present: a node without snapshot-interval still restores one offered by CometBFT.
        snapshots: (store) =>
          new SnapshotManager({
            store: SnapshotStore.open(join(layout.dataDir, 'snapshots')),
            interval: appConfig['state-sync']['snapshot-interval'],
            keepRecent: appConfig['state-sync']['snapshot-keep-recent'],
            source: store,
            logger: log.child({ module: 'statesync' }),
            // For the end-to-end test of a peer serving a damaged chunk; never set on a real node.
            corruptServedChunk: process.env.SEKAID_TS_TEST_CORRUPT_SERVED_CHUNK ? Number(process.env.SEKAID_TS_TEST_CORRUPT_SERVED_CHUNK) : undefined,
          }),
        base: {
          codeVersion,
          // The block gas limit of the chain; CheckTx and the proposals keep to it.
          blockMaxGas: genesis.consensusParams.block?.maxGas,
          minRetainBlocks: appConfig.base['min-retain-blocks'],
          indexEvents: appConfig.base['index-events'],
          feeFloor: parseMempoolFeeFloor(appConfig.base['minimum-fees'], appConfig.base['minimum-gas-prices']),
          // The wall clock, for the mempool's timestamp rules and ProcessProposal's drift bound.
          clock: nowTimestamp,
        },
      }));
      const running: Running = { app, halt: {} };
      // app.toml halt-height/halt-time: after that Commit the node shuts down in order (exit 0).
      const abciApp = haltGuard(app.app, { height: appConfig.base['halt-height'], timeSeconds: appConfig.base['halt-time'] }, (message) => {
        running.halt.message = message;
        log.info({ halt_height: appConfig.base['halt-height'], halt_time: appConfig.base['halt-time'] }, message);
        process.stdout.write(`${message}\n`);
        running.halt.stop?.();
      });
      // One CORS rule for every server (node/http/cors.ts): closed unless origins are listed.
      const cors = corsPolicy({
        unsafe: appConfig.api['enabled-unsafe-cors'],
        origins: appConfig.api['cors-allowed-origins'],
        rpcOrigins: comet.rpc.cors_allowed_origins,
      });
      const storeNames = appStoreKeys();
      const metrics = new Metrics({
        chainId: genesis.chainId,
        knownQueryPath: (path) => servesQueryPath(app.app, path, storeNames),
      });
      try {
        if (!withComet) {
          const address = opts.address ?? appConfig.abci.address;
          running.abci = new AbciServer(abciApp, { logger: log });
          await running.abci.listen(address);
          log.info({ address: running.abci.address(), home: layout.home }, 'ABCI server ready: start `cometbft node --home <this home>`');
          process.stdout.write(`ABCI listening at ${running.abci.address()}\n`);
        } else {
          const valKey = readPrivValidatorKey(layout.privValidatorKey);
          const nodeKey = readNodeKey(layout.nodeKey);
          log.info({ height: app.store.lastCommitId().version }, 'starting embedded engine (replays blocks the app missed)');
          // Commit duration = from our signature on a block to its stored commit (execution,
          // Commit and the block store write), measured on the wall clock outside the state machine.
          let signedAt = 0;
          let commitMs = 0;
          const onStep = (step: string): void => {
            if (step === 'signed') signedAt = performance.now();
            else if (step === 'committed' && signedAt > 0) commitMs = performance.now() - signedAt;
          };
          running.node = await startNode({
            onStep,
            home: layout.home,
            app: abciApp,
            genesis,
            privValidatorKey: { pubKey: valKey.pubKey, privKey: valKey.seed },
            moniker: comet.base.moniker,
            nodePubKey: nodeKey.pubKey,
            nodeKeySeed: nodeKey.seed,
            blockTime,
            emptyBlockInterval,
            // CometBFT's module names, so config.toml's "consensus:info,*:error" means the same here.
            logger: log.child({ module: 'consensus' }),
            mempool: {
              maxTxs: comet.mempool.size,
              maxTxsBytes: comet.mempool.max_txs_bytes,
              maxTxBytes: comet.mempool.max_tx_bytes,
              cacheSize: comet.mempool.cache_size,
            },
          });
          const laddr = opts['rpc.laddr'] ?? appConfig.rpc.laddr;
          running.rpc = await startRpcServer(running.node, {
            laddr,
            corsAllowedOrigins: [...cors.origins],
            logger: log.child({ module: 'rpc' }),
            metrics,
            ...rpcLimits(comet),
          });
          const node = running.node;
          let lastTimeMs: number | undefined;
          node.events.on('newBlock', (ev: NewBlockEvent) => {
            const t = ev.stored.block.header?.time;
            const timeMs = t ? Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6) : 0;
            const votes = ev.stored.block.lastCommit?.signatures ?? [];
            // BlockIDFlagAbsent = 1: the validator's vote is missing from the last commit.
            const missing = votes.filter((v) => v.blockIdFlag === 1).length;
            metrics.recordBlock({
              height: ev.height,
              txs: ev.stored.block.data?.txs.length ?? 0,
              intervalMs: lastTimeMs === undefined ? -1 : timeMs - lastTimeMs,
              commitMs,
              codes: ev.results.txResults.map((r) => r.code),
              sizeBytes: ev.stored.size,
              missingValidators: ev.height > 1 ? missing : 0,
              byzantineValidators: ev.stored.block.evidence?.evidence.length ?? 0,
            });
            node.blocks.validators(ev.height).then(
              (vals) => vals && metrics.setValidators(vals.length, vals.reduce((sum, v) => sum + v.power, 0n)),
              () => undefined,
            );
            lastTimeMs = timeMs;
            metrics.setMempoolSize(node.mempool.size());
          });
          log.info({ url: running.rpc.url, chain_id: genesis.chainId, height: running.node.engine.height() }, 'node started');
          process.stdout.write(`RPC listening at ${running.rpc.url} (chain ${genesis.chainId}, height ${running.node.engine.height()})\n`);
        }
        // gRPC-web forwards each call to the app as an ABCI query, in both modes.
        if (appConfig['grpc-web'].enable) {
          const grpcAddr = opts['grpcWeb.address'] ?? appConfig['grpc-web'].address;
          const queryTarget = running.node ?? { query: (req: Parameters<typeof app.app.query>[0]) => Promise.resolve(app.app.query(req)) };
          const grpcRpcUrl = running.rpc?.url ?? `http://${comet.rpc.laddr.replace(/^tcp:\/\//, '')}`;
          running.grpcWeb = await auxiliary(log, 'gRPC-web', grpcAddr, () =>
            startGrpcWebServer(queryTarget, {
              laddr: grpcAddr.includes('://') ? grpcAddr : `tcp://${grpcAddr}`,
              corsAllowedOrigins: [...cors.origins],
              logger: log.child({ module: 'grpc-web' }),
              metrics,
              services: nodeServices(txService(grpcRpcUrl), chainService(grpcRpcUrl, queryTarget)),
            }),
          );
        }
        // REST reads the app directly and txs, blocks and status from this node's RPC (or CometBFT's).
        if (appConfig.api.enable) {
          const apiAddr = opts['api.address'] ?? appConfig.api.address;
          const queryTarget = running.node ?? { query: (req: Parameters<typeof app.app.query>[0]) => Promise.resolve(app.app.query(req)) };
          const rpcUrl = running.rpc?.url ?? `http://${comet.rpc.laddr.replace(/^tcp:\/\//, '')}`;
          running.rest = await auxiliary(log, 'REST', apiAddr, () =>
            startRestServer(queryTarget, { laddr: apiAddr.includes('://') ? apiAddr : `tcp://${apiAddr}`, cors, rpcUrl, logger: log }),
          );
          if (running.rest) process.stdout.write(`REST listening at ${running.rest.url}\n`);
        }
        if (appConfig.metrics.enable) {
          const metricsAddr = opts['metrics.address'] ?? appConfig.metrics.address;
          running.metrics = await auxiliary(log, 'metrics', metricsAddr, () =>
            startMetricsServer(metrics, { laddr: metricsAddr.includes('://') ? metricsAddr : `tcp://${metricsAddr}`, cors, logger: log }),
          );
        }
        // config.toml [instrumentation]: CometBFT's own metrics endpoint, off unless prometheus = true.
        if (comet.instrumentation.prometheus) {
          const promAddr = hostPort(comet.instrumentation.prometheus_listen_addr);
          running.prometheus = await auxiliary(log, 'metrics', promAddr, () =>
            startMetricsServer(metrics, {
              laddr: `tcp://${promAddr}`,
              cors,
              logger: log.child({ module: 'instrumentation' }),
              maxOpenConnections: comet.instrumentation.max_open_connections,
            }),
          );
        }
        // The UI proxies /rpc to this node's RPC, or to CometBFT's (config.toml rpc.laddr).
        if (uiFlag ?? appConfig.ui.enable) {
          const uiAddr = opts['ui.address'] ?? appConfig.ui.address;
          const rpcUrl = running.rpc?.url ?? `http://${comet.rpc.laddr.replace(/^tcp:\/\//, '')}`;
          running.ui = await auxiliary(log, 'UI', uiAddr, () => startUiServer({ laddr: uiAddr, rpcUrl, logger: log }));
          if (running.ui) process.stdout.write(`UI at ${running.ui.url}/\n`);
        }
      } catch (err) {
        await shutdown(running, log).catch(() => undefined);
        throw err;
      }
      await untilStopped(running, log);
    });
}

/** A second `start` on a home in use finds LevelDB's lock held: say so instead of "Database failed to open". */
async function openAppState<T>(home: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    if (isLocked(err)) throw ErrUsage.wrap(`the home ${home} is locked: another sekaid-ts process (a running node) is using it; stop that one first`);
    throw err;
  }
}

/** Binds and releases `address`, so a busy port is refused before the first block, not after it. */
async function checkPortFree(address: string, what: string, flag: string): Promise<void> {
  const { host, port } = parseLaddr(address.includes('://') ? address : `tcp://${address}`);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(ErrUsage.wrap(`the ${what} address ${address} is ${err.code === 'EADDRINUSE' ? 'in use' : `not available (${err.code ?? err.message})`}: set another with ${flag}${flag.startsWith('--') ? ' or in config/app.toml' : ''}`)),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/**
 * The validator set that signs the block after the last one in the block store at `dir`;
 * undefined when the store cannot be read now (a running node holds its lock: the state
 * store's lock check says so next, in its own words).
 */
async function currentValidatorSet(dir: string): Promise<PoweredKey[] | undefined> {
  let blocks: BlockStore;
  try {
    blocks = await BlockStore.open(dir);
  } catch {
    return undefined;
  }
  try {
    return await blocks.validators(blocks.height() + 1);
  } finally {
    await blocks.close();
  }
}

/** The enabled listeners beside ABCI and RPC, with the flag (or setting) that moves each. */
function sideDoors(
  opts: StartOptions,
  appConfig: ReturnType<typeof readAppConfig>,
  comet: ReturnType<typeof readCometConfig>,
  uiFlag: boolean | undefined,
  withComet: boolean,
): Array<{ what: string; address: string; flag: string }> {
  const doors: Array<{ what: string; address: string; flag: string }> = [];
  if (appConfig['grpc-web'].enable) doors.push({ what: 'gRPC-web', address: opts['grpcWeb.address'] ?? appConfig['grpc-web'].address, flag: '--grpc-web.address' });
  if (appConfig.api.enable) doors.push({ what: 'REST', address: opts['api.address'] ?? appConfig.api.address, flag: '--api.address' });
  if (appConfig.metrics.enable) doors.push({ what: 'metrics', address: opts['metrics.address'] ?? appConfig.metrics.address, flag: '--metrics.address' });
  // Under CometBFT, [instrumentation] is CometBFT's own listener; the app's bind there only logs.
  if (withComet && comet.instrumentation.prometheus) {
    doors.push({ what: 'Prometheus', address: hostPort(comet.instrumentation.prometheus_listen_addr), flag: 'prometheus_listen_addr in config/config.toml' });
  }
  if (uiFlag ?? appConfig.ui.enable) doors.push({ what: 'UI', address: opts['ui.address'] ?? appConfig.ui.address, flag: '--ui.address' });
  return doors;
}

/**
 * Starts a server the chain does not depend on (gRPC-web, metrics). Its port was checked free
 * before the state opened; one taken since then is logged as an error and the node keeps
 * running: losing a side door must not stop block production.
 */
async function auxiliary<T extends { url: string }>(log: Logger, what: string, address: string, start: () => Promise<T>): Promise<T | undefined> {
  try {
    const server = await start();
    log.info({ url: server.url }, `${what} server started`);
    return server;
  } catch (err) {
    log.error({ err: String(err), address }, `${what} server not started (set another address in app.toml or with --${{ metrics: 'metrics', UI: 'ui', REST: 'api' }[what] ?? 'grpc-web'}.address)`);
    return undefined;
  }
}

/** Longest a shutdown after an uncaught exception may take before the process exits anyway. */
const FATAL_SHUTDOWN_MS = 30_000;

/**
 * Waits for SIGINT/SIGTERM (or a fatal engine error), then shuts down in order.
 *
 * Process-wide policy: a promise rejected with nobody listening is logged at error level and
 * the node keeps producing blocks (it comes from a request handler, not from the engine, whose
 * failures surface through engine.failure()); an uncaught exception is logged at fatal level
 * and the node shuts down in order, then exits with code 1 (after FATAL_SHUTDOWN_MS at the
 * latest). Neither is ever silent.
 */
async function untilStopped(running: Running, log: Logger): Promise<void> {
  let fatal: Error | undefined;
  const onRejection = (reason: unknown) => {
    log.error({ err: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason) }, 'unhandled promise rejection (node keeps running)');
  };
  process.on('unhandledRejection', onRejection);
  const reason = await new Promise<string>((resolve) => {
    process.on('uncaughtException', (err: Error) => {
      log.fatal({ err: err.stack ?? err.message }, 'uncaught exception: shutting down');
      if (fatal) return;
      fatal = err;
      setTimeout(() => {
        process.stderr.write(`Error: shutdown after an uncaught exception took over ${FATAL_SHUTDOWN_MS} ms\n`);
        process.exit(1);
      }, FATAL_SHUTDOWN_MS).unref();
      resolve('uncaughtException');
    });
    const onSignal = (sig: NodeJS.Signals) => resolve(sig);
    running.halt.stop = () => resolve('halt');
    if (running.halt.message) resolve('halt');
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (running.node) {
      const engine = running.node.engine;
      // A fatal engine error (app hash mismatch, invariant broken…) must stop the process loudly.
      const timer = setInterval(() => {
        if (engine.failure()) {
          clearInterval(timer);
          resolve('failure');
        }
      }, 250);
      timer.unref();
    }
  });
  log.info({ reason }, 'shutting down');
  await shutdown(running, log);
  log.info('stopped');
  process.off('unhandledRejection', onRejection);
  if (fatal) throw new Error(`node stopped after an uncaught exception: ${fatal.message}`);
  // A fatal stop (an upgrade this binary cannot run, an app hash mismatch…) ends the process
  // with a non-zero status, so systemd and Docker restart policies see a failure.
  const failure = running.node?.engine.failure();
  if (reason === 'failure' && failure) throw failure;
}
