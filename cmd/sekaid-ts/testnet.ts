/**
 * `testnet`: N node homes sharing one genesis in which every node's key is funded and is a
 * genesis validator. By default all nodes run on 127.0.0.1, node i on ports shifted by
 * 10·i (p2p 26656, rpc 26657, abci 26658, prometheus 26660, app metrics 26661, grpc-web 9091,
 * REST 1317, web UI 8080);
 * with --starting-ip-address node i gets that address + i and the standard ports.
 */
import { Command } from 'commander';
import { basename, join, resolve } from 'node:path';
import { parseCoins } from '../../types/coins';
import { homeLayout, initHome, readCometConfig, readJsonFile, validateGenesisDoc, writeCometConfig, writeJsonFile, type GenesisDoc } from '../../node/config';
import { openKeyring, type KeyringBackend } from '../../keyring';
import { KEYRING_PASSPHRASE_ENV, type SekaidEnv } from './env';
import { ErrNodeExited, ErrUsage } from './errors';
import { findCometBinary, latestHeight, LocalnetNode, selfLaunch, testnetHomes, type LoggedProcess } from './localnet';
import { claimGenesisValidator, genesisChecks } from './genesis';

/** Ports of one node: the CometBFT defaults, shifted by `offset` (10·i on a single host). */
export function nodePorts(offset: number) {
  return { p2p: 26656 + offset, rpc: 26657 + offset, abci: 26658 + offset, prometheus: 26660 + offset, appMetrics: 26661 + offset, grpcWeb: 9091 + offset, api: 1317 + offset, ui: 8080 + offset };
}

/** Ports shift by this much per node on one host; the six ports of a node fit in it. */
export const PORT_STRIDE = 10;

export function nthIPv4(start: string, n: number): string {
  const parts = start.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw ErrUsage.wrap(`--starting-ip-address "${start}" is not an IPv4 address`);
  const value = parts.reduce((acc, p) => acc * 256 + Number(p), 0) + n;
  if (value > 0xffffffff) throw ErrUsage.wrap(`--starting-ip-address ${start} + ${n} overflows IPv4`);
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export interface TestnetNode {
  name: string;
  home: string;
  nodeId: string;
  address: string;
  ip: string;
  ports: ReturnType<typeof nodePorts>;
}

export interface TestnetOptions {
  validators: string;
  outputDir: string;
  chainId: string;
  startingIpAddress?: string;
  nodeDirPrefix: string;
  coins: string;
  timeoutCommit: string;
  keyringBackend: string;
  keyringPassphrase?: string;
}

/** Writes the node homes of `testnet` under opts.outputDir and returns them. */
export async function writeTestnet(env: SekaidEnv, opts: TestnetOptions): Promise<TestnetNode[]> {
  const count = Number(opts.validators);
  if (!Number.isInteger(count) || count < 1 || count > 100) throw ErrUsage.wrap(`--validators must be an integer from 1 to 100, got "${opts.validators}"`);
  if (opts.keyringBackend !== 'test' && opts.keyringBackend !== 'file') throw ErrUsage.wrap(`--keyring-backend must be test or file, got "${opts.keyringBackend}"`);
  const coins = parseCoins(opts.coins);
  const singleHost = opts.startingIpAddress === undefined;
  const outDir = resolve(opts.outputDir);
  const genesisTime = new Date();
  const nodes: TestnetNode[] = [];
  for (let i = 0; i < count; i++) {
    const ip = singleHost ? '127.0.0.1' : nthIPv4(opts.startingIpAddress!, i);
    nodes.push({ name: `${opts.nodeDirPrefix}${i}`, home: join(outDir, `${opts.nodeDirPrefix}${i}`), nodeId: '', address: '', ip, ports: nodePorts(singleHost ? i * PORT_STRIDE : 0) });
  }
  const peersOf = (self: TestnetNode) =>
    nodes
      .filter((n) => n !== self)
      .map((n) => `${n.nodeId}@${n.ip}:${n.ports.p2p}`)
      .join(',');

  // First pass: homes and keys (node IDs are needed before peers can be written).
  const results = nodes.map((node) => {
    const result = initHome({
      home: node.home,
      moniker: node.name,
      chainId: opts.chainId,
      genesisTime,
      registry: env.genesisRegistry,
      cometConfig: (c) => {
        const listen = singleHost ? '127.0.0.1' : '0.0.0.0';
        c.base.proxy_app = `tcp://127.0.0.1:${node.ports.abci}`;
        c.rpc.laddr = `tcp://127.0.0.1:${node.ports.rpc}`;
        c.p2p.laddr = `tcp://${listen}:${node.ports.p2p}`;
        if (!singleHost) c.p2p.external_address = `${node.ip}:${node.ports.p2p}`;
        // Private and loopback addresses must be accepted; on one host every peer shares the IP.
        c.p2p.addr_book_strict = false;
        c.p2p.allow_duplicate_ip = singleHost;
        c.consensus.timeout_commit = opts.timeoutCommit;
        c.instrumentation.prometheus_listen_addr = `127.0.0.1:${node.ports.prometheus}`;
      },
      // Each node's key is in this keyring: its client commands use it without a flag.
      clientConfig: (cc) => {
        cc.base['keyring-backend'] = opts.keyringBackend;
      },
      appConfig: (a) => {
        // The app's ABCI socket is where this node's CometBFT connects (proxy_app above).
      a.abci.address = `tcp://127.0.0.1:${node.ports.abci}`;
      a.rpc.laddr = `tcp://127.0.0.1:${node.ports.rpc}`;
      a['grpc-web'].address = `127.0.0.1:${node.ports.grpcWeb}`;
      a.api.address = `tcp://127.0.0.1:${node.ports.api}`;
      a.ui.address = `127.0.0.1:${node.ports.ui}`;
        a.metrics.address = `127.0.0.1:${node.ports.appMetrics}`;
      },
    });
    node.nodeId = result.nodeId;
    return result;
  });

  const genesis: GenesisDoc = results[0].genesis;
  for (let i = 0; i < count; i++) {
    const node = nodes[i];
    const kr = openKeyring({
      home: node.home,
      backend: opts.keyringBackend as KeyringBackend,
      passphrase: opts.keyringPassphrase ?? (process.env[KEYRING_PASSPHRASE_ENV] || undefined),
    });
    const key = await kr.add('validator');
    node.address = key.address;
    // As the Cosmos SDK's testnet does: the mnemonic beside the home, for scripts and faucets.
    writeJsonFile(join(node.home, 'key_seed.json'), { secret: key.mnemonic }, 0o600);
    env.genesisEditors.accounts.addAccount(genesis.app_state, key.address, coins);
    claimGenesisValidator(genesis, env.genesisEditors, { address: key.address, consPubKey: results[i].consensusKey.pubKey, moniker: node.name });
  }
  validateGenesisDoc(genesis, genesisChecks(env.genesisRegistry));

  for (let i = 0; i < count; i++) {
    writeJsonFile(results[i].layout.genesis, genesis);
    const config = readCometConfig(results[i].layout.configToml);
    config.p2p.persistent_peers = peersOf(nodes[i]);
    writeCometConfig(results[i].layout.configToml, config);
  }
  env.logger().info({ dir: outDir, validators: count, chain_id: opts.chainId }, 'testnet written');
  env.print({ chain_id: opts.chainId, output_dir: outDir, nodes: nodes.map((n) => ({ name: n.name, home: n.home, node_id: n.nodeId, address: n.address, ip: n.ip, ports: n.ports })) });
  return nodes;
}

export function testnetCommand(env: SekaidEnv): Command {
  const testnet = new Command('testnet')
    .description('Write the homes of a local multi-validator network that CometBFT can run (`testnet start` also runs it)')
    .option('--validators <n>', 'number of validator nodes', '4')
    .option('--output-dir <dir>', 'directory for the node homes', './mytestnet')
    .option('--chain-id <id>', 'chain ID', 'sekai-testnet')
    .option('--starting-ip-address <ip>', 'give node i this IPv4 address + i with standard ports (default: all on 127.0.0.1, ports shifted)')
    .option('--node-dir-prefix <prefix>', 'node directory prefix', 'node')
    .option('--coins <coins>', 'genesis balance of each validator account', '1000000000000ukex')
    .option('--timeout-commit <duration>', 'consensus.timeout_commit of every node', '1s')
    .option('--keyring-backend <backend>', 'keyring backend of the validator keys: test | file', 'test')
    .option('--keyring-passphrase <passphrase>', `file keyring passphrase (or $${KEYRING_PASSPHRASE_ENV})`)
    .action(async (opts: TestnetOptions) => {
      await writeTestnet(env, opts);
    });
  testnet.addCommand(testnetStartCommand(env, testnet));
  return testnet;
}

/**
 * `testnet start`: the homes of `testnet` (written first unless --output-dir already has
 * them), one app process and one `cometbft node` per validator on loopback ports, each node's
 * RPC printed, the first blocks awaited; Ctrl-C (or any node exiting) stops them all.
 */
function testnetStartCommand(env: SekaidEnv, testnet: Command): Command {
  return new Command('start')
    .description('Run the local network under CometBFT: homes, an app and a cometbft node per validator; Ctrl-C stops all')
    .option('--cometbft <path>', 'CometBFT v0.38 binary (default: $COMETBFT_BIN, then cometbft on PATH)')
    .action(async (o: { cometbft?: string }) => {
      const opts = testnet.opts<TestnetOptions>();
      const comet = findCometBinary(o.cometbft);
      const outDir = resolve(opts.outputDir);
      let homes = testnetHomes(outDir, opts.nodeDirPrefix);
      if (homes.length === 0) {
        await writeTestnet(env, opts);
        homes = testnetHomes(outDir, opts.nodeDirPrefix);
      } else {
        process.stdout.write(`Resuming the ${homes.length} node homes in ${outDir}\n`);
      }
      const logLevel = env.logger().level;
      const nodes = homes.map((home) => new LocalnetNode(basename(home), home, { sekaid: selfLaunch(), cometbft: comet.bin, appArgs: ['--log_level', logLevel] }));
      let failure: string | undefined;
      let wake: () => void = () => undefined;
      // Ctrl-C in a terminal signals the children too: their exits after it are not failures.
      let stopping = false;
      const onExit = (p: LoggedProcess) => {
        if (stopping) return;
        const ended = p.ended;
        failure ??= `${p.name} exited (${ended?.signal ?? `code ${ended?.code}`}); its log is ${p.logPath}`;
        wake();
      };
      const stopped = new Promise<string>((resolveStop) => {
        wake = () => resolveStop('failure');
        const onSignal = (sig: NodeJS.Signals) => {
          stopping = true;
          resolveStop(sig);
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      });
      try {
        process.stdout.write(`Starting ${nodes.length} validators with CometBFT ${comet.version} (${comet.bin})\n`);
        await Promise.all(nodes.map((n) => n.startApp(onExit)));
        for (const n of nodes) n.startComet(onExit);
        for (const n of nodes) process.stdout.write(`  ${n.name}: RPC ${n.rpcUrl}  home ${n.home}  logs sekaid.log, cometbft.log\n`);
        const height = await Promise.race([firstBlocks(nodes[0].rpcUrl, 2), stopped.then(() => undefined)]);
        if (height !== undefined) process.stdout.write(`Network running at height ${height} (chain ${readCometChainId(homes[0])}); Ctrl-C stops every node\n`);
        await stopped;
      } finally {
        stopping = true;
        await Promise.all(nodes.map((n) => n.comet.stop()));
        await Promise.all(nodes.map((n) => n.app.stop()));
      }
      if (failure) throw ErrNodeExited.wrap(failure);
      process.stdout.write('All nodes stopped\n');
    });
}

/** Waits (polling the RPC, no deadline: Ctrl-C ends it) until the node reports `min` blocks. */
async function firstBlocks(rpcUrl: string, min: number): Promise<number> {
  for (;;) {
    const h = await latestHeight(rpcUrl);
    if (h !== undefined && h >= min) return h;
    await new Promise((r) => setTimeout(r, 250));
  }
}

function readCometChainId(home: string): string {
  return (readJsonFile(homeLayout(home).genesis) as { chain_id: string }).chain_id;
}
