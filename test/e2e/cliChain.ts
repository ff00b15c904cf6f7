/**
 * A dev chain brought up with the real sekaid-ts CLI for end-to-end tests: init, keys add,
 * add-genesis-account, gentx-claim, then a node process (the embedded engine, or the ABCI
 * socket behind a real CometBFT binary).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, ok, removeDir, tempDir } from '../cli/cli';
import { freePort } from '../cometbft';

export const CHAIN_ID = 'sekai-e2e-1';

export interface DevHome {
  home: string;
  /** Addresses of the keys `val` (genesis validator, funded) and `bob` (unfunded). */
  val: string;
  bob: string;
  /** Output of each setup step, parsed (every step runs with --output json). */
  steps: Record<string, any>;
}

/** Creates and funds a home through the CLI; every step's JSON output is kept for checks. */
export async function createDevHome(): Promise<DevHome> {
  const home = tempDir('sekai-e2e-');
  const h = (...a: string[]) => [...a, '--home', home, '--output', 'json'];
  const steps: Record<string, any> = {};
  steps.init = JSON.parse((await ok(h('init', 'e2e-node', '--chain-id', CHAIN_ID, '--keyring-backend', 'test'))).stdout);
  steps.keysVal = JSON.parse((await ok(h('keys', 'add', 'val', '--keyring-backend', 'test'))).stdout);
  steps.keysBob = JSON.parse((await ok(h('keys', 'add', 'bob', '--keyring-backend', 'test'))).stdout);
  steps.account = JSON.parse((await ok(h('add-genesis-account', 'val', '1000000000000ukex'))).stdout);
  steps.claim = JSON.parse((await ok(h('gentx-claim', 'val', '--moniker', 'e2e-validator'))).stdout);
  return { home, val: steps.keysVal.address, bob: steps.keysBob.address, steps };
}

export interface NodeProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Free ports for every listener `start` binds beside ABCI and RPC that `args` does not name
 * (gRPC-web, REST, metrics, UI): nodes of parallel tests never meet on the defaults, where
 * start refuses a busy port.
 */
export async function sideDoorFlags(args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const named = (flag: string) => args.some((a) => a === flag || a.startsWith(`${flag}=`));
  for (const flag of ['--grpc-web.address', '--api.address', '--metrics.address', '--ui.address']) {
    if (!named(flag)) out.push(flag, `127.0.0.1:${await freePort()}`);
  }
  return out;
}

/** Spawns `sekaid-ts <args>` and resolves once a stdout line matches `ready`; a `start` gets free side ports (sideDoorFlags). */
export async function spawnCli(args: string[], ready: RegExp, timeoutMs = 60_000, env: Record<string, string> = {}): Promise<NodeProcess> {
  if (args[0] === 'start') args = [...args, ...(await sideDoorFlags(args))];
  const child = spawn(BIN, args, { env: { ...process.env, SEKAID_TS_FROM_SOURCE: '1', SEKAID_HOME: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const proc: NodeProcess = {
    child,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sekaid-ts ${args.join(' ')} not ready in ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
    }, timeoutMs);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(proc);
      }
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`sekaid-ts ${args.join(' ')} exited ${code} before it was ready\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

/** `sekaid-ts start` (embedded engine) on free ports; resolves with the RPC address. */
export async function startEmbedded(home: string): Promise<{ node: NodeProcess; rpc: string }> {
  const port = await freePort();
  const rpc = `tcp://127.0.0.1:${port}`;
  const node = await spawnCli(['start', '--home', home, '--rpc.laddr', rpc, '--block-time', '200ms', '--log_level', 'warn'], /RPC listening at /);
  return { node, rpc };
}

export function cleanup(home: string | undefined): void {
  if (home) removeDir(home);
}
