/**
 * Running a local network of node homes (as `testnet` writes them): for each home one
 * `sekaid-ts start --with-comet=false` app process and one `cometbft node` beside it, each
 * logging to a file in its home (sekaid.log, cometbft.log). `testnet start` and the live
 * network tests (test/network.ts) both drive nodes through this file.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { homeLayout, readCometConfig } from '../../node/config';
import { ErrUsage } from './errors';

/** Where users get the engine; the wire format is pinned to v0.38 (ABCI 2.0). */
export const COMETBFT_RELEASES = 'https://github.com/cometbft/cometbft/releases (v0.38.x)';
const SUPPORTED_COMETBFT = /^0\.38\./;

export interface CometBinary {
  bin: string;
  /** As `cometbft version` prints it, e.g. "0.38.25+baaa61e63". */
  version: string;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir !== '' && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * The CometBFT binary: `--cometbft <path>`, else $COMETBFT_BIN, else `cometbft` on PATH.
 * None found, or one that is not v0.38, is a one-line error saying where to get it.
 */
export function findCometBinary(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): CometBinary {
  const bin = flag || env.COMETBFT_BIN || onPath('cometbft', env);
  if (!bin) throw ErrUsage.wrap(`no CometBFT binary: pass --cometbft <path> or set COMETBFT_BIN (get CometBFT from ${COMETBFT_RELEASES})`);
  let out: string;
  try {
    out = execFileSync(bin, ['version'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw ErrUsage.wrap(`CometBFT binary ${bin} does not run (\`${bin} version\`: ${(e as Error).message.split('\n')[0]})`);
  }
  const version = out.trim().split(/\s+/)[0] ?? '';
  if (!SUPPORTED_COMETBFT.test(version)) throw ErrUsage.wrap(`${bin} is CometBFT ${JSON.stringify(version)}; sekai-ts speaks ABCI 2.0 of CometBFT v0.38 (${COMETBFT_RELEASES})`);
  return { bin, version };
}

/** A command line to spawn. */
export interface Launch {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** The running sekaid-ts itself (from source or from dist), for spawning more of it. */
export function selfLaunch(): Launch {
  return { command: process.execPath, args: [...process.execArgv, process.argv[1]] };
}

/** One child process whose stdout and stderr are appended to a log file. */
export class LoggedProcess {
  private child?: ChildProcess;
  private exit?: Promise<void>;
  /** Log size when the current run started: readiness is looked for after it. */
  private startOffset = 0;

  constructor(
    readonly name: string,
    readonly logPath: string,
    private readonly launch: () => Launch,
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Exit code or signal of the last run, once it ended. */
  get ended(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    const c = this.child;
    return c && (c.exitCode !== null || c.signalCode !== null) ? { code: c.exitCode, signal: c.signalCode } : undefined;
  }

  /** Spawns the process; `onExit` hears about an exit nobody asked for. */
  start(onExit?: (p: LoggedProcess) => void): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.startOffset = existsSync(this.logPath) ? statSync(this.logPath).size : 0;
    const { command, args, env } = this.launch();
    const fd = openSync(this.logPath, 'a');
    let child: ChildProcess;
    try {
      child = spawn(command, args, { env: env ?? process.env, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    this.child = child;
    this.stopRequested = false;
    this.exit = new Promise((resolve) => {
      child.once('exit', () => {
        if (!this.stopRequested && this.child === child) onExit?.(this);
        resolve();
      });
      child.once('error', () => resolve());
    });
  }

  private stopRequested = false;

  /** Sends `signal` (SIGKILL after `graceMs` if still running) and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<void> {
    if (!this.child || !this.running) return;
    this.stopRequested = true;
    const child = this.child;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  /** The log of the current (or last) run. */
  output(): string {
    if (!existsSync(this.logPath)) return '';
    return readFileSync(this.logPath).subarray(this.startOffset).toString('utf8');
  }

  /** Last `chars` characters of the log, for error messages. */
  tail(chars = 3000): string {
    const text = this.output();
    return text.length > chars ? '…' + text.slice(-chars) : text;
  }

  /** Resolves once the current run's log matches `ready`; rejects when the process exits first or the deadline passes. */
  async waitForLog(ready: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (ready.test(this.output())) return;
      const ended = this.ended;
      if (ended) throw new Error(`${this.name} exited (${ended.signal ?? `code ${ended.code}`}) before it was ready; ${this.logPath}:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`${this.name} not ready after ${timeoutMs} ms; ${this.logPath}:\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface LocalnetNodeOptions {
  /** How to run sekaid-ts (the app process gets `start --with-comet=false --home <home>` appended). */
  sekaid: Launch;
  cometbft: string;
  /** Extra arguments of the app process, e.g. ['--log_level', 'warn']. */
  appArgs?: string[];
  /** How long an app process may take to open its state and listen (replays included). */
  readyTimeoutMs?: number;
}

/** One validator node of a local network: an app process and the CometBFT node in front of it. */
export class LocalnetNode {
  readonly app: LoggedProcess;
  readonly comet: LoggedProcess;

  constructor(
    readonly name: string,
    readonly home: string,
    private readonly opts: LocalnetNodeOptions,
  ) {
    this.app = new LoggedProcess(`${name} sekaid-ts`, join(home, 'sekaid.log'), () => ({
      command: opts.sekaid.command,
      args: [...opts.sekaid.args, 'start', '--with-comet=false', '--home', home, ...(opts.appArgs ?? [])],
      env: opts.sekaid.env,
    }));
    this.comet = new LoggedProcess(`${name} cometbft`, join(home, 'cometbft.log'), () => ({ command: opts.cometbft, args: ['node', '--home', home] }));
  }

  /** CometBFT's RPC as http://host:port (config.toml rpc.laddr). */
  get rpcUrl(): string {
    return readCometConfig(homeLayout(this.home).configToml).rpc.laddr.replace(/^tcp:\/\//, 'http://');
  }

  /** Starts the app and waits until it listens (CometBFT refuses to start without it). */
  async startApp(onExit?: (p: LoggedProcess) => void): Promise<void> {
    this.app.start(onExit);
    await this.app.waitForLog(/ABCI listening at /, this.opts.readyTimeoutMs ?? 120_000);
  }

  startComet(onExit?: (p: LoggedProcess) => void): void {
    this.comet.start(onExit);
  }

  async start(onExit?: (p: LoggedProcess) => void): Promise<void> {
    if (!this.app.running) await this.startApp(onExit);
    if (!this.comet.running) this.startComet(onExit);
  }

  /** CometBFT first (it would stop on losing the app anyway), then the app. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.comet.stop(signal);
    await this.app.stop(signal);
  }
}

/** Node homes under `dir` made by `testnet` (prefix + index), in index order. */
export function testnetHomes(dir: string, prefix = 'node'): string[] {
  if (!existsSync(dir)) return [];
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+)$`);
  return readdirSync(dir)
    .map((name) => ({ name, m: re.exec(name) }))
    .filter((e) => e.m !== null && existsSync(homeLayout(join(dir, e.name)).genesis))
    .sort((a, b) => Number(a.m![1]) - Number(b.m![1]))
    .map((e) => join(dir, e.name));
}

/** GET on a CometBFT RPC endpoint; its `result`, or an error naming the RPC error. */
export async function rpcGet<T = unknown>(rpcUrl: string, path: string, timeoutMs = 10_000): Promise<T> {
  const res = await fetch(`${rpcUrl}/${path}`, { signal: AbortSignal.timeout(timeoutMs) });
  const body = (await res.json()) as { result?: T; error?: { message: string; data?: string } };
  if (body.error) throw new Error(`${path}: ${body.error.message} ${body.error.data ?? ''}`.trim());
  return body.result as T;
}

/** The latest height a node reports, or undefined while its RPC does not answer. */
export async function latestHeight(rpcUrl: string): Promise<number | undefined> {
  try {
    const s = await rpcGet<{ sync_info: { latest_block_height: string } }>(rpcUrl, 'status', 5_000);
    return Number(s.sync_info.latest_block_height);
  } catch {
    return undefined;
  }
}
