/**
 * Genesis export round trip on the real app. A chain made by the CLI (init, keys add,
 * add-genesis-account, gentx-claim) runs on the embedded node with activity in every
 * module that holds state: transfers (balances, sequences), registered names and a second
 * account (x/accountid), a whitelisted permission, a proposal with a vote (x/gov), a
 * second validator claimed and missing blocks (x/customstaking, x/customslashing). Its
 * state is exported at height H and a fresh chain is initialised from the export at
 * initial height H+1.
 *
 * What is checked:
 *  (a) the fresh chain's export equals the original export byte for byte — right after
 *      InitChain, and again after both chains execute the same block H+1;
 *  (b) two fresh chains initialised from the same export compute the same AppHash at
 *      InitChain and after the same block;
 *  (c) the fresh chain's AppHash is NOT the original's, by design. Every IAVL node hash
 *      covers the version that wrote the node (cosmos/iavl `writeHashBytes`: height,
 *      size, version, then the body), so identical contents written at version H+1 give
 *      another root than the same contents written over versions 1..H. The Cosmos SDK
 *      behaves the same: `export` + `init` reproduces the state, not the AppHash. Some
 *      state is also deliberately not part of genesis (x/notarypay's recent block
 *      records and AppHashes, which name heights of the old chain).
 *      Reproducing the exact AppHash would need each store's IAVL tree moved with its
 *      node versions (the state-sync path: an export stream of (key, value, version,
 *      height) nodes imported in the same shape, plus the multistore's commit info), not
 *      a JSON genesis; the genesis path cannot carry that information.
 *
 * genesis_time and initial_height of the exported document are the new chain's (the last
 * block's time, H+1); they are not part of app_state, which is what is compared.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { RequestQuery } from 'cosmjs-types/tendermint/abci/types';
import { AbciClient } from '../../abci/client';
import { AbciServer } from '../../abci/server';
import { createApp, type SekaiApp } from '../../app/app';
import { BlockStore } from '../../node/blockstore/blockStore';
import { Context } from '../../runtime/context';
import { formatRfc3339, parseGenesis, type GenesisDoc } from '../../node/engine/genesis';
import { generatePrivValidatorKey, parsePrivValidatorKey, PrivValidator, type PrivValidatorKey } from '../../node/consensus/signing';
import { startNode, type RunningNode } from '../../node/node';
import type { NodeValidator } from '../../node/types';
import { MsgRegisterName } from '../../proto/gen/sekai/accountid/v1/tx';
import { MsgClaimValidator } from '../../proto/gen/sekai/staking/v1/tx';
import { submitProposalMsg } from '../../client/cliEnv';
import { permissionMsg, setNetworkPropertyContent, voteMsg } from '../../x/gov/cli';
import { ok, readJson, tempDir } from '../cli/cli';
import { freePort } from '../cometbft';
import { COMETBFT_INFO, ConsensusDriver, signMsgs } from './abciChain';
import { CHAIN_ID, cleanup, createDevHome, spawnCli, type DevHome, type NodeProcess } from './cliChain';

const silent = pino({ level: 'silent' });
type Msg = { typeUrl: string; value: Uint8Array };
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A fresh app behind a real ABCI socket, with a CometBFT-side driver for it. */
interface Fresh {
  sekai: SekaiApp;
  server: AbciServer;
  client: AbciClient;
  dir: string;
}

async function serve(sekai: SekaiApp, dir: string): Promise<Fresh> {
  const server = new AbciServer(sekai.app, { logger: silent });
  await server.listen('tcp://127.0.0.1:0');
  const client = new AbciClient();
  await client.connect(server.address());
  return { sekai, server, client, dir };
}

/** A new app database for a chain starting at `initialHeight`, as `sekaid-ts start` opens it from genesis.json. */
async function freshChain(tag: string, initialHeight: number): Promise<Fresh> {
  const dir = tempDir(`sekai-export-${tag}-`);
  return serve(await createApp({ dbDir: join(dir, 'application.db'), initialHeight }), dir);
}

async function shut(f: Fresh | undefined): Promise<void> {
  if (!f) return;
  await f.client.close();
  await f.server.close();
  await f.sekai.store.close();
  if (f.dir) rmSync(f.dir, { recursive: true, force: true });
}

/**
 * The app state as genesis right after InitChain, read from the uncommitted working state
 * (a branch that is never written), so no block hook has run yet.
 */
function exportWorkingState(sekai: SekaiApp, chainId: string, height: number): Record<string, unknown> {
  const ctx = new Context({ mode: 'deliver', block: { chainId, height, time: { seconds: 0n, nanos: 0 }, proposer: new Uint8Array() }, stores: sekai.store.cacheMultiStore() });
  return sekai.modules.exportGenesis(ctx);
}

function validatorsJson(vals: readonly NodeValidator[]): unknown[] {
  return vals.map((v) => ({
    address: Buffer.from(v.address).toString('hex').toUpperCase(),
    pub_key: { type: 'tendermint/PubKeyEd25519', value: Buffer.from(v.pubKey).toString('base64') },
    power: v.power.toString(),
    name: '',
  }));
}

describe('genesis export round trip', () => {
  let dev: DevHome;
  let key: PrivValidatorKey;
  let original: SekaiApp;
  let node: RunningNode | undefined;
  let val: DirectSecp256k1HdWallet;
  let bob: DirectSecp256k1HdWallet;
  const seq = { val: 0n, bob: 0n };
  let bobAccountNumber = -1n;
  let H: number;
  let exportedText: string;
  let exportedDoc: Record<string, unknown>;
  let originalAppHashAtH: Uint8Array;
  const fresh: Fresh[] = [];

  /** Signs with the account's next sequence and waits for the tx's block; the tx must succeed. */
  async function deliver(who: 'val' | 'bob', msgs: Msg[]): Promise<void> {
    const tx = await signMsgs(who === 'val' ? val : bob, msgs, { sequence: seq[who], accountNumber: who === 'val' ? 0n : bobAccountNumber, chainId: CHAIN_ID });
    const r = await node!.broadcastTxCommit(tx, 20_000);
    if (r.checkTx.code !== 0) throw new Error(`CheckTx ${msgs.map((m) => m.typeUrl)}: ${r.checkTx.codespace} ${r.checkTx.code} ${r.checkTx.log}`);
    const res = r.inclusion!.result;
    if (res.code !== 0) throw new Error(`${msgs.map((m) => m.typeUrl)}: ${res.codespace} ${res.code} ${res.log}`);
    seq[who]++;
  }

  beforeAll(async () => {
    dev = await createDevHome();
    val = await DirectSecp256k1HdWallet.fromMnemonic(dev.steps.keysVal.mnemonic, { prefix: 'kira' });
    bob = await DirectSecp256k1HdWallet.fromMnemonic(dev.steps.keysBob.mnemonic, { prefix: 'kira' });
    key = parsePrivValidatorKey(readJson(join(dev.home, 'config', 'priv_validator_key.json')));
    const genesis = parseGenesis(readJson(join(dev.home, 'config', 'genesis.json')));
    original = await createApp({ dbDir: join(dev.home, 'data', 'application.db'), initialHeight: Number(genesis.initialHeight) });
    node = await startNode({ home: dev.home, app: original.app, genesis, privValidatorKey: key, blockTime: 50, emptyBlockInterval: 100, batchDelay: 2, logger: silent });
  }, 90_000);

  afterAll(async () => {
    await node?.stop().catch(() => undefined);
    for (const f of fresh) await shut(f);
    await original?.store.close();
    cleanup(dev?.home);
  });

  test('activity in every module on the embedded node, then export at H', async () => {
    const send = (from: string, to: string, amount: string): Msg => ({
      typeUrl: MsgSend.typeUrl,
      value: MsgSend.encode({ fromAddress: from, toAddress: to, amount: [{ denom: 'ukex', amount }] }).finish(),
    });
    await deliver('val', [send(dev.val, dev.bob, '50000000')]);
    const acc = await node!.query(RequestQuery.fromPartial({ path: '/cosmos.auth.v1beta1.Query/Account', data: QueryAccountRequest.encode({ address: dev.bob }).finish() }));
    expect(acc.code).toBe(0);
    bobAccountNumber = BaseAccount.decode(QueryAccountResponse.decode(acc.value).account!.value).accountNumber;
    await deliver('bob', [send(dev.bob, dev.val, '1234')]);
    // x/accountid: names for both accounts.
    await deliver('bob', [{ typeUrl: '/sekai.accountid.v1.MsgRegisterName', value: MsgRegisterName.encode({ sender: dev.bob, name: 'bobby' }).finish() }]);
    await deliver('val', [{ typeUrl: '/sekai.accountid.v1.MsgRegisterName', value: MsgRegisterName.encode({ sender: dev.val, name: 'valerie' }).finish() }]);
    // x/gov: a permission for bob, then bob claims a second validator, which then misses blocks.
    await deliver('val', [permissionMsg('whitelist', dev.val, dev.bob, 'CLAIM_VALIDATOR')]);
    const second = generatePrivValidatorKey();
    await deliver('bob', [{ typeUrl: '/sekai.staking.v1.MsgClaimValidator', value: MsgClaimValidator.encode(MsgClaimValidator.fromPartial({ sender: dev.bob, moniker: 'bob-node', pubKey: Buffer.from(second.pubKey), commissionRate: '0.05' })).finish() }]);
    // x/gov: a proposal that stays open (minimum end time 300 s) with one vote.
    await deliver('val', [submitProposalMsg(dev.val, 'More mischance', 'Raise MAX_MISCHANCE', setNetworkPropertyContent('MAX_MISCHANCE', '150'))]);
    await deliver('val', [voteMsg(dev.val, '1', 'yes')]);
    await deliver('val', [send(dev.val, dev.bob, '77')]);
    const start = node!.engine.height();
    while (node!.engine.height() < start + 3) await new Promise((r) => setTimeout(r, 50));
    await node!.stop();
    node = undefined;
    H = original.store.lastCommitId().version;
    originalAppHashAtH = original.store.lastCommitId().hash;

    const state = original.app.exportGenesis(H);
    const lastBlock = (await readLastBlockTime(dev.home, H))!;
    const doc = readJson(join(dev.home, 'config', 'genesis.json')) as Record<string, unknown>;
    exportedDoc = {
      ...doc,
      genesis_time: lastBlock,
      initial_height: String(H + 1),
      validators: validatorsJson(await currentValidators(dev.home, H + 1)),
      app_hash: '',
      app_state: state,
    };
    exportedText = JSON.stringify(exportedDoc, null, 2);

    // Every module with state shows the activity.
    const s = state as Record<string, any>;
    expect(Object.keys(s).sort()).toEqual(['accountid', 'bank', 'bridge', 'customgov', 'customslashing', 'customstaking', 'notarypay']);
    const text = JSON.stringify(s);
    expect(text).toContain('bobby');
    expect(text).toContain('valerie');
    expect(s.customstaking.validators).toHaveLength(2);
    expect(s.customgov.proposals).toHaveLength(1);
    expect(s.customgov.votes).toHaveLength(1);
    expect(JSON.stringify(s.bank.balances)).toContain(dev.bob);
  });

  // Filled by the next test, used by the ones after.
  let B: Fresh;
  let C: Fresh;
  let driverB: ConsensusDriver;
  /** The tx of block H+1 and each chain's AppHash after it. */
  let blockTx: Uint8Array;
  const results: Record<string, Uint8Array> = {};
  let genesisB: GenesisDoc;
  let initHashB: Uint8Array;
  let initHashC: Uint8Array;

  test('(a) a fresh chain from the export exports the same app_state, byte for byte', async () => {
    genesisB = parseGenesis(JSON.parse(exportedText));
    expect(genesisB.initialHeight).toBe(BigInt(H + 1));
    B = await freshChain('b', H + 1);
    fresh.push(B);
    driverB = new ConsensusDriver(B.client, genesisB, signer(B.dir, key));
    const init = await driverB.initChain();
    initHashB = init.appHash;
    const reexported = exportWorkingState(B.sekai, CHAIN_ID, H + 1);
    expect(JSON.stringify(reexported, null, 2)).toBe(JSON.stringify(exportedDoc.app_state, null, 2));
    // And the re-exported document, with the same genesis_time and initial_height, is the same file.
    expect(JSON.stringify({ ...exportedDoc, app_state: reexported }, null, 2)).toBe(exportedText);
  });

  test('(b) two fresh chains from the same export compute the same AppHash', async () => {
    C = await freshChain('c', H + 1);
    fresh.push(C);
    const driverC = new ConsensusDriver(C.client, genesisB, signer(C.dir, key));
    initHashC = (await driverC.initChain()).appHash;
    expect(hex(initHashC)).toBe(hex(initHashB));
  });

  test('(a, b) the original and both fresh chains run the same block H+1: same exports, fresh AppHashes equal', async () => {
    // B proposes; the same decided block is then finalized by the original chain at H+1 and
    // by both fresh chains, as CometBFT would hand it to every node.
    // A transfer signed for the new chain: valid only if account numbers and sequences survived.
    const tx = await signMsgs(
      val,
      [{ typeUrl: MsgSend.typeUrl, value: MsgSend.encode({ fromAddress: dev.val, toAddress: dev.bob, amount: [{ denom: 'ukex', amount: '5' }] }).finish() }],
      { sequence: seq.val, accountNumber: 0n, chainId: CHAIN_ID },
    );
    const p = await driverB.propose([tx]);
    expect(p.block.data.txs).toHaveLength(1);
    blockTx = tx;
    const exports: Record<string, string> = {};
    const originalServer = await serve(original, '');
    try {
      for (const [name, client, sekai] of [
        ['original', originalServer.client, original],
        ['B', B.client, B.sekai],
        ['C', C.client, C.sekai],
      ] as const) {
        driverB.consensus = client;
        const res = await driverB.finalize(p);
        expect(res.txResults.map((r) => `${r.codespace}${r.code} ${r.log}`)).toEqual(['0 ']);
        await client.commit();
        results[name] = res.appHash;
        exports[name] = JSON.stringify(sekai.app.exportGenesis(H + 1), null, 2);
      }
    } finally {
      await originalServer.client.close();
      await originalServer.server.close();
    }
    expect(exports.B).toBe(exports.original);
    expect(exports.C).toBe(exports.original);
    expect(hex(results.C)).toBe(hex(results.B));
    // (c) Same contents, different IAVL node versions: the original's root differs.
    expect(hex(results.B)).not.toBe(hex(results.original));
  });

  test('(b) the exported genesis.json in a new home under the sekaid-ts process gives the same AppHashes', async () => {
    const home = tempDir('sekai-export-home-');
    let proc: NodeProcess | undefined;
    let client: AbciClient | undefined;
    try {
      await ok(['init', 'fresh', '--chain-id', CHAIN_ID, '--home', home, '--output', 'json']);
      writeFileSync(join(home, 'config', 'genesis.json'), exportedText);
      const address = `tcp://127.0.0.1:${await freePort()}`;
      proc = await spawnCli(['start', '--with-comet=false', '--address', address, '--home', home, '--log_level', 'warn'], /ABCI listening at /);
      client = new AbciClient();
      await client.connect(address);
      expect((await client.info(COMETBFT_INFO)).lastBlockHeight).toBe(0n);
      const driver = new ConsensusDriver(client, parseGenesis(JSON.parse(readFileSync(join(home, 'config', 'genesis.json'), 'utf8'))), signer(home, key));
      expect(hex((await driver.initChain()).appHash)).toBe(hex(initHashB));
      const res = await driver.runHeight([blockTx]);
      expect(res.txResults.map((r) => r.code)).toEqual([0]);
      expect(hex(res.appHash)).toBe(hex(results.B));
      const info = await client.info(COMETBFT_INFO);
      expect(info.lastBlockHeight).toBe(BigInt(H + 1));
    } finally {
      await client?.close();
      await proc?.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('(c) the fresh chain\'s genesis AppHash is not the original\'s AppHash at H (IAVL hashes include node versions)', () => {
    expect(initHashB).toHaveLength(32);
    expect(hex(initHashB)).not.toBe(hex(originalAppHashAtH));
  });
});

/** A sign state of its own per driver, so two drivers never share a double-sign guard. */
function signer(dir: string, key: PrivValidatorKey): PrivValidator {
  mkdirSync(dir, { recursive: true });
  return PrivValidator.load(key, join(dir, 'driver_sign_state.json'));
}

/** The time of block `height` from the embedded node's block store, as genesis_time. */
async function readLastBlockTime(home: string, height: number): Promise<string | undefined> {
  const store = await BlockStore.open(join(home, 'data', 'blockstore.db'));
  try {
    const b = await store.block(height);
    return b ? formatRfc3339(b.block.header.time) : undefined;
  } finally {
    await store.close();
  }
}

/** The validator set CometBFT would use at `height`, from the block store. */
async function currentValidators(home: string, height: number): Promise<NodeValidator[]> {
  const store = await BlockStore.open(join(home, 'data', 'blockstore.db'));
  try {
    const v = await store.validators(height);
    if (!v) throw new Error(`no validator set stored for height ${height}`);
    return v;
  } finally {
    await store.close();
  }
}
