/**
 * `testnet`: N node homes sharing one genesis in which every node's key is funded and is a
 * genesis validator. By default all nodes run on 127.0.0.1, node i on ports shifted by
 * 10·i (p2p 26656, rpc 26657, abci 26658, prometheus 26660, app metrics 26661, grpc-web 9091);
 * with --starting-ip-address node i gets that address + i and the standard ports.
 */
import { Command } from 'commander';
import { join, resolve } from 'node:path';
import { parseCoins } from '../../types/coins';
import { initHome, readCometConfig, validateGenesisDoc, writeCometConfig, writeJsonFile, type GenesisDoc } from '../../node/config';
import { openKeyring, type KeyringBackend } from '../../keyring';
import { KEYRING_PASSPHRASE_ENV, type CliEnv } from './env';
import { ErrUsage } from './errors';
import { claimGenesisValidator, genesisChecks } from './genesis';

/** Ports of one node: the CometBFT defaults, shifted by `offset` (10·i on a single host). */
export function nodePorts(offset: number) {
  return { p2p: 26656 + offset, rpc: 26657 + offset, abci: 26658 + offset, prometheus: 26660 + offset, appMetrics: 26661 + offset, grpcWeb: 9091 + offset };
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

export function testnetCommand(env: CliEnv): Command {
  return new Command('testnet')
    .description('Write the homes of a local multi-validator network that CometBFT can run')
    .option('--validators <n>', 'number of validator nodes', '4')
    .option('--output-dir <dir>', 'directory for the node homes', './mytestnet')
    .option('--chain-id <id>', 'chain ID', 'sekai-testnet')
    .option('--starting-ip-address <ip>', 'give node i this IPv4 address + i with standard ports (default: all on 127.0.0.1, ports shifted)')
    .option('--node-dir-prefix <prefix>', 'node directory prefix', 'node')
    .option('--coins <coins>', 'genesis balance of each validator account', '1000000000000ukex')
    .option('--timeout-commit <duration>', 'consensus.timeout_commit of every node', '1s')
    .option('--keyring-backend <backend>', 'keyring backend of the validator keys: test | file', 'test')
    .option('--keyring-passphrase <passphrase>', `file keyring passphrase (or $${KEYRING_PASSPHRASE_ENV})`)
    .action(async (opts: {
      validators: string;
      outputDir: string;
      chainId: string;
      startingIpAddress?: string;
      nodeDirPrefix: string;
      coins: string;
      timeoutCommit: string;
      keyringBackend: string;
      keyringPassphrase?: string;
    }) => {
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
          appConfig: (a) => {
            a['grpc-web'].address = `127.0.0.1:${node.ports.grpcWeb}`;
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
    });
}
