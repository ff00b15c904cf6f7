/**
 * What every sekaid-ts command works with: the home directory, the logger, the keyring, the
 * output format and the modules' genesis hooks. Values come from the root command's global
 * flags at the moment a command runs, so module commands built before parsing see them too.
 */
import type { Command } from 'commander';
import pino, { type Logger } from 'pino';
import { Writable } from 'node:stream';
import { stringify as stringifyYaml } from 'yaml';
import { homeLayout, resolveHome, type GenesisModuleRegistry, type HomeLayout } from '../../node/config';
import { KEYRING_BACKENDS, openKeyring, type Keyring, type KeyringBackend } from '../../keyring';
import { clientSetting } from './clientSettings';
import { ErrUsage } from './errors';
import type { GenesisEditors } from './genesisEditors';
import { StdinReader } from './stdin';

export const KEYRING_PASSPHRASE_ENV = 'SEKAID_KEYRING_PASSPHRASE';
export const KEYRING_BACKEND_ENV = 'SEKAID_KEYRING_BACKEND';

export type OutputFormat = 'text' | 'json';

export interface CliEnv {
  /** The home directory in force (--home, $SEKAID_HOME, ~/.sekaid-ts). */
  home(): string;
  layout(): HomeLayout;
  logger(): Logger;
  output(): OutputFormat;
  /** Opens the keyring chosen by the command's --keyring-backend (default test). */
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

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** pino's JSON lines turned into `LEVEL message key=value` for people. */
function plainStream(): Writable {
  const names: Record<number, string> = { 10: 'TRC', 20: 'DBG', 30: 'INF', 40: 'WRN', 50: 'ERR', 60: 'FTL' };
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      try {
        const { level, msg, time, pid: _pid, hostname: _host, ...rest } = JSON.parse(chunk.toString()) as Record<string, unknown>;
        const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
        const when = typeof time === 'number' ? new Date(time).toISOString() : '';
        process.stderr.write(`${when} ${names[level as number] ?? level} ${String(msg ?? '')}${fields.length ? ' ' + fields.join(' ') : ''}\n`);
      } catch {
        process.stderr.write(chunk);
      }
      done();
    },
  });
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

export function createEnv(root: Command, genesisRegistry: GenesisModuleRegistry, genesisEditors: GenesisEditors): CliEnv {
  let logger: Logger | undefined;
  let stdin: StdinReader | undefined;
  let printed = false;
  const globals = () => root.opts() as { home?: string; log_level?: string; log_format?: string; output?: string };

  const env: CliEnv = {
    home: () => resolveHome(globals().home),
    layout: () => homeLayout(env.home()),
    logger() {
      if (logger) return logger;
      const { log_level = 'info', log_format = 'plain' } = globals();
      if (!LEVELS.includes(log_level)) throw ErrUsage.wrap(`--log_level must be one of ${LEVELS.join('|')}, got "${log_level}"`);
      if (log_format !== 'plain' && log_format !== 'json') throw ErrUsage.wrap(`--log_format must be plain or json, got "${log_format}"`);
      logger = pino({ level: log_level, base: undefined }, log_format === 'json' ? pino.destination(2) : plainStream());
      return logger;
    },
    output() {
      const o = clientSetting(root, 'output') ?? 'text';
      if (o !== 'text' && o !== 'json') throw ErrUsage.wrap(`--output must be text or json, got "${o}"`);
      return o;
    },
    keyring(cmd) {
      const opts = cmd.optsWithGlobals() as { keyringPassphrase?: string };
      const backend = clientSetting(cmd, 'keyringBackend', process.env[KEYRING_BACKEND_ENV]) ?? 'test';
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
    genesisRegistry,
    genesisEditors,
  };
  return env;
}
