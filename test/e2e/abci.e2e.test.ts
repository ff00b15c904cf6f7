/**
 * The real sekaid-ts process behind its ABCI socket, driven the way CometBFT v0.38 drives
 * it: a home made by the CLI (init, keys add, add-genesis-account, gentx-claim), then
 * `sekaid-ts start --with-comet=false`, four TCP connections opened in CometBFT's order
 * (query, snapshot, mempool, consensus), requests encoded by cosmjs-types' independent
 * `tendermint.abci` codec, and CometBFT's call sequence: Info, InitChain, then Prepare /
 * Process / Finalize / Commit per height with wallet-signed bank transfers, pipelined
 * CheckTx behind one Flush, a proven store query checked with @confio/ics23, and two
 * restarts of the process (SIGKILL with a finalized but uncommitted block, and SIGTERM),
 * after which Info reports the last commit and the chain goes on.
 *
 * The second suite runs the same home under a real `cometbft` binary when COMETBFT_BIN
 * names one, with @cosmjs/stargate broadcasting through its RPC.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { calculateExistenceRoot, ics23, iavlSpec, tendermintSpec, verifyMembership } from '@confio/ics23';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { AbciClient } from '../../abci/client';
import { CODE_VERSION } from '../../app/app';
import { QueryValidatorRequest, QueryValidatorResponse } from '../../proto/gen/sekai/staking/v1/query';
import { parseGenesis, type GenesisDoc } from '../../node/engine/genesis';
import { parsePrivValidatorKey, PrivValidator } from '../../node/consensus/signing';
import { State as BankState } from '../../x/bank/types/keys';
import { rawConnect, untilClosed } from '../abci/helpers';
import { readJson } from '../cli/cli';
import { describeWithCometBFT, freePort } from '../cometbft';
import { COMETBFT_INFO, ConsensusDriver, highSTwin, signSend, type SendTx } from './abciChain';
import { CHAIN_ID, cleanup, createDevHome, spawnCli, type DevHome, type NodeProcess } from './cliChain';

const GENESIS_FUNDS = 1_000_000_000_000n;
const FEE = 100n;

/** The four connections CometBFT opens, in the order it opens them (proxy/multi_app_conn.go). */
interface Conns {
  query: AbciClient;
  snapshot: AbciClient;
  mempool: AbciClient;
  consensus: AbciClient;
}

async function connectAll(address: string): Promise<Conns> {
  const conns: Partial<Conns> = {};
  for (const name of ['query', 'snapshot', 'mempool', 'consensus'] as const) {
    const c = new AbciClient();
    await c.connect(address);
    conns[name] = c;
  }
  return conns as Conns;
}

async function closeAll(c: Conns | undefined): Promise<void> {
  if (!c) return;
  for (const x of [c.query, c.snapshot, c.mempool, c.consensus]) await x.close().catch(() => undefined);
}

function startAbci(home: string, address: string): Promise<NodeProcess> {
  return spawnCli(['start', '--with-comet=false', '--address', address, '--transport', 'socket', '--home', home, '--log_level', 'warn'], /ABCI listening at /);
}

/** Sends `signal` and resolves with how the process ended. */
function kill(p: NodeProcess, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = p.child;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    child.once('exit', (code, sig) => resolve({ code, signal: sig }));
    child.kill(signal);
  });
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('sekaid-ts ABCI process driven like CometBFT v0.38 over TCP', () => {
  let dev: DevHome;
  let genesis: GenesisDoc;
  let address: string;
  let proc: NodeProcess;
  let conns: Conns;
  let chain: ConsensusDriver;
  let val: DirectSecp256k1HdWallet;
  let bob: DirectSecp256k1HdWallet;
  /** What the test expects the chain to hold, tracked as txs commit. */
  const expected = { val: GENESIS_FUNDS, bob: 0n, valSeq: 0n, bobSeq: 0n, bobAccountNumber: -1n };
  /** Txs accepted by CheckTx and not yet in a block: CometBFT's mempool. */
  let mempool: Uint8Array[] = [];

  const send = (from: 'val' | 'bob', amount: bigint, over: Partial<SendTx> = {}): Promise<Uint8Array> => {
    const fromVal = from === 'val';
    return signSend(fromVal ? val : bob, {
      from: fromVal ? dev.val : dev.bob,
      to: fromVal ? dev.bob : dev.val,
      amount,
      sequence: fromVal ? expected.valSeq : expected.bobSeq,
      accountNumber: fromVal ? 0n : expected.bobAccountNumber,
      chainId: CHAIN_ID,
      ...over,
    });
  };
  /** Books a committed transfer into the expected balances and sequences. */
  const booked = (from: 'val' | 'bob', amount: bigint) => {
    if (from === 'val') {
      expected.val -= amount + FEE;
      expected.bob += amount;
      expected.valSeq++;
    } else {
      expected.bob -= amount + FEE;
      expected.val += amount;
      expected.bobSeq++;
    }
  };

  /** CheckTx each tx on the mempool connection (must pass), then one height with the mempool. */
  async function height(transfers: Array<['val' | 'bob', bigint]>): Promise<void> {
    for (const [from, amount] of transfers) {
      const tx = await send(from, amount);
      const res = await conns.mempool.checkTx({ tx });
      if (res.code !== 0) throw new Error(`CheckTx refused a ${from} transfer: ${res.codespace} ${res.code} ${res.log}`);
      mempool.push(tx);
      booked(from, amount);
    }
    const fin = await chain.runHeight(mempool);
    const failed = fin.txResults.filter((r) => r.code !== 0).map((r) => `${r.codespace} ${r.code}: ${r.log}`);
    if (failed.length > 0) throw new Error(`height ${chain.height}: ${failed.join('; ')}`);
    mempool = [];
  }

  async function balance(addr: string, h = 0n): Promise<bigint> {
    const q = await conns.query.query({ path: '/cosmos.bank.v1beta1.Query/Balance', data: QueryBalanceRequest.encode({ address: addr, denom: 'ukex' }).finish(), height: h });
    expect(q.code).toBe(0);
    return BigInt(QueryBalanceResponse.decode(q.value).balance!.amount);
  }

  beforeAll(async () => {
    dev = await createDevHome();
    genesis = parseGenesis(readJson(join(dev.home, 'config', 'genesis.json')));
    val = await DirectSecp256k1HdWallet.fromMnemonic(dev.steps.keysVal.mnemonic, { prefix: 'kira' });
    bob = await DirectSecp256k1HdWallet.fromMnemonic(dev.steps.keysBob.mnemonic, { prefix: 'kira' });
    address = `tcp://127.0.0.1:${await freePort()}`;
    proc = await startAbci(dev.home, address);
    conns = await connectAll(address);
    // The validator key gentx-claim put in genesis; its sign state lives apart from CometBFT's.
    const key = parsePrivValidatorKey(readJson(join(dev.home, 'config', 'priv_validator_key.json')));
    chain = new ConsensusDriver(conns.consensus, genesis, PrivValidator.load(key, join(dev.home, 'data', 'e2e_driver_sign_state.json')));
  }, 90_000);

  afterAll(async () => {
    await closeAll(conns);
    if (proc) await kill(proc, 'SIGTERM');
    cleanup(dev?.home);
  });

  test('Info handshake on a fresh home, then InitChain with genesis.json', async () => {
    const info = await conns.query.info(COMETBFT_INFO);
    expect(info).toMatchObject({ data: 'sekai-ts', version: CODE_VERSION, lastBlockHeight: 0n });
    expect(info.lastBlockAppHash).toHaveLength(0);

    const init = await chain.initChain();
    expect(init.appHash).toHaveLength(32);
    // The genesis validator (gentx-claim) is the one validator, whichever side names it.
    const vals = chain.validators(1);
    expect(vals.map((v) => hex(v.pubKey))).toEqual([hex(genesis.validators[0].pubKey)]);
    // State sync is not offered: the snapshot connection answers with no snapshots.
    expect((await conns.snapshot.listSnapshots()).snapshots).toEqual([]);
    // Before the first Commit, Info still reports height 0 (CometBFT would send InitChain again).
    expect((await conns.query.info(COMETBFT_INFO)).lastBlockHeight).toBe(0n);
  });

  test('ten heights of wallet-signed transfers; decided_last_commit names the validator from height 2', async () => {
    await height([['val', 5_000_000n]]);
    const acc = await conns.query.query({ path: '/cosmos.auth.v1beta1.Query/Account', data: QueryAccountRequest.encode({ address: dev.bob }).finish() });
    expect(acc.code).toBe(0);
    expected.bobAccountNumber = BaseAccount.decode(QueryAccountResponse.decode(acc.value).account!.value).accountNumber;
    for (let i = 2; i <= 10; i++) await height([['val', 1000n + BigInt(i)], ['bob', 7n]]);
    expect(chain.height).toBe(10);
    const info = await conns.query.info(COMETBFT_INFO);
    expect(info.lastBlockHeight).toBe(10n);
    expect(hex(info.lastBlockAppHash)).toBe(hex(chain.appHashes.get(10)!));
    expect(await balance(dev.bob)).toBe(expected.bob);
    expect(await balance(dev.val)).toBe(expected.val);
    // x/customslashing counted the validator present in every decided_last_commit (heights 2-10).
    const v = await conns.query.query({ path: '/sekai.staking.v1.Query/Validator', data: QueryValidatorRequest.encode(QueryValidatorRequest.fromPartial({ addr: dev.val })).finish() });
    expect(v.code).toBe(0);
    expect(QueryValidatorResponse.decode(v.value).validator).toMatchObject({ rank: 9n, streak: 9n });
    // Every height changed the state, so every AppHash is new.
    expect(new Set([...chain.appHashes.values()].map(hex)).size).toBe(10);
  });

  test('pipelined CheckTx: 40 requests and one Flush, answered in order', async () => {
    const txs: Uint8Array[] = [];
    for (let i = 0; i < 39; i++) txs.push(await send('val', 1n, { sequence: expected.valSeq + BigInt(i) }));
    // A replay of the 4th tx (sequence s+3) at position 20: only its answer may be a refusal.
    txs.splice(20, 0, txs[3]);
    const pending = txs.map((tx) => conns.mempool.checkTxAsync({ tx }));
    expect(conns.mempool.pending).toBe(40);
    await conns.mempool.flush();
    const answers = await Promise.all(pending);
    expect(answers.map((a) => a.code)).toEqual(txs.map((_, i) => (i === 20 ? 32 : 0)));
    expect(answers[20].codespace).toBe('sdk');
    // The check state had reached s+20 when the replay arrived.
    expect(answers[20].log).toContain(`account sequence mismatch, expected ${expected.valSeq + 20n}, got ${expected.valSeq + 3n}`);
    mempool = txs.filter((_, i) => i !== 20);
    for (let i = 0; i < 39; i++) booked('val', 1n);
    await height([]);
    expect(chain.results.get(chain.height)!.txResults).toHaveLength(39);
    expect(await balance(dev.val)).toBe(expected.val);
  });

  test('rejections over the socket: each its own code, nothing changes', async () => {
    const before = await conns.query.info(COMETBFT_INFO);
    const committed = await send('val', 1n, { sequence: expected.valSeq - 1n });
    const replay = await conns.mempool.checkTx({ tx: committed });
    expect([replay.codespace, replay.code]).toEqual(['sdk', 32]);
    expect(replay.log).toContain(`account sequence mismatch, expected ${expected.valSeq}, got ${expected.valSeq - 1n}`);

    const good = await send('val', 1n);
    const twin = await conns.mempool.checkTx({ tx: highSTwin(good) });
    expect([twin.codespace, twin.code]).toEqual(['runtime', 7]);
    expect(twin.log).toMatch(/high S/);

    const otherChain = await conns.mempool.checkTx({ tx: await send('val', 1n, { chainId: 'other-chain-1' }) });
    expect([otherChain.codespace, otherChain.code]).toEqual(['sdk', 4]);
    expect(otherChain.log).toMatch(/signature verification failed/);
    const wrongKey = await conns.mempool.checkTx({ tx: await signSend(val, { from: dev.val, to: dev.bob, amount: 1n, sequence: expected.valSeq, accountNumber: 0n, chainId: CHAIN_ID }, bob) });
    expect([wrongKey.codespace, wrongKey.code]).toEqual(['sdk', 4]);
    // Bob's key, correctly signing, for a message whose signer is val: the key is not val's.
    const notSigner = await conns.mempool.checkTx({ tx: await signSend(bob, { from: dev.val, to: dev.bob, amount: 1n, sequence: expected.valSeq, accountNumber: 0n, chainId: CHAIN_ID }) });
    expect([notSigner.codespace, notSigner.code]).toEqual(['sdk', 8]);
    expect(notSigner.log).toBe(`public key of signer 0 does not belong to account ${dev.val}: invalid pubkey`);

    const garbage = await conns.mempool.checkTx({ tx: Uint8Array.of(0xff, 0x01, 0x02) });
    expect(garbage.code).not.toBe(0);
    expect(garbage.codespace).toBe('sdk');

    // The low-S original is still admissible: none of the refusals consumed its sequence.
    expect((await conns.mempool.checkTx({ tx: good })).code).toBe(0);
    mempool.push(good);
    booked('val', 1n);
    expect((await conns.query.info(COMETBFT_INFO)).lastBlockAppHash).toEqual(before.lastBlockAppHash);
    await height([]);
  });

  test('RECHECK after Commit: the tx the block left in the mempool is still admitted against the new state', async () => {
    const first = await send('val', 5n);
    const second = await send('val', 6n, { sequence: expected.valSeq + 1n });
    expect((await conns.mempool.checkTx({ tx: first })).code).toBe(0);
    expect((await conns.mempool.checkTx({ tx: second })).code).toBe(0);
    // The proposer's block holds only the first (as if max_tx_bytes had cut it there).
    await chain.runHeight([first]);
    booked('val', 5n);
    // CometBFT rechecks what is left, with type RECHECK, after Commit reset the check state.
    const recheck = await conns.mempool.checkTx({ tx: second, type: CheckTxType.RECHECK });
    expect(recheck.code).toBe(0);
    // A recheck of the tx that is already in the block now fails its sequence: CometBFT drops it.
    const stale = await conns.mempool.checkTx({ tx: first, type: CheckTxType.RECHECK });
    expect([stale.codespace, stale.code]).toEqual(['sdk', 32]);
    mempool = [second];
    booked('val', 6n);
    await height([]);
  });

  test('a malformed frame closes only its own connection', async () => {
    const raw = await rawConnect(address);
    // A 5-byte frame of 0xff: no valid tendermint.abci.Request.
    raw.write(Buffer.from([0x05, 0xff, 0xff, 0xff, 0xff, 0xff]));
    await untilClosed(raw);
    expect((await conns.query.echo('still here')).message).toBe('still here');
    expect((await conns.snapshot.listSnapshots()).snapshots).toEqual([]);
    await height([['val', 3n]]);
    expect((await conns.query.info(COMETBFT_INFO)).lastBlockHeight).toBe(BigInt(chain.height));
  });

  test('heights to 20, then /store/bank/key with prove=true verifies against that height\'s AppHash', async () => {
    while (chain.height < 20) await height([['bob', 11n]]);
    const h = 20;
    const key = BankState.balances.key([expected.bobAccountNumber, 'ukex']);
    const q = await conns.query.query({ path: '/store/bank/key', data: key, height: BigInt(h), prove: true });
    expect(q.code).toBe(0);
    expect(q.height).toBe(BigInt(h));
    expect(Buffer.from(q.key)).toEqual(Buffer.from(key));
    expect(Buffer.from(q.value).toString()).toBe(expected.bob.toString());
    const ops = q.proofOps!.ops;
    expect(ops.map((o) => o.type)).toEqual(['ics23:iavl', 'ics23:simple']);
    expect(Buffer.from(ops[1].key).toString()).toBe('bank');
    const inner = ics23.CommitmentProof.decode(ops[0].data);
    const storeRoot = calculateExistenceRoot(inner.exist!);
    expect(verifyMembership(inner, iavlSpec, storeRoot, key, q.value)).toBe(true);
    const outer = ics23.CommitmentProof.decode(ops[1].data);
    const appHash = chain.appHashes.get(h)!;
    expect(verifyMembership(outer, tendermintSpec, appHash, Buffer.from('bank'), storeRoot)).toBe(true);
    // The same proof does not verify against the AppHash of another height, nor for another value.
    expect(verifyMembership(outer, tendermintSpec, chain.appHashes.get(h - 1)!, Buffer.from('bank'), storeRoot)).toBe(false);
    expect(verifyMembership(inner, iavlSpec, storeRoot, key, Buffer.from((expected.bob + 1n).toString()))).toBe(false);
  });

  test('SIGKILL with a finalized, uncommitted block: Info reports the last Commit, the block is replayed identically', async () => {
    while (chain.height < 25) await height([['val', 13n]]);
    // Height 26 is finalized but not committed when the process dies.
    const tx = await send('val', 17n);
    expect((await conns.mempool.checkTx({ tx })).code).toBe(0);
    const p = await chain.propose([tx]);
    const before = await chain.finalize(p);
    expect((await kill(proc, 'SIGKILL')).signal).toBe('SIGKILL');
    await closeAll(conns);

    proc = await startAbci(dev.home, address);
    conns = await connectAll(address);
    chain.consensus = conns.consensus;
    const info = await conns.query.info(COMETBFT_INFO);
    expect(info.lastBlockHeight).toBe(25n);
    expect(hex(info.lastBlockAppHash)).toBe(hex(chain.appHashes.get(25)!));
    // CometBFT replays the block it had decided: the same request gives the same answer.
    const again = await chain.finalize(p);
    expect(hex(again.appHash)).toBe(hex(before.appHash));
    expect(again.txResults.map((r) => r.code)).toEqual([0]);
    await chain.commit(p, again);
    booked('val', 17n);
    while (chain.height < 35) await height([['val', 19n], ['bob', 1n]]);
    expect(await balance(dev.bob)).toBe(expected.bob);
  });

  test('SIGTERM after a Commit: clean exit, Info reports height and AppHash, the chain continues to 55', async () => {
    expect(await kill(proc, 'SIGTERM')).toEqual({ code: 0, signal: null });
    await closeAll(conns);
    proc = await startAbci(dev.home, address);
    conns = await connectAll(address);
    chain.consensus = conns.consensus;
    const info = await conns.query.info(COMETBFT_INFO);
    expect(info.lastBlockHeight).toBe(35n);
    expect(hex(info.lastBlockAppHash)).toBe(hex(chain.appHashes.get(35)!));
    // The check state starts from the committed one: the next sequences are admitted.
    while (chain.height < 55) await height([['val', 23n], ['bob', 2n]]);
    const last = await conns.query.info(COMETBFT_INFO);
    expect(last.lastBlockHeight).toBe(55n);
    expect(hex(last.lastBlockAppHash)).toBe(hex(chain.appHashes.get(55)!));
    expect(await balance(dev.val)).toBe(expected.val);
    expect(await balance(dev.bob)).toBe(expected.bob);
    // Historical heights stay queryable after the restarts.
    expect(await balance(dev.bob, 1n)).toBe(5_000_000n);
    // Balances are conserved: the fees went to the fee collector, nothing else left the two accounts.
    const txCount = expected.valSeq + expected.bobSeq;
    expect(expected.val + expected.bob + txCount * FEE).toBe(GENESIS_FUNDS);
  });
});

/** StargateClient.connect, retried while the restarted node's RPC is not listening yet. */
async function connectWhenUp(url: string, timeoutMs: number): Promise<StargateClient> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await StargateClient.connect(url);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function waitForHeight(client: StargateClient, min: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const h = await client.getHeight().catch(() => 0);
    if (h >= min) return h;
    if (Date.now() > deadline) throw new Error(`CometBFT did not reach height ${min} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describeWithCometBFT('sekaid-ts ABCI process under a real CometBFT node', (cometbft) => {
  let dev: DevHome;
  let abci: NodeProcess | undefined;
  let comet: ChildProcess | undefined;
  let cometLog = '';
  let ports: { abci: number; rpc: number; p2p: number };
  const rpcUrl = () => `http://127.0.0.1:${ports.rpc}`;

  async function startPair(): Promise<void> {
    abci = await startAbci(dev.home, `tcp://127.0.0.1:${ports.abci}`);
    comet = spawn(
      cometbft.bin,
      ['node', '--home', dev.home, '--proxy_app', `tcp://127.0.0.1:${ports.abci}`, '--rpc.laddr', `tcp://127.0.0.1:${ports.rpc}`, '--p2p.laddr', `tcp://127.0.0.1:${ports.p2p}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    comet.stdout!.on('data', (c: Buffer) => (cometLog += c.toString()));
    comet.stderr!.on('data', (c: Buffer) => (cometLog += c.toString()));
  }

  async function stopComet(): Promise<void> {
    const c = comet;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise((r) => {
      c.once('exit', r);
      c.kill('SIGTERM');
    });
  }

  beforeAll(async () => {
    dev = await createDevHome();
    ports = { abci: await freePort(), rpc: await freePort(), p2p: await freePort() };
    await startPair();
  }, 120_000);

  afterAll(async () => {
    await stopComet();
    if (abci) await kill(abci, 'SIGTERM');
    cleanup(dev?.home);
  });

  test('cosmjs-signed transfers through CometBFT RPC, a restart of both processes, and the chain goes on', async () => {
    const q = await connectWhenUp(rpcUrl(), 60_000);
    let before: number;
    try {
      await waitForHeight(q, 2, 60_000).catch((e: Error) => {
        throw new Error(`${e.message}\ncometbft log:\n${cometLog.slice(-4000)}\nsekaid-ts log:\n${abci?.stderr().slice(-2000)}`);
      });
      expect(await q.getChainId()).toBe(CHAIN_ID);
      const wallet = await DirectSecp256k1HdWallet.fromMnemonic(dev.steps.keysVal.mnemonic, { prefix: 'kira' });
      const signer = await SigningStargateClient.connectWithSigner(rpcUrl(), wallet, { gasPrice: GasPrice.fromString('0.001ukex'), broadcastPollIntervalMs: 200 });
      for (let i = 1; i <= 3; i++) {
        const res = await signer.sendTokens(dev.val, dev.bob, [{ denom: 'ukex', amount: String(1000 * i) }], { amount: [{ denom: 'ukex', amount: '100' }], gas: '200000' });
        expect(res.code).toBe(0);
        expect(res.height).toBeGreaterThan(0);
      }
      expect((await q.getBalance(dev.bob, 'ukex')).amount).toBe('6000');
      signer.disconnect();
      before = await q.getHeight();

      // CometBFT stops when its app goes away, so the pair restarts together.
      await stopComet();
      expect((await kill(abci!, 'SIGTERM')).code).toBe(0);
      await startPair();
    } finally {
      q.disconnect();
    }
    const q2 = await connectWhenUp(rpcUrl(), 60_000);
    try {
      // The restarted pair resumes the same chain and keeps producing blocks past the old tip.
      await waitForHeight(q2, before + 3, 60_000);
      expect((await q2.getBalance(dev.bob, 'ukex')).amount).toBe('6000');
      const wallet = await DirectSecp256k1HdWallet.fromMnemonic(dev.steps.keysBob.mnemonic, { prefix: 'kira' });
      const signer = await SigningStargateClient.connectWithSigner(rpcUrl(), wallet, { broadcastPollIntervalMs: 200 });
      const res = await signer.sendTokens(dev.bob, dev.val, [{ denom: 'ukex', amount: '500' }], { amount: [{ denom: 'ukex', amount: '100' }], gas: '200000' });
      expect(res.code).toBe(0);
      expect((await q2.getBalance(dev.bob, 'ukex')).amount).toBe('5400');
      signer.disconnect();
    } finally {
      q2.disconnect();
    }
  }, 180_000);
});
