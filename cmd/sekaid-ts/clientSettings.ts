/**
 * Client settings in force for a command: the flag when it was typed, else the home's
 * config/client.toml, else the built-in default (which is also what `--help` shows).
 *
 *   node            --node             client.toml node             tcp://localhost:26657
 *   chain-id        --chain-id         client.toml chain-id         the node's
 *   keyring-backend --keyring-backend  $SEKAID_KEYRING_BACKEND, then client.toml, then file
 *   output          -o/--output        client.toml output           text
 *   broadcast-mode  --broadcast-mode   client.toml broadcast-mode   sync
 *
 * And `sekaid-ts config [key] [value]`, which shows and edits the file as the SDK's `config` does.
 */
import { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import {
  CLIENT_CONFIG_KEYS,
  checkClientSetting,
  homeLayout,
  readClientConfig,
  resolveHome,
  writeClientConfig,
  type ClientConfig,
  type ClientConfigKey,
} from '../../node/config';
import { ErrUsage } from './errors';

/** Flags whose unset value comes from client.toml, by commander attribute name. */
const FLAG_KEYS: Record<string, ClientConfigKey> = {
  node: 'node',
  chainId: 'chain-id',
  keyringBackend: 'keyring-backend',
  output: 'output',
  broadcastMode: 'broadcast-mode',
};

const cache = new Map<string, ClientConfig>();

/** The client.toml of the home `cmd` runs on (read once per process and path). */
export function clientConfigOf(cmd: Command): ClientConfig {
  const { home } = cmd.optsWithGlobals() as { home?: string };
  const path = homeLayout(resolveHome(home)).clientToml;
  let config = cache.get(path);
  if (!config) {
    config = readClientConfig(path);
    cache.set(path, config);
  }
  return config;
}

/** True when the user typed the flag (or a program set it), not when commander filled in its default. */
function typed(cmd: Command, attr: string): boolean {
  const source = cmd.getOptionValueSourceWithGlobals(attr);
  return source !== undefined && source !== 'default' && source !== 'implied';
}

/**
 * The value of a client flag in force for `cmd`: typed flag, else `fallback` (an environment
 * variable), else client.toml (when it has a non-empty value), else the flag's default.
 */
export function clientSetting(cmd: Command, attr: keyof typeof FLAG_KEYS, fallback?: string): string | undefined {
  const flag = (cmd.optsWithGlobals() as Record<string, unknown>)[attr];
  if (typed(cmd, attr) && typeof flag === 'string') return flag;
  if (fallback !== undefined && fallback !== '') return fallback;
  const fromFile = clientConfigOf(cmd).base[FLAG_KEYS[attr]];
  if (fromFile !== '') return fromFile;
  return typeof flag === 'string' ? flag : undefined;
}

/** Help text of a default that client.toml can replace. */
export function fromClientToml(key: ClientConfigKey, builtIn: string): string {
  return `client.toml ${key}, else ${builtIn}`;
}

/** `config [key] [value]`: print every setting, print one, or set one. */
export function configCommand(): Command {
  return new Command('config')
    .description('Show or set client.toml settings: config | config <key> | config <key> <value>')
    .argument('[key]', `one of ${CLIENT_CONFIG_KEYS.join(', ')}`)
    .argument('[value]', 'new value')
    .action((key: string | undefined, value: string | undefined, _o: unknown, cmd: Command) => {
      const { home } = cmd.optsWithGlobals() as { home?: string };
      const path = homeLayout(resolveHome(home)).clientToml;
      const config = readClientConfig(path);
      if (key === undefined) {
        process.stdout.write(JSON.stringify(config.base, null, 2) + '\n');
        return;
      }
      if (!CLIENT_CONFIG_KEYS.includes(key as ClientConfigKey)) throw ErrUsage.wrap(checkClientSetting(key, '') ?? `unknown key "${key}"`);
      const k = key as ClientConfigKey;
      if (value === undefined) {
        process.stdout.write(config.base[k] + '\n');
        return;
      }
      const reason = value === '' && k === 'chain-id' ? undefined : checkClientSetting(k, value);
      if (reason) throw ErrUsage.wrap(reason);
      // A client-only machine has no node home: the file alone is enough.
      mkdirSync(homeLayout(resolveHome(home)).configDir, { recursive: true, mode: 0o700 });
      config.base[k] = value;
      writeClientConfig(path, config);
      cache.delete(path);
    });
}
