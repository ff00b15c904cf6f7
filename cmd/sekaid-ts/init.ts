/** `init` and `comet show-validator | show-node-id | show-address`. */
import { Command, Option } from 'commander';
import { initHome, nodeIdOf, readNodeKey, readPrivValidatorKey, type CometConfig } from '../../node/config';
import { consensusAddressBytes, toBech } from '../../keyring';
import type { SekaidEnv } from './env';

export function initCommand(env: SekaidEnv): Command {
  return new Command('init')
    .description('Write a new node home: config.toml, app.toml, genesis.json, consensus and node keys')
    .argument('<moniker>', 'human-readable name of the node')
    .requiredOption('--chain-id <id>', 'chain ID of the new genesis (1-50 characters)')
    .option('--overwrite', 'replace an existing home (config, keys, genesis and data; keyrings are kept)')
    .option('--timeout-commit <duration>', 'consensus.timeout_commit (block interval), e.g. 5s')
    .addOption(
      new Option('--keyring-backend <backend>', "keyring of this home's client commands, written to client.toml: file (encrypted) | test (plaintext, development only)")
        .choices(['file', 'test'])
        .default('file'),
    )
    .action((moniker: string, opts: { chainId: string; overwrite?: boolean; timeoutCommit?: string; keyringBackend: 'file' | 'test' }) => {
      const home = env.home();
      const result = initHome({
        home,
        moniker,
        chainId: opts.chainId,
        overwrite: opts.overwrite,
        registry: env.genesisRegistry,
        cometConfig: (c: CometConfig) => {
          if (opts.timeoutCommit) c.consensus.timeout_commit = opts.timeoutCommit;
        },
        clientConfig: (c) => {
          c.base['keyring-backend'] = opts.keyringBackend;
        },
      });
      env.logger().info({ home, chain_id: opts.chainId, node_id: result.nodeId }, 'initialized node home');
      env.print({ moniker, chain_id: opts.chainId, node_id: result.nodeId, home, genesis: result.layout.genesis });
    });
}

export function consensusPubKeyJson(pubKey: Uint8Array): { '@type': string; key: string } {
  return { '@type': '/cosmos.crypto.ed25519.PubKey', key: Buffer.from(pubKey).toString('base64') };
}

export function cometCommand(env: SekaidEnv): Command {
  const comet = new Command('comet').alias('tendermint').description('CometBFT identity of this node');
  comet
    .command('show-validator')
    .description('Print the consensus public key as Cosmos JSON')
    .action(() => {
      const key = readPrivValidatorKey(env.layout().privValidatorKey);
      // Printed as JSON whatever --output says: scripts paste it into create-validator style commands.
      process.stdout.write(JSON.stringify(consensusPubKeyJson(key.pubKey)) + '\n');
    });
  comet
    .command('show-node-id')
    .description('Print the p2p node ID (hex of sha256(node pubkey)[:20])')
    .action(() => {
      process.stdout.write(nodeIdOf(readNodeKey(env.layout().nodeKey).pubKey) + '\n');
    });
  comet
    .command('show-address')
    .description('Print the consensus address (kiravalcons…)')
    .action(() => {
      const key = readPrivValidatorKey(env.layout().privValidatorKey);
      process.stdout.write(toBech('cons', consensusAddressBytes(key.pubKey)) + '\n');
    });
  return comet;
}
