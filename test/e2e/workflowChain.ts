/**
 * A chain for the headline workflows, built and driven only through the real `sekaid-ts`
 * binary: init, keys, genesis edits, `start` with the embedded engine, then tx and query
 * command lines as operators type them. The node's RPC is read directly (as with curl)
 * only to wait for blocks and txs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cli, ok, removeDir, tempDir, type CliResult } from '../cli/cli';
import { freePort } from '../cometbft';

export interface Chain {
  home: string;
  chainId: string;
  /** tcp://127.0.0.1:<port> */
  node: string;
  /** Key name → kira1… address. */
  addr: Record<string, string>;
  /** Key name → compressed secp256k1 public key, hex. */
  pubKeys: Record<string, string>;
  /** http://127.0.0.1:<port> of the web UI when the spec asked for it. */
  ui?: string;
  /** http://127.0.0.1:<port> of the REST (LCD) server. */
  rest: string;
  /** http://127.0.0.1:<port> of the gRPC-web server. */
  grpcWeb: string;
  /** Key name → its BIP39 mnemonic (for wallets such as CosmJS's). */
  mnemonics: Record<string, string>;
  /** The node's stderr so far (its log). */
  log(): string;
  /** Resolves with the node's exit code (null when a signal ended it) once it exits. */
  exited(): Promise<number | null>;
  /** Stops the node and removes its home (kept with `keepHome`, e.g. to `export` it). */
  stop(keepHome?: boolean): Promise<void>;
}

export interface ChainSpec {
  chainId: string;
  /** Keys to create; the first is the genesis validator (gentx-claim, sudo). All are funded. */
  keys: string[];
  /** `genesis set-network-property NAME VALUE`, in order. */
  properties?: [string, string][];
  /** `genesis whitelist-permission KEY PERM`. */
  permissions?: [string, string][];
  /** More command lines before `genesis validate`, e.g. ['genesis', 'add-notary', …] (--home is appended). */
  genesisLines?: string[][] | ((pubKeys: Record<string, string>) => string[][]);
  /** Longest gap between blocks (`--block-time` and `--empty-block-interval`). */
  blockTime?: string;
  /** Serve the web UI on a free port (off otherwise). */
  ui?: boolean;
  /** Edits config/genesis.json (parsed) after the command lines, before `genesis validate`; gets the home too. */
  editGenesis?: (genesis: any, home: string) => void;
}

const FUNDS = '1000000000000ukex';

/** Runs the CLI with --home and the test keyring; fails the test on a non-zero exit. */
export async function sekaid(home: string, args: string[]): Promise<CliResult> {
  return ok([...args, '--home', home, '--keyring-backend', 'test']);
}

/** A fresh ed25519 consensus key in the Cosmos JSON form `--pubkey` reads. */
export function consensusPubKeyJson(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  return JSON.stringify({ '@type': '/cosmos.crypto.ed25519.PubKey', key: Buffer.from(x, 'base64url').toString('base64') });
}

export async function startChain(spec: ChainSpec): Promise<Chain> {
  const home = tempDir('sekai-workflow-');
  const run = (...a: string[]) => ok([...a, '--home', home]);
  await run('init', 'workflow-node', '--chain-id', spec.chainId);
  const addr: Record<string, string> = {};
  const pubKeys: Record<string, string> = {};
  const mnemonics: Record<string, string> = {};
  for (const k of spec.keys) {
    const made = JSON.parse((await run('keys', 'add', k, '--keyring-backend', 'test', '--output', 'json')).stdout) as { address: string; pubkey: string; mnemonic: string };
    addr[k] = made.address;
    mnemonics[k] = made.mnemonic;
    pubKeys[k] = Buffer.from((JSON.parse(made.pubkey) as { key: string }).key, 'base64').toString('hex');
    await run('add-genesis-account', k, FUNDS, '--keyring-backend', 'test');
  }
  await run('gentx-claim', spec.keys[0], '--moniker', `${spec.keys[0]}-moniker`, '--keyring-backend', 'test');
  for (const [name, value] of spec.properties ?? []) await run('genesis', 'set-network-property', name, value);
  for (const [key, perm] of spec.permissions ?? []) await run('genesis', 'whitelist-permission', key, perm, '--keyring-backend', 'test');
  const lines = typeof spec.genesisLines === 'function' ? spec.genesisLines(pubKeys) : (spec.genesisLines ?? []);
  for (const line of lines) await run(...line);
  if (spec.editGenesis) {
    const file = join(home, 'config', 'genesis.json');
    const genesis = JSON.parse(readFileSync(file, 'utf8'));
    spec.editGenesis(genesis, home);
    writeFileSync(file, JSON.stringify(genesis, null, 2));
  }
  await run('genesis', 'validate');
  // An archive node: the tests read statuses at past heights, further back than the
  // default pruning's 362 recent versions once blocks come every 50 ms.
  const appToml = join(home, 'config', 'app.toml');
  writeFileSync(appToml, readFileSync(appToml, 'utf8').replace(/^pruning = "default"$/m, 'pruning = "nothing"'));

  const [rpc, grpcWeb, metrics, api] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const ui = spec.ui ? `127.0.0.1:${await freePort()}` : undefined;
  const node = `tcp://127.0.0.1:${rpc}`;
  const blockTime = spec.blockTime ?? '100ms';
  const child = spawn(
    BIN,
    ['start', '--home', home, '--rpc.laddr', node, '--grpc-web.address', `127.0.0.1:${grpcWeb}`, '--metrics.address', `127.0.0.1:${metrics}`, '--api.address', `tcp://127.0.0.1:${api}`,
      '--block-time', blockTime, '--empty-block-interval', blockTime, '--log_level', 'warn', ...(ui ? ['--ui.address', ui] : ['--ui=false'])],
    { env: { ...process.env, SEKAID_TS_FROM_SOURCE: '1', SEKAID_HOME: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await readyOrExit(child, /RPC listening at /, 60_000);
  const stop = async (keepHome = false) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (!keepHome) removeDir(home);
  };
  return { home, chainId: spec.chainId, node, addr, pubKeys, mnemonics, rest: `http://127.0.0.1:${api}`, grpcWeb: `http://127.0.0.1:${grpcWeb}`, ui: ui && `http://${ui}`, log: () => log, exited: () => exit, stop };
}

function readyOrExit(child: ChildProcess, ready: RegExp, timeoutMs: number): Promise<string> {
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node not ready in ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
    }, timeoutMs);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node exited ${code}\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

/** The flags KIRA's operator scripts pass to every tx, pointed at this chain's node. */
export function txFlags(chain: Chain, from: string, mode: 'async' | 'sync' | 'block' = 'async'): string[] {
  return [
    `--from`, from, `--chain-id=${chain.chainId}`, '--keyring-backend=test', `--home=${chain.home}`, '--fees', '100ukex', '--yes',
    `--broadcast-mode=${mode}`, '--log_format=json', '--output=json', '--node', chain.node,
  ];
}

/** Runs a tx line; returns the CLI result whatever the exit code. */
export function tx(chain: Chain, from: string, args: string[], mode: 'async' | 'sync' | 'block' = 'async'): Promise<CliResult> {
  return cli(['tx', ...args, ...txFlags(chain, from, mode)]);
}

/** Runs a query line with --output json and parses stdout. */
export async function query<T = any>(chain: Chain, args: string[]): Promise<T> {
  const r = await ok(['query', ...args, '--home', chain.home, '--node', chain.node, '--output', 'json']);
  return JSON.parse(r.stdout) as T;
}

/** GET on the node's CometBFT RPC; the `result` member. */
export async function rpc<T = any>(chain: Chain, path: string): Promise<T> {
  const res = await fetch(`http://${chain.node.replace(/^tcp:\/\//, '')}/${path}`);
  const body = (await res.json()) as { result?: T; error?: { message: string; data?: string } };
  if (body.error) throw new Error(`${path}: ${body.error.message} ${body.error.data ?? ''}`);
  return body.result as T;
}

export async function latestHeight(chain: Chain): Promise<number> {
  const s = await rpc<{ sync_info: { latest_block_height: string } }>(chain, 'status');
  return Number(s.sync_info.latest_block_height);
}

/** Polls until `probe` returns a value (not undefined) or the deadline passes. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface TxResultJson {
  height: string;
  tx_result: { code: number; codespace: string; log: string; events: { type: string; attributes: { key: string; value: string }[] }[] };
}

/** Waits until the tx with this hash is in a block and returns its result. */
export function waitTx(chain: Chain, hash: string, timeoutMs = 30_000): Promise<TxResultJson> {
  return until(`tx ${hash}`, async () => {
    try {
      return await rpc<TxResultJson>(chain, `tx?hash=0x${hash}`);
    } catch {
      return undefined;
    }
  }, timeoutMs);
}

/** The txhash a broadcast printed (TxResponse JSON on stdout). */
export function txHash(r: CliResult): string {
  if (r.code !== 0) throw new Error(`tx exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { txhash: string }).txhash;
}

export { removeDir, tempDir };
