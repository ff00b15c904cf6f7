/**
 * The sekaid-ts command tree. The node, the app and the modules extend it through
 * `buildCli(extensions)`: top-level commands (e.g. `start`), subcommands of `tx` and `query`
 * (one per module, from `AppModule.cli`), the genesis registry and genesis editors.
 *
 * Flags every command sees: --home, --log_level, --log_format, --output, --trace.
 * Flags `tx` subcommands see: --from, --chain-id, --node, --fees, --gas, --gas-adjustment,
 * --memo, --yes, --broadcast-mode, --generate-only, --offline, --account-number, --sequence and
 * the keyring flags (txFlags.ts; a module tx command calls `runTx`); `query` subcommands see
 * --node and --height.
 * Read them with `cmd.optsWithGlobals()`.
 */
import { Command, Option } from 'commander';
import { EMPTY_GENESIS_REGISTRY, type GenesisModuleRegistry } from '../../node/config';
import { configCommand, fromClientToml } from './clientSettings';
import { completionCommand } from './completion';
import { createEnv, type SekaidEnv } from './env';
import { addGenesisAccountCommand, genesisCommand, gentxClaimCommand } from './genesis';
import { DEFAULT_GENESIS_EDITORS, type GenesisEditors } from './genesisEditors';
import { cometCommand, initCommand } from './init';
import { keysCommand } from './keys';
import { addChainQueries, queryRoot, statusCommand } from './query';
import { addTxFileCommands, cliChainClient, txRoot } from './txFlags';
import { testnetCommand } from './testnet';
import { keplrConfigCommand } from './keplrConfig';

export type CliCommandBuilder = (env: SekaidEnv) => Command;

/** The CLI face of a module (structurally an `AppModule` from runtime/module.ts). */
export interface CliModule {
  readonly name: string;
  readonly cli?: { readonly tx?: CliCommandBuilder; readonly query?: CliCommandBuilder; readonly txRoots?: readonly CliCommandBuilder[] };
}

export interface CliExtensions {
  /** Default app_state and per-module validateGenesis (the app's module manager). */
  genesisRegistry?: GenesisModuleRegistry;
  /** Module-specific genesis editors replacing the defaults (see genesisEditors.ts). */
  genesisEditors?: Partial<GenesisEditors>;
  /** Modules whose `cli.tx` / `cli.query` commands go under `tx` / `query`. */
  modules?: readonly CliModule[];
  /** More top-level commands, e.g. the node's `start`. */
  commands?: readonly CliCommandBuilder[];
}

export { DEFAULT_NODE, txRoot } from './txFlags';
export { queryRoot } from './query';

/**
 * Every command's --help lists the flags it inherits (`tx bank send --help` shows --from,
 * --fees, --yes, --node… with their defaults) under "Global Options". commander copies help
 * settings only into subcommands made with .command(), so the whole tree is set here.
 */
function showInheritedFlags(cmd: Command): void {
  cmd.configureHelp({ showGlobalOptions: true, sortOptions: false });
  for (const sub of cmd.commands) showInheritedFlags(sub);
}

/** Builds the full command tree; `env` is what extensions' commands receive. */
export function buildCli(extensions: CliExtensions = {}): { program: Command; env: SekaidEnv } {
  const program = new Command('sekaid-ts')
    .description('sekai-ts node daemon and client: an ABCI 2.0 application for CometBFT v0.38')
    .option('--home <dir>', 'node home directory (default: $SEKAID_HOME or ~/.sekaid-ts)')
    .addOption(
      new Option('--log_level <level>', 'trace | debug | info | warn | error | fatal | silent, or per module: consensus:info,*:error').default(
        'info',
        "config.toml log_level, else info",
      ),
    )
    .addOption(new Option('--log_format <format>', 'plain | json').default('plain', 'config.toml log_format, else plain'))
    .addOption(new Option('-o, --output <format>', 'text (YAML) | json').default('text', fromClientToml('output', 'text')))
    .option('--trace', 'print the stack trace of an error')
    .showSuggestionAfterError(true);

  const editors: GenesisEditors = { ...DEFAULT_GENESIS_EDITORS, ...extensions.genesisEditors };
  const env = createEnv(program, extensions.genesisRegistry ?? EMPTY_GENESIS_REGISTRY, editors);
  // Bad global flags fail before any command runs, not only when a command happens to log.
  program.hook('preAction', () => {
    env.output();
    env.logger();
  });

  program.addCommand(initCommand(env));
  program.addCommand(cometCommand(env));
  program.addCommand(keysCommand(env));
  program.addCommand(configCommand());
  program.addCommand(genesisCommand(env));
  program.addCommand(addGenesisAccountCommand(env));
  program.addCommand(gentxClaimCommand(env));
  program.addCommand(testnetCommand(env));
  program.addCommand(keplrConfigCommand(env));

  // Module commands reach the node through the CLI's client: every tx flag, TxResponse output.
  Object.assign(env, { chainClient: async (cmd: Command, fromOverride?: string) => cliChainClient(env, cmd, fromOverride) });
  program.addCommand(statusCommand(env));
  const tx = txRoot();
  addTxFileCommands(env, tx);
  const query = queryRoot();
  addChainQueries(env, query);
  // Sorted by module name so help output does not depend on registration order.
  const modules = [...(extensions.modules ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const m of modules) {
    if (m.cli?.tx) tx.addCommand(m.cli.tx(env));
    for (const build of m.cli?.txRoots ?? []) tx.addCommand(build(env));
    if (m.cli?.query) query.addCommand(m.cli.query(env));
  }
  program.addCommand(tx);
  program.addCommand(query);
  for (const build of extensions.commands ?? []) program.addCommand(build(env));
  program.addCommand(completionCommand(() => program));
  showInheritedFlags(program);
  return { program, env };
}
