/**
 * A live N-validator network on loopback for end-to-end tests: real `sekaid-ts` app processes,
 * each behind a real `cometbft node` (COMETBFT_BIN), on free ports in a temp directory.
 *
 *   const net = await startNetwork({ validators: 4, properties: [['MIN_VALIDATORS', '3']] });
 *   await net.waitForHeight(3);
 *   const res = await net.tx(1, ['customslashing', 'pause']);   // the operator's CLI line, as node1's key
 *   await net.waitFor('node1 out of /validators', async () => !(await net.cometValidators()).includes(net.nodes[1].consAddress) || undefined);
 *   await net.stop();
 *
 * Homes come from the real `sekaid-ts testnet` command; the harness then moves every port to
 * a free one, shortens the consensus timeouts, applies genesis network properties, and starts
 * the nodes through cmd/sekaid-ts/localnet.ts (the code behind `testnet start`). Each process
 * logs to <home>/sekaid.log and <home>/cometbft.log; `KEEP_NETWORK=1` keeps the directory.
 *
 * Waits are conditions with deadlines (`waitFor`, `waitForHeight`), never fixed sleeps: the
 * machine running the tests may be loaded. Reads that poll use RPC calls (cheap); assertions
 * meant to show the operator's view use the CLI (`query`).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addressToBech32, consAddressFromEd25519, addressFromBech32 } from '../crypto/address';
import { sha256 } from '../crypto/hash';
import { homeLayout, readAppConfig, readCometConfig, writeAppConfig, writeCometConfig } from '../node/config';
import { LocalnetNode, rpcGet, latestHeight, type Launch } from '../cmd/sekaid-ts/localnet';
import { QueryValidatorsRequest, QueryValidatorsResponse } from '../proto/gen/sekai/staking/v1/query';
import { QuerySigningInfoRequest, QuerySigningInfoResponse } from '../proto/gen/sekai/slashing/v1/query';
import { ValidatorStatus, validatorStatusToJSON } from '../proto/gen/sekai/staking/v1/staking';
import { govGenesisEditor } from '../x/gov';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { BIN, cli, ok, removeDir, tempDir, type CliResult } from './cli/cli';
import { signSend } from './e2e/abciChain';
import { findCometBFT, freePort } from './cometbft';

export interface NetworkSpec {
  /** Number of validators (each node holds one genesis validator key, power 1). Default 4. */
  validators?: number;
  chainId?: string;
  /** `genesis set-network-property NAME VALUE` applied to the shared genesis, in order. */
  properties?: [string, string][];
  /** Any further edit of the shared genesis document (parsed genesis.json) before start. */
  editGenesis?: (genesis: any) => void;
  /** consensus.timeout_commit (block interval once all votes are in). Default 300ms. */
  timeoutCommit?: string;
  /** consensus.timeout_propose: how long a round waits for a stopped proposer. Default 2s. */
  timeoutPropose?: string;
  /** Any further edit of every node's config.toml (after ports and timeouts are set). */
  editCometConfig?: (config: ReturnType<typeof readCometConfig>) => void;
  /** Any further edit of every node's app.toml (after ports are set). */
  editAppConfig?: (config: ReturnType<typeof readAppConfig>) => void;
  /** Extra flags for every app process (default ['--log_level', 'warn']). */
  appArgs?: string[];
}

/** One validator node of the network. */
export interface NetNode {
  index: number;
  name: string;
  home: string;
  /** http://127.0.0.1:<port> of its CometBFT RPC. */
  rpc: string;
  /** tcp:// form of `rpc` for the CLI's --node. */
  nodeFlag: string;
  /** The operator account (key `validator` in the home's test keyring), kira1…. */
  address: string;
  valoper: string;
  /** The consensus address as CometBFT prints it in /validators (upper-case hex). */
  consAddress: string;
  /** kiravalcons… of the same address (signing-info queries). */
  valcons: string;
  proc: LocalnetNode;
}

/** The x/customstaking record of one validator, as read through abci_query. */
export interface ValidatorView {
  address: string;
  consAddress: string;
  status: string;
  rank: bigint;
  streak: bigint;
  power: bigint;
  inactiveUntil: bigint;
  jailedUntil: bigint;
}

const CONS_PREFIX = /^[0-9A-F]{40}$/;
const APP_LAUNCH: Launch = { command: BIN, args: [], env: { ...process.env, SEKAID_TS_FROM_SOURCE: '1', SEKAID_HOME: '', SEKAID_KEYRING_PASSPHRASE: '' } };
/** Lines that must never appear in a CometBFT log of a healthy network. */
export const CONSENSUS_FAILURES = /wrong Block\.Header\.AppHash|CONSENSUS FAILURE/;

function hexUpper(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

/** Moves every port of a home to a free one; returns its p2p address for peers. */
async function assignPorts(home: string, spec: NetworkSpec): Promise<{ p2p: number }> {
  const [p2p, rpc, abci, grpcWeb, metrics] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const layout = homeLayout(home);
  const c = readCometConfig(layout.configToml);
  c.base.proxy_app = `tcp://127.0.0.1:${abci}`;
  // Block execution and evidence at info level (heights, AppHashes), every module's errors.
  c.base.log_level = '*:error,state:info,evidence:info';
  c.rpc.laddr = `tcp://127.0.0.1:${rpc}`;
  c.p2p.laddr = `tcp://127.0.0.1:${p2p}`;
  c.instrumentation.prometheus = false;
  c.consensus.timeout_commit = spec.timeoutCommit ?? '300ms';
  c.consensus.timeout_propose = spec.timeoutPropose ?? '2s';
  spec.editCometConfig?.(c);
  writeCometConfig(layout.configToml, c);
  const a = readAppConfig(layout.appToml);
  a.abci.address = `tcp://127.0.0.1:${abci}`;
  a.rpc.laddr = `tcp://127.0.0.1:${rpc}`;
  a['grpc-web'].address = `127.0.0.1:${grpcWeb}`;
  a.metrics.address = `127.0.0.1:${metrics}`;
  // Side doors the tests do not read.
  a.api.enable = false;
  a.ui.enable = false;
  // An archive node: tests read statuses at past heights.
  a.base.pruning = 'nothing';
  spec.editAppConfig?.(a);
  writeAppConfig(layout.appToml, a);
  return { p2p };
}

function nodeIdOf(home: string): string {
  const key = JSON.parse(readFileSync(homeLayout(home).nodeKey, 'utf8')) as { priv_key: { value: string } };
  // ed25519 private key JSON holds seed ‖ public key; the node ID is sha256(pubkey)[:20].
  const pub = Buffer.from(key.priv_key.value, 'base64').subarray(32);
  return Buffer.from(sha256(pub).subarray(0, 20)).toString('hex');
}

function setPeers(homes: string[], p2pPorts: number[]): void {
  const ids = homes.map(nodeIdOf);
  homes.forEach((home, i) => {
    const path = homeLayout(home).configToml;
    const c = readCometConfig(path);
    c.p2p.persistent_peers = ids
      .map((id, j) => (j === i ? '' : `${id}@127.0.0.1:${p2pPorts[j]}`))
      .filter((p) => p !== '')
      .join(',');
    writeCometConfig(path, c);
  });
}

/**
 * Gives homes written by `testnet` free loopback ports (p2p, RPC, ABCI, gRPC-web, metrics),
 * peers at those ports, the spec's consensus timeouts and archive pruning.
 */
export async function moveToFreePorts(homes: string[], spec: NetworkSpec = {}): Promise<void> {
  const p2p: number[] = [];
  for (const home of homes) p2p.push((await assignPorts(home, spec)).p2p);
  setPeers(homes, p2p);
}

function consKeyOf(home: string): Uint8Array {
  const k = JSON.parse(readFileSync(homeLayout(home).privValidatorKey, 'utf8')) as { pub_key: { value: string } };
  return Buffer.from(k.pub_key.value, 'base64');
}

export class Network {
  private readonly extra: LocalnetNode[] = [];

  constructor(
    readonly dir: string,
    readonly chainId: string,
    readonly nodes: NetNode[],
    private readonly spec: NetworkSpec,
  ) {}

  /** Starts every node: all app processes, then every CometBFT. */
  async startAll(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.proc.startApp()));
    for (const n of this.nodes) n.proc.startComet();
  }

  /** A node whose CometBFT is running (to read the chain through), preferring `prefer`. */
  live(prefer = 0): NetNode {
    const order = [prefer, ...this.nodes.map((n) => n.index).filter((i) => i !== prefer)];
    for (const i of order) if (this.nodes[i].proc.comet.running) return this.nodes[i];
    throw new Error('no node of the network is running');
  }

  rpc<T = any>(path: string, via?: number): Promise<T> {
    return rpcGet<T>(this.live(via).rpc, path);
  }

  /** Polls `probe` until it returns a value other than undefined; the error names `what` and shows the logs. */
  async waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000, everyMs = 250): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const v = await probe();
        if (v !== undefined) return v;
      } catch (e) {
        lastError = e;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}\n${this.diagnostics()}`);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  /** Height of one node, undefined while it does not answer. */
  height(index: number): Promise<number | undefined> {
    return latestHeight(this.nodes[index].rpc);
  }

  /** Waits until every listed node (default: all with a running CometBFT) is at `min` or above; returns the lowest. */
  async waitForHeight(min: number, nodes?: number[], timeoutMs = 120_000): Promise<number> {
    const which = nodes ?? this.nodes.filter((n) => n.proc.comet.running).map((n) => n.index);
    return this.waitFor(`height ${min} on nodes ${which.join(', ')}`, async () => {
      const hs = await Promise.all(which.map((i) => this.height(i)));
      if (hs.some((h) => h === undefined || h < min)) return undefined;
      return Math.min(...(hs as number[]));
    }, timeoutMs);
  }

  /** Upper-case hex addresses of CometBFT's validator set at `height` (latest when absent). */
  async cometValidators(height?: number, via?: number): Promise<string[]> {
    const r = await this.rpc<{ validators: { address: string }[] }>(`validators?per_page=100${height ? `&height=${height}` : ''}`, via);
    return r.validators.map((v) => v.address).sort();
  }

  /** Every validator's x/customstaking record through abci_query (latest state, or at `height`). */
  async validators(height?: number, via?: number): Promise<Map<string, ValidatorView>> {
    const data = Buffer.from(QueryValidatorsRequest.encode(QueryValidatorsRequest.fromPartial({ pagination: { limit: 1000n } })).finish()).toString('hex');
    const r = await this.rpc<{ response: { code: number; value: string; log: string } }>(
      `abci_query?path="/sekai.staking.v1.Query/Validators"&data=0x${data}${height ? `&height=${height}` : ''}`,
      via,
    );
    if (r.response.code !== 0) throw new Error(`Validators query failed: ${r.response.log}`);
    const res = QueryValidatorsResponse.decode(Buffer.from(r.response.value ?? '', 'base64'));
    const out = new Map<string, ValidatorView>();
    for (const v of res.validators) {
      const consAddress = hexUpper(consAddressFromEd25519(v.pubKey));
      out.set(consAddress, {
        address: addressToBech32('account', v.valKey),
        consAddress,
        status: validatorStatusToJSON(v.status),
        rank: v.rank,
        streak: v.streak,
        power: v.power,
        inactiveUntil: v.inactiveUntil,
        jailedUntil: v.jailedUntil,
      });
    }
    return out;
  }

  /** One node's validator record. */
  async validator(index: number, height?: number): Promise<ValidatorView> {
    const v = (await this.validators(height)).get(this.nodes[index].consAddress);
    if (!v) throw new Error(`${this.nodes[index].name} has no validator record`);
    return v;
  }

  /** One node's rank counters (mischance, confidence) through abci_query. */
  async signingInfo(index: number): Promise<QuerySigningInfoResponse['info']> {
    const data = Buffer.from(QuerySigningInfoRequest.encode({ consAddress: this.nodes[index].valcons }).finish()).toString('hex');
    const r = await this.rpc<{ response: { code: number; value: string; log: string } }>(`abci_query?path="/sekai.slashing.v1.Query/SigningInfo"&data=0x${data}`);
    if (r.response.code !== 0) throw new Error(`SigningInfo query failed: ${r.response.log}`);
    return QuerySigningInfoResponse.decode(Buffer.from(r.response.value ?? '', 'base64')).info;
  }

  /** Waits until node `index`'s validator has `status`, and returns the record. */
  waitForStatus(index: number, status: keyof typeof ValidatorStatus, timeoutMs = 120_000): Promise<ValidatorView> {
    return this.waitFor(`${this.nodes[index].name} to be ${status}`, async () => {
      const v = await this.validator(index);
      return v.status === status ? v : undefined;
    }, timeoutMs);
  }

  /**
   * Waits until node `index` is (or is not) in CometBFT's latest validator set and returns the
   * height of that set, once that height is committed (/validators answers for the next height
   * too, before the app has state at it).
   */
  async waitForInSet(index: number, present: boolean, timeoutMs = 120_000): Promise<number> {
    const addr = this.nodes[index].consAddress;
    const at = await this.waitFor(`${this.nodes[index].name} ${present ? 'in' : 'out of'} /validators`, async () => {
      const r = await this.rpc<{ block_height: string; validators: { address: string }[] }>('validators?per_page=100');
      return r.validators.some((v) => v.address === addr) === present ? Number(r.block_height) : undefined;
    }, timeoutMs);
    await this.waitForHeight(at, [this.live().index], timeoutMs);
    return at;
  }

  /**
   * `sekaid-ts tx <args>` signed by node `from`'s key `validator` with the flags of KIRA's
   * operator scripts (async broadcast, JSON output), sent to a running node; returns the CLI result.
   */
  tx(from: number, args: string[], mode: 'async' | 'sync' | 'block' = 'async', via?: number): Promise<CliResult> {
    const n = this.nodes[from];
    return cli([
      'tx', ...args, '--from', 'validator', `--chain-id=${this.chainId}`, '--keyring-backend=test', `--home=${n.home}`, '--fees', '100ukex', '--yes',
      `--broadcast-mode=${mode}`, '--log_format=json', '--output=json', '--node', this.live(via ?? from).nodeFlag,
    ]);
  }

  /** Sends a tx line and waits for its block; returns the committed result (code, log, height). */
  async txCommitted(from: number, args: string[], via?: number): Promise<TxResult> {
    const r = await this.tx(from, args, 'async', via);
    if (r.code !== 0) throw new Error(`tx ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    const hash = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { txhash: string }).txhash;
    return this.waitFor(`tx ${args.join(' ')} (${hash}) in a block`, async () => {
      try {
        return await this.rpc<TxResult>(`tx?hash=0x${hash}`, via);
      } catch {
        return undefined;
      }
    }, 60_000, 300);
  }

  /** `sekaid-ts query <args> --output json` against a running node, parsed. */
  async query<T = any>(args: string[], via?: number): Promise<T> {
    const n = this.live(via);
    return JSON.parse((await ok(['query', ...args, '--home', n.home, '--node', n.nodeFlag, '--output', 'json'])).stdout) as T;
  }

  /** Block header fields (app_hash, height) of one node at one height. */
  async header(index: number, height: number): Promise<{ app_hash: string; height: string; last_block_id: { hash: string } }> {
    const r = await rpcGet<{ block: { header: { app_hash: string; height: string; last_block_id: { hash: string } } } }>(this.nodes[index].rpc, `block?height=${height}`);
    return r.block.header;
  }

  /**
   * Gives stopped node `index` new processes that run `sekaid` (another build of the app, as an
   * operator installs a new binary); the home, ports and logs stay. Default: this repository's.
   */
  relaunch(index: number, sekaid: Launch = APP_LAUNCH): LocalnetNode {
    const n = this.nodes[index];
    if (n.proc.app.running || n.proc.comet.running) throw new Error(`${n.name} must be stopped before it is relaunched`);
    n.proc = new LocalnetNode(n.name, n.home, { sekaid, cometbft: cometBin(), appArgs: this.spec.appArgs ?? ['--log_level', 'warn'] });
    return n.proc;
  }

  /** CometBFT log lines of every node that show a consensus failure or an AppHash mismatch. */
  consensusFailures(): string[] {
    const out: string[] = [];
    for (const p of [...this.nodes.map((n) => n.proc), ...this.extra]) {
      const file = p.comet.logPath;
      if (!existsSync(file)) continue;
      for (const line of readFileSync(file, 'utf8').split('\n')) if (CONSENSUS_FAILURES.test(line)) out.push(`${p.name}: ${line}`);
    }
    return out;
  }

  /**
   * A second node signing with node `index`'s consensus key (its own home, app and CometBFT,
   * fresh signing state): once it has caught up it proposes and votes beside the original,
   * which is a real double-sign the other validators turn into DuplicateVoteEvidence.
   */
  async startTwin(index: number): Promise<LocalnetNode> {
    const src = this.nodes[index].home;
    const home = join(this.dir, `${this.nodes[index].name}-twin`);
    mkdirSync(join(home, 'data'), { recursive: true });
    for (const f of ['genesis.json', 'config.toml', 'app.toml', 'priv_validator_key.json']) cpSync(join(src, 'config', f), join(home, 'config', f));
    writeFileSync(join(home, 'data', 'priv_validator_state.json'), JSON.stringify({ height: '0', round: 0, step: 0 }));
    const { p2p: _p2p } = await assignPorts(home, this.spec);
    const c = readCometConfig(homeLayout(home).configToml);
    c.p2p.persistent_peers = this.nodes.map((n) => `${nodeIdOf(n.home)}@${readCometConfig(homeLayout(n.home).configToml).p2p.laddr.replace('tcp://', '')}`).join(',');
    writeCometConfig(homeLayout(home).configToml, c);
    const twin = new LocalnetNode(`${this.nodes[index].name}-twin`, home, { sekaid: APP_LAUNCH, cometbft: cometBin(), appArgs: this.spec.appArgs ?? ['--log_level', 'warn'] });
    this.extra.push(twin);
    await twin.start();
    return twin;
  }

  /**
   * Signed bank transfers (1ukex each) from node `from`'s account to `to`, one at a time through
   * whichever node is running, until `stop()`; a node going down mid-transfer only costs a retry.
   * `stop()` resolves with the number of transfers committed.
   */
  startTransfers(from: number, to: string): { stop(): Promise<number> } {
    let stopping = false;
    let committed = 0;
    const run = async () => {
      const mnemonic = (JSON.parse(readFileSync(join(this.nodes[from].home, 'key_seed.json'), 'utf8')) as { secret: string }).secret;
      const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'kira' });
      const address = this.nodes[from].address;
      while (!stopping) {
        try {
          const via = this.live(0);
          const client = await StargateClient.connect(via.rpc);
          const { accountNumber, sequence } = await client.getSequence(address);
          client.disconnect();
          const tx = await signSend(wallet, { from: address, to, amount: 1n, sequence: BigInt(sequence), accountNumber: BigInt(accountNumber), chainId: this.chainId });
          const res = await rpcGet<{ code: number; hash: string }>(via.rpc, `broadcast_tx_sync?tx=0x${Buffer.from(tx).toString('hex')}`);
          if (res.code !== 0) {
            await new Promise((r) => setTimeout(r, 200));
            continue;
          }
          const deadline = Date.now() + 30_000;
          while (!stopping && Date.now() < deadline) {
            const found = await rpcGet<TxResult>(this.live(0).rpc, `tx?hash=0x${res.hash}`).catch(() => undefined);
            if (found) {
              if (found.tx_result.code === 0) committed++;
              break;
            }
            await new Promise((r) => setTimeout(r, 200));
          }
        } catch {
          // A node stopped under us: try again through another.
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    const loop = run();
    return {
      stop: async () => {
        stopping = true;
        await loop;
        return committed;
      },
    };
  }

  /** The tail of every process log, for failure messages. */
  diagnostics(chars = 1500): string {
    return [...this.nodes.map((n) => n.proc), ...this.extra]
      .flatMap((p) => [p.app, p.comet])
      .map((p) => `--- ${p.name} (${p.running ? 'running' : `stopped ${JSON.stringify(p.ended ?? {})}`}) ${p.logPath}\n${p.tail(chars)}`)
      .join('\n');
  }

  /** Stops every process (CometBFT first) and removes the directory unless KEEP_NETWORK is set. */
  async stop(): Promise<void> {
    const all = [...this.extra, ...this.nodes.map((n) => n.proc)];
    await Promise.all(all.map((p) => p.comet.stop()));
    await Promise.all(all.map((p) => p.app.stop()));
    if (process.env.KEEP_NETWORK) process.stderr.write(`network kept in ${this.dir}\n`);
    else removeDir(this.dir);
  }
}

export interface TxResult {
  height: string;
  tx_result: { code: number; codespace: string; log: string; events?: { type: string; attributes: { key: string; value: string }[] }[] };
}

function cometBin(): string {
  const found = findCometBFT();
  if (!found) throw new Error('COMETBFT_BIN is not set');
  return found.bin;
}

/** Writes the homes with `sekaid-ts testnet`, prepares them for this machine and starts every node. */
export async function startNetwork(spec: NetworkSpec = {}): Promise<Network> {
  const count = spec.validators ?? 4;
  const chainId = spec.chainId ?? 'sekai-live-1';
  const dir = tempDir('sekai-net-');
  const made = JSON.parse(
    (await ok(['testnet', '--validators', String(count), '--output-dir', dir, '--chain-id', chainId, '--output', 'json', '--log_level', 'warn'])).stdout,
  ) as { nodes: { name: string; home: string; address: string }[] };
  const homes = made.nodes.map((n) => n.home);

  const genesisPath = homeLayout(homes[0]).genesis;
  const genesis = JSON.parse(readFileSync(genesisPath, 'utf8'));
  for (const [name, value] of spec.properties ?? []) govGenesisEditor.setNetworkProperty(genesis.app_state, name, value);
  spec.editGenesis?.(genesis);
  for (const home of homes) writeFileSync(homeLayout(home).genesis, JSON.stringify(genesis, null, 2));

  await moveToFreePorts(homes, spec);

  const comet = cometBin();
  const nodes: NetNode[] = made.nodes.map((m, index) => {
    const consKey = consKeyOf(m.home);
    const cons = consAddressFromEd25519(consKey);
    if (!CONS_PREFIX.test(hexUpper(cons))) throw new Error('bad consensus address');
    const proc = new LocalnetNode(m.name, m.home, { sekaid: APP_LAUNCH, cometbft: comet, appArgs: spec.appArgs ?? ['--log_level', 'warn'] });
    const rpc = proc.rpcUrl;
    return {
      index,
      name: m.name,
      home: m.home,
      rpc,
      nodeFlag: rpc.replace(/^http:\/\//, 'tcp://'),
      address: m.address,
      valoper: addressToBech32('validator', addressFromBech32('account', m.address)),
      consAddress: hexUpper(cons),
      valcons: addressToBech32('consensus', cons),
      proc,
    };
  });
  const net = new Network(dir, chainId, nodes, spec);
  try {
    await net.startAll();
  } catch (e) {
    const logs = net.diagnostics();
    await net.stop();
    throw new Error(`${(e as Error).message}\n${logs}`);
  }
  return net;
}
