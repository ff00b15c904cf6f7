import * as fs from 'node:fs';
import * as path from 'node:path';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { SignedMsgType } from 'cosmjs-types/tendermint/types/types';
import { Engine, GO_ZERO_TIME } from '../../node/engine/engine';
import { blockId, commitHash, dataHash, resultsHash, validatorAddress, validatorSetHash } from '../../node/consensus/hashes';
import { verifyEd25519, voteSignBytes } from '../../node/consensus/signing';
import { startNode } from '../../node/node';
import { sha256 } from '../../crypto/hash';
import { KvApp, stateHash } from './kvApp';
import { genesisFor, newKey, silent, tmpHome, waitHeight } from './helpers';

const tx = (s: string) => new Uint8Array(Buffer.from(s));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('embedded engine', () => {
  const homes: string[] = [];
  const home = (tag: string) => {
    const h = tmpHome(tag);
    homes.push(h);
    return h;
  };
  afterAll(() => homes.forEach((h) => fs.rmSync(h, { recursive: true, force: true })));

  it('runs the handshake and the per-height ABCI sequence, producing CometBFT-consistent blocks', async () => {
    const dir = home('seq');
    const me = newKey();
    const other = newKey();
    const genesis = genesisFor([me, other]);
    const app = await KvApp.open(path.join(dir, 'app'));
    const engine = await Engine.start({ home: dir, app, genesis, privValidatorKey: me, logger: silent, emptyBlockInterval: 60000, batchDelay: 5 });
    try {
      expect(engine.height()).toBe(1);
      expect(app.calls.slice(0, 6)).toEqual(['info', 'initChain', 'prepare:1', 'process:1', 'finalize:1', 'commit']);
      const b1 = (await engine.store.block(1))!;
      // Height 1 carries the genesis time and the InitChain app hash.
      expect(b1.block.header.time).toEqual(genesis.genesisTime);
      expect(hex(b1.block.header.appHash)).toBe(hex(stateHash(new Map([['seed', 'yes']]))));
      expect(hex(b1.block.header.lastResultsHash)).toBe('E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855');

      await engine.mempool.add(tx('a=1'));
      await engine.mempool.add(tx('b=2'));
      await waitHeight(engine, 2);
      await engine.mempool.add(tx('c=3'));
      await waitHeight(engine, 3);
      expect(app.calls.filter((c) => c.startsWith('prepare') || c.startsWith('process') || c.startsWith('finalize') || c === 'commit').slice(4, 12)).toEqual([
        'prepare:2', 'process:2', 'finalize:2', 'commit', 'prepare:3', 'process:3', 'finalize:3', 'commit',
      ]);

      const vals = (await engine.store.validators(2))!;
      expect(vals.map((v) => hex(v.pubKey))).toEqual([hex(me.pubKey), hex(other.pubKey)]); // power 10 before 9
      for (const h of [1, 2, 3]) {
        const s = (await engine.store.block(h))!;
        const r = (await engine.store.results(h))!;
        const hdr = s.block.header;
        // The stored block ID is recomputable from the block; the next header links to it.
        expect(hex(blockId(s.block).blockId.hash)).toBe(hex(s.blockId.hash));
        expect(hex(hdr.dataHash)).toBe(hex(dataHash(s.block.data.txs)));
        expect(hex(hdr.validatorsHash)).toBe(hex(validatorSetHash((await engine.store.validators(h))!)));
        // Powers 10 and 9 rotate the proposer: me, other, me (priorities worked by hand below).
        expect(hex(hdr.proposerAddress)).toBe(hex(validatorAddress((h === 2 ? other : me).pubKey)));
        if (h < 3) {
          const nextHdr = (await engine.store.block(h + 1))!.block.header;
          expect(hex(nextHdr.lastBlockId.hash)).toBe(hex(s.blockId.hash));
          expect(hex(nextHdr.appHash)).toBe(hex(r.appHash));
          expect(hex(nextHdr.lastResultsHash)).toBe(hex(resultsHash(r.txResults)));
          expect(hex(nextHdr.lastCommitHash)).toBe(hex(commitHash(s.seenCommit)));
          expect(timeAfter(nextHdr.time, hdr.time)).toBe(true);
        }
        // Our signature verifies over the canonical vote; the other validator is absent.
        const [mine, theirs] = s.seenCommit.signatures;
        expect(mine.blockIdFlag).toBe(BlockIDFlag.BLOCK_ID_FLAG_COMMIT);
        const signBytes = voteSignBytes('kv-test-1', { type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT, height: BigInt(h), round: 0, blockId: s.blockId, timestamp: mine.timestamp });
        expect(verifyEd25519(me.pubKey, signBytes, mine.signature)).toBe(true);
        expect(verifyEd25519(other.pubKey, signBytes, mine.signature)).toBe(false);
        expect(theirs).toEqual({ blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT, validatorAddress: new Uint8Array(), timestamp: GO_ZERO_TIME, signature: new Uint8Array() });
      }
      // Height 1: round (10, 9) -> me elected, 10 - 19; height 2: (1, 18) -> other, 18 - 19;
      // height 3: (11, 8) -> me, 11 - 19.
      const prios = async (h: number) => (await engine.store.validators(h))!.map((v) => v.proposerPriority);
      expect([await prios(1), await prios(2), await prios(3)]).toEqual([[-9n, 9n], [1n, -1n], [-8n, 8n]]);
      // decided_last_commit lists every validator of the previous height with its flag.
      const info3 = app.commitInfos.get(3n)!;
      expect(info3.votes.map((v) => [hex(v.validator.address), v.validator.power, v.blockIdFlag])).toEqual([
        [hex(validatorAddress(me.pubKey)), 10n, BlockIDFlag.BLOCK_ID_FLAG_COMMIT],
        [hex(validatorAddress(other.pubKey)), 9n, BlockIDFlag.BLOCK_ID_FLAG_ABSENT],
      ]);
      expect(app.commitInfos.get(1n)!.votes).toEqual([]);

      // Indexes: tx hash, events, paging, order.
      expect(await engine.store.txByHash(sha256(tx('c=3')))).toEqual({ height: 3, index: 0 });
      expect((await engine.store.txSearch("kv.key='a'")).txs).toEqual([{ height: 2, index: 0 }]);
      const all = await engine.store.txSearch('tx.height>=2', { perPage: 2, orderBy: 'desc' });
      expect(all.total).toBe(3);
      expect(all.txs).toEqual([{ height: 3, index: 0 }, { height: 2, index: 1 }]);
      expect((await engine.store.txSearch('tx.height>=2', { page: 2, perPage: 2 })).txs).toEqual([{ height: 3, index: 0 }]);
      expect((await engine.store.txSearch("kv.value='1'")).total).toBe(0); // value is not indexed
      expect((await engine.store.txSearch('kv.size>3 AND tx.height<3')).total).toBe(0);
      expect((await engine.store.blockSearch('kvblock.txs>=1')).heights).toEqual([2, 3]);
      await expect(engine.store.txSearch('tx.height>=2', { page: 3, perPage: 2 })).rejects.toThrow(/page should be within \[1, 2\] range, given 3/);
    } finally {
      await engine.stop();
      await app.close();
    }
  });

  it('keeps its empty-block pace while the mempool holds only txs no proposal includes', async () => {
    const dir = home('pace');
    const me = newKey();
    const app = await KvApp.open(path.join(dir, 'app'));
    const interval = 300;
    const engine = await Engine.start({ home: dir, app, genesis: genesisFor([me]), privValidatorKey: me, logger: silent, emptyBlockInterval: interval, batchDelay: 1 });
    try {
      await engine.mempool.add(tx('skip/a=1'));
      // The tx arrives, a block is cut 1 ms later and leaves it out; from then on it stays in
      // the mempool and blocks come at the empty-block pace, not every batch delay.
      const from = engine.height() + 1;
      await waitHeight(engine, from + 4, 60_000);
      expect(engine.mempool.size()).toBe(1);
      const ms = async (h: number) => {
        const t = (await engine.store.block(h))!.block.header.time!;
        return Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
      };
      for (let h = from + 1; h <= from + 4; h++) expect((await ms(h)) - (await ms(h - 1))).toBeGreaterThanOrEqual(interval - 5);
      // A new includable tx is still included; the left-out one rides along, still held.
      const before = engine.height();
      await engine.mempool.add(tx('b=2'));
      await waitHeight(engine, before + 2, 60_000);
      expect(await engine.store.txByHash(sha256(tx('b=2')))).toBeDefined();
      expect(engine.mempool.size()).toBe(1);
    } finally {
      await engine.stop();
      await app.close();
    }
  });

  it('applies validator updates two heights later and keeps listing absent validators', async () => {
    const dir = home('vals');
    const me = newKey();
    const joiner = newKey();
    const app = await KvApp.open(path.join(dir, 'app'));
    const engine = await Engine.start({ home: dir, app, genesis: genesisFor([me]), privValidatorKey: me, logger: silent, emptyBlockInterval: 30, batchDelay: 1 });
    try {
      await engine.mempool.add(tx(`val:${Buffer.from(joiner.pubKey).toString('hex')}=50`));
      await waitHeight(engine, 2);
      const h = (await engine.store.txByHash(sha256(tx(`val:${Buffer.from(joiner.pubKey).toString('hex')}=50`))))!.height;
      await waitHeight(engine, h + 4);
      expect((await engine.store.validators(h + 1))!).toHaveLength(1);
      const later = (await engine.store.validators(h + 2))!;
      expect(later.map((v) => [hex(v.pubKey), v.power])).toEqual([[hex(joiner.pubKey), 50n], [hex(me.pubKey), 10n]]);
      // The joiner starts at -(60 + 60>>3) = -67 against our 0; centring on floor(-67/2) = -34
      // gives (-33, 34); the round: (17, 44) elects us, 44 - 60 = -16.
      expect(later.map((v) => v.proposerPriority)).toEqual([17n, -16n]);
      expect(hex((await engine.store.block(h + 2))!.block.header.proposerAddress)).toBe(hex(validatorAddress(me.pubKey)));
      const hdr = (await engine.store.block(h + 1))!.block.header;
      expect(hex(hdr.nextValidatorsHash)).toBe(hex(validatorSetHash(later)));
      // At h+3 the last commit (for h+2) has two entries: the joiner absent, us signing.
      const votes = app.commitInfos.get(BigInt(h + 3))!.votes;
      expect(votes.map((v) => [v.validator.power, v.blockIdFlag])).toEqual([[50n, BlockIDFlag.BLOCK_ID_FLAG_ABSENT], [10n, BlockIDFlag.BLOCK_ID_FLAG_COMMIT]]);
    } finally {
      await engine.stop();
      await app.close();
    }
  });

  it('resumes after a restart and replays blocks an app has lost, checking its app hash', async () => {
    const dir = home('replay');
    const me = newKey();
    const genesis = genesisFor([me]);
    let app = await KvApp.open(path.join(dir, 'app'));
    let engine = await Engine.start({ home: dir, app, genesis, privValidatorKey: me, logger: silent, emptyBlockInterval: 20, batchDelay: 1 });
    await engine.mempool.add(tx('x=1'));
    await waitHeight(engine, 5);
    await engine.stop();
    const top = engine.height();
    const hash = hex(app.appHash);
    await app.close();

    // Same app state: continues without InitChain or replay.
    app = await KvApp.open(path.join(dir, 'app'));
    engine = await Engine.start({ home: dir, app, genesis, privValidatorKey: me, logger: silent, emptyBlockInterval: 20, batchDelay: 1 });
    await waitHeight(engine, top + 2);
    expect(app.calls.slice(0, 2)).toEqual(['info', 'prepare:' + (top + 1)]);
    await engine.stop();
    const top2 = engine.height();
    await app.close();

    // Fresh app: InitChain, then every stored block replayed, then new blocks.
    const fresh = await KvApp.open(path.join(dir, 'app2'));
    engine = await Engine.start({ home: dir, app: fresh, genesis, privValidatorKey: me, logger: silent, emptyBlockInterval: 20, batchDelay: 1 });
    expect(fresh.calls.slice(0, 3)).toEqual(['info', 'initChain', 'finalize:1']);
    expect(fresh.calls.filter((c) => c === 'commit').length).toBeGreaterThanOrEqual(top2);
    expect(fresh.state.get('x')).toBe('1');
    expect(hex((await engine.store.results(top))!.appHash)).toBe(hash);
    await waitHeight(engine, top2 + 1);
    await engine.stop();
    await fresh.close();
  });

  it('stops loudly when a replayed block yields a different app hash', async () => {
    const dir = home('mismatch');
    const me = newKey();
    const genesis = genesisFor([me]);
    const app = await KvApp.open(path.join(dir, 'app'));
    const engine = await Engine.start({ home: dir, app, genesis, privValidatorKey: me, logger: silent, emptyBlockInterval: 20, batchDelay: 1 });
    await engine.mempool.add(tx('x=1'));
    await waitHeight(engine, 3);
    await engine.stop();
    await app.close();
    const evil = await KvApp.open(path.join(dir, 'evil'));
    const orig = evil.finalizeBlock.bind(evil);
    evil.finalizeBlock = (req) => {
      const res = orig(req);
      return { ...res, appHash: new Uint8Array(32).fill(9) };
    };
    await expect(Engine.start({ home: dir, app: evil, genesis, privValidatorKey: me, logger: silent })).rejects.toThrow(/replaying height 1: app computed 0909.*app hash mismatch/);
    await evil.close();
  });

  it('refuses an app ahead of the block store', async () => {
    const dir = home('ahead');
    const me = newKey();
    const app = await KvApp.open(path.join(dir, 'app'));
    app.height = 3n;
    await expect(Engine.start({ home: dir, app, genesis: genesisFor([me]), privValidatorKey: me, logger: silent })).rejects.toThrow(
      /app is at height 3, block store at 0: app block height is higher than the block store/,
    );
    await app.close();
  });

  it('stops block production when ProcessProposal rejects our own block', async () => {
    const dir = home('reject');
    const me = newKey();
    const app = await KvApp.open(path.join(dir, 'app'));
    const engine = await Engine.start({ home: dir, app, genesis: genesisFor([me]), privValidatorKey: me, logger: silent, emptyBlockInterval: 10 });
    app.rejectProposals = true;
    const fatal = new Promise<Error>((resolve) => engine.events.once('fatal', resolve));
    expect((await fatal).message).toMatch(/ProcessProposal rejected our own proposal/);
    const h = engine.height();
    await new Promise((r) => setTimeout(r, 50));
    expect(engine.height()).toBe(h);
    await engine.stop();
    await app.close();
  });

  it('keeps each proposal within consensus_params.block.max_gas, by the gas_wanted CheckTx gave', async () => {
    const dir = home('maxgas');
    const me = newKey();
    const app = await KvApp.open(path.join(dir, 'app'));
    // The key/value app wants 1 gas per tx: at most 2 txs a block.
    const genesis = genesisFor([me], { consensus_params: { block: { max_bytes: '22020096', max_gas: '2' } } });
    const engine = await Engine.start({ home: dir, app, genesis, privValidatorKey: me, logger: silent, emptyBlockInterval: 60000, batchDelay: 100 });
    try {
      const start = engine.height();
      for (const t of ['a=1', 'b=2', 'c=3', 'd=4', 'e=5']) expect((await engine.mempool.add(tx(t))).code).toBe(0);
      const deadline = Date.now() + 20_000;
      const committed: string[] = [];
      let h = start;
      while (committed.length < 5) {
        if (Date.now() > deadline) throw new Error(`only ${committed.length} of 5 txs committed by height ${h}`);
        await waitHeight(engine, h + 1, 20_000);
        h++;
        const txs = (await engine.store.block(h))!.block.data.txs;
        expect(txs.length).toBeLessThanOrEqual(2);
        committed.push(...txs.map((t) => Buffer.from(t).toString()));
      }
      expect(committed).toEqual(['a=1', 'b=2', 'c=3', 'd=4', 'e=5']);
      expect(h - start).toBeGreaterThanOrEqual(3);
    } finally {
      await engine.stop();
      await app.close();
    }
  });

  it('serves a NodeHandle with broadcast_tx_commit and events', async () => {
    const dir = home('node');
    const me = newKey();
    const app = await KvApp.open(path.join(dir, 'app'));
    const node = await startNode({ home: dir, app, genesis: genesisFor([me]), privValidatorKey: me, logger: silent, emptyBlockInterval: 60000, batchDelay: 2 });
    try {
      const txEvents: number[] = [];
      node.events.on('tx', (e) => txEvents.push(e.height));
      const res = await node.broadcastTxCommit(tx('k=v'), 5000);
      expect(res.checkTx.code).toBe(0);
      expect(res.inclusion!.result.code).toBe(0);
      expect(txEvents).toEqual([res.inclusion!.height]);
      const bad = await node.broadcastTxCommit(tx('nope'), 5000);
      expect(bad.checkTx.code).toBe(2);
      expect(bad.inclusion).toBeUndefined();
      expect(node.validatorInfo()!.power).toBe(10n);
      expect((await node.appInfo()).lastBlockHeight).toBe(BigInt(node.blocks.height()));
      expect(Buffer.from((await node.query({ data: Buffer.from('k'), path: '/key', height: 0n, prove: false })).value).toString()).toBe('v');
      expect(node.nodeId).toMatch(/^[0-9a-f]{40}$/);
    } finally {
      await node.stop();
      await app.close();
    }
  });
});

function timeAfter(a: { seconds: bigint; nanos: number }, b: { seconds: bigint; nanos: number }): boolean {
  return a.seconds > b.seconds || (a.seconds === b.seconds && a.nanos > b.nanos);
}
