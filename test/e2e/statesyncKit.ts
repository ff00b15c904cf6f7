/**
 * Helpers of the tests under real CometBFT: loopback ports, RPC reads, waiting for a
 * condition, the config edits that make two or three nodes on one machine work, and one
 * home's app and CometBFT node started together.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readAppConfig, readCometConfig, writeAppConfig, writeCometConfig } from '../../node/config';
import { freePort } from '../cometbft';
import { spawnCli } from './cliChain';

export interface Ports {
  abci: number;
  rpc: number;
  p2p: number;
}

export async function ports(): Promise<Ports> {
  return { abci: await freePort(), rpc: await freePort(), p2p: await freePort() };
}

export async function rpcGet<T = any>(port: number, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  const body = (await res.json()) as { result?: T; error?: unknown };
  if (body.error !== undefined) throw new Error(`${path}: ${JSON.stringify(body.error)}`);
  return body.result as T;
}

/** Polls `probe` every 250 ms until it gives a value; throws with `log()` after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, log: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Shortens the timeouts so that blocks come every few hundred ms, and lets loopback peers connect. */
export function tuneComet(home: string, edit: (c: ReturnType<typeof readCometConfig>) => void = () => undefined): void {
  const path = join(home, 'config', 'config.toml');
  const c = readCometConfig(path);
  c.consensus.timeout_commit = '100ms';
  c.consensus.timeout_propose = '1s';
  c.p2p.addr_book_strict = false;
  c.p2p.allow_duplicate_ip = true;
  c.p2p.pex = false;
  edit(c);
  writeCometConfig(path, c);
}

/** Sets app.toml of `home`: the servers beside ABCI off (several apps on one machine), then `edit`. */
export function tuneApp(home: string, edit: (c: ReturnType<typeof readAppConfig>) => void = () => undefined): void {
  const path = join(home, 'config', 'app.toml');
  const app = readAppConfig(path);
  for (const section of ['grpc-web', 'api', 'metrics', 'ui']) {
    const s = (app as unknown as Record<string, { enable?: boolean }>)[section];
    if (s && typeof s.enable === 'boolean') s.enable = false;
  }
  edit(app);
  writeAppConfig(path, app);
}

/** The JSON log lines of a process started with --log_format json. */
export function jsonLog(text: string): Array<Record<string, any>> {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>);
}

/** Starts `cometbft node` for `home` on `p`, its output appended to `log`; returns it and a stopper. */
export function startComet(bin: string, home: string, p: Ports, log: (text: string) => void): { child: ChildProcess; kill: () => Promise<unknown> } {
  const c = spawn(bin, ['node', '--home', home, '--proxy_app', `tcp://127.0.0.1:${p.abci}`, '--rpc.laddr', `tcp://127.0.0.1:${p.rpc}`, '--p2p.laddr', `tcp://127.0.0.1:${p.p2p}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const add = (b: Buffer) => log(b.toString());
  c.stdout!.on('data', add);
  c.stderr!.on('data', add);
  return {
    child: c,
    kill: () =>
      c.exitCode !== null || c.signalCode !== null
        ? Promise.resolve()
        : new Promise((r) => {
            c.once('exit', r);
            c.kill('SIGTERM');
          }),
  };
}

/** One home running under CometBFT: its RPC as tcp:// (the CLI's --node), the logs, a stopper. */
export interface CometHome {
  rpc: string;
  ports: Ports;
  log: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `sekaid-ts start --with-comet=false` on `home` and `cometbft node` in front of it, on
 * fresh loopback ports, and waits for height 2; a failure carries both logs.
 */
export async function startCometHome(bin: string, home: string): Promise<CometHome> {
  const p = await ports();
  const app = await spawnCli(['start', '--with-comet=false', '--address', `tcp://127.0.0.1:${p.abci}`, '--transport', 'socket', '--home', home, '--log_level', 'warn'], /ABCI listening at /);
  let cometLog = '';
  const comet = startComet(bin, home, p, (text) => (cometLog = (cometLog + text).slice(-20_000)));
  const log = () => `cometbft log:\n${cometLog.slice(-4000)}\nsekaid-ts log:\n${app.stderr().slice(-2000)}`;
  const stop = async () => {
    await comet.kill();
    await app.stop();
  };
  try {
    await until('height 2', async () => (Number((await rpcGet<{ sync_info: { latest_block_height: string } }>(p.rpc, '/status')).sync_info.latest_block_height) >= 2 ? true : undefined), 60_000, log);
  } catch (err) {
    await stop();
    throw err;
  }
  return { rpc: `tcp://127.0.0.1:${p.rpc}`, ports: p, log, stop };
}
