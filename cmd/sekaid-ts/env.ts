/**
 * What every sekaid-ts command works with: the home directory, the logger, the keyring, the
 * output format and the modules' genesis hooks. Values come from the root command's global
 * flags at the moment a command runs, so module commands built before parsing see them too.
 */
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { existsSync } from 'node:fs';
import { stringify as stringifyYaml } from 'yaml';
import { homeLayout, readCometConfig, readPrivValidatorKey, resolveHome, type GenesisModuleRegistry, type HomeLayout } from '../../node/config';
import type { CliEnv } from '../../client/cliEnv';
import { KEYRING_BACKENDS, openKeyring, type Keyring, type KeyringBackend } from '../../keyring';
import { clientSetting } from './clientSettings';
import { ErrUsage } from './errors';
import { checkLogFormat, createLogger } from './logging';
import type { GenesisEditors } from './genesisEditors';
import { StdinReader } from './stdin';

export const KEYRING_PASSPHRASE_ENV = 'SEKAID_KEYRING_PASSPHRASE';
export const KEYRING_BACKEND_ENV = 'SEKAID_KEYRING_BACKEND';

export type OutputFormat = 'text' | 'json';

export const OS_BACKEND_UNSUPPORTED =
  'keyring-backend "os" (the system secret service) is not supported by sekaid-ts, which keeps keys only in files under its home: use file (encrypted with a passphrase) or test (plaintext, development only), e.g. --keyring-backend file or `sekaid-ts config keyring-backend file`';

/**
 * The module commands' environment (client/cliEnv.ts) plus what the node's own commands
 * read: home, logger, output format, stdin and the genesis hooks.
 */
export interface SekaidEnv extends CliEnv {
  /** The home directory in force (--home, $SEKAID_HOME, ~/.sekaid-ts). */
  home(): string;
  layout(): HomeLayout;
  logger(): Logger;
  output(): OutputFormat;
  /** Opens the keyring chosen by the command's --keyring-backend, $SEKAID_KEYRING_BACKEND or client.toml (default file). */
  keyring(cmd: Command): Keyring;
  /**
   * Prints a result on stdout, the one output contract of every command: one JSON line with
   * `--output json`, else the same value as YAML (keys sorted, as the Cosmos SDK prints text).
   * A command that prints several results (a relay loop) writes a YAML stream, `---` between.
   */
  print(value: unknown): void;
  /** Reads one line: from the terminal with a prompt on stderr, else the next line of piped stdin. */
  readLine(prompt: string): Promise<string>;
  readonly genesisRegistry: GenesisModuleRegistry;
  readonly genesisEditors: GenesisEditors;
}

/** The JSON form of a result (toJSON honoured, bigints as decimal strings, undefined fields dropped). */
export function jsonOf(value: unknown): unknown {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

/** YAML text of a result: what `--output text` prints, the same content as `--output json`. */
export function yamlOf(value: unknown): string {
  return stringifyYaml(jsonOf(value), { sortMapEntries: true, lineWidth: 0 });
}

export function createEnv(root: Command, genesisRegistry: GenesisModuleRegistry, genesisEditors: GenesisEditors): SekaidEnv {
  let logger: Logger | undefined;
  let stdin: StdinReader | undefined;
  let printed = false;
  const globals = () => root.opts() as { home?: string; log_level?: string; log_format?: string; output?: string };

  const env: SekaidEnv = {
    home: () => resolveHome(globals().home),
    layout: () => homeLayout(env.home()),
    logger() {
      if (logger) return logger;
      // A typed flag wins; else config.toml's log_level / log_format (as CometBFT and the SDK read them).
      const typed = (flag: string) => root.getOptionValueSource(flag) === 'cli';
      const { log_level = 'info', log_format = 'plain' } = globals();
      let level = log_level;
      let format = log_format;
      if (!typed('log_level') || !typed('log_format')) {
        const configToml = env.layout().configToml;
        if (existsSync(configToml)) {
          const base = readCometConfig(configToml).base;
          if (!typed('log_level')) level = base.log_level;
          if (!typed('log_format')) format = base.log_format;
        }
      }
      logger = createLogger({ level, format: checkLogFormat(format) });
      return logger;
    },
    output() {
      const o = clientSetting(root, 'output') ?? 'text';
      if (o !== 'text' && o !== 'json') throw ErrUsage.wrap(`--output must be text or json, got "${o}"`);
      return o;
    },
    keyring(cmd) {
      const opts = cmd.optsWithGlobals() as { keyringPassphrase?: string };
      const backend = clientSetting(cmd, 'keyringBackend', process.env[KEYRING_BACKEND_ENV]) ?? 'file';
      if (backend === 'os') {
        // The SDK's default, so a flag, client.toml or script may name it. sekaid-ts has no client
        // for the system secret service (D-Bus Secret Service, macOS Keychain, Windows Credential
        // Manager; servers rarely run one): keys live only in files under the home (README "Keys").
        throw ErrUsage.wrap(OS_BACKEND_UNSUPPORTED);
      }
      if (!KEYRING_BACKENDS.includes(backend as KeyringBackend)) {
        throw ErrUsage.wrap(`--keyring-backend must be one of ${KEYRING_BACKENDS.join('|')}, got "${backend}"`);
      }
      // An empty variable counts as unset, so scripts can clear it.
      const fixed = opts.keyringPassphrase ?? (process.env[KEYRING_PASSPHRASE_ENV] || undefined);
      return openKeyring({
        home: env.home(),
        backend: backend as KeyringBackend,
        passphrase: fixed ?? (() => env.readLine('Enter keyring passphrase: ')),
      });
    },
    print(value) {
      if (env.output() === 'json') {
        process.stdout.write(JSON.stringify(jsonOf(value)) + '\n');
        return;
      }
      process.stdout.write((printed ? '---\n' : '') + yamlOf(value));
      printed = true;
    },
    readLine(prompt) {
      stdin ??= new StdinReader();
      return stdin.readLine(prompt);
    },
    consensusPubKey: () => readPrivValidatorKey(env.layout().privValidatorKey).pubKey,
    genesisRegistry,
    genesisEditors,
  };
  return env;
}
