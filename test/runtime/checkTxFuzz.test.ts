/**
 * 100 000 random and mutated tx byte strings through CheckTx: no exception escapes, every
 * answer is a registered (codespace, code) with a log, nothing reaches the state, and a
 * block of fuzzed txs leaves the AppHash unchanged.
 */
import { rmSync } from 'node:fs';
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { registeredErrors } from '../../types/errors';
import { CHAIN_ID, genesisFor, openTestApp, rawKey, rawSend, tempDir, time, type TestApp } from '../fixtures/runtimeApp';

/** xorshift32: a fixed seed makes any failure reproducible. */
function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

test('CheckTx survives 100k random and mutated txs without changing state', async () => {
  const dir = tempDir('fuzz');
  let t: TestApp | undefined;
  try {
    const alice = rawKey(1);
    const bob = rawKey(2);
    t = await openTestApp(dir);
    t.app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: genesisFor([alice.address, bob.address]), initialHeight: 1n });
    t.app.finalizeBlock({ txs: [], decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: 1n, time: time(2), nextValidatorsHash: new Uint8Array(32), proposerAddress: new Uint8Array(20) });
    await t.app.commit();

    const seeds = [
      rawSend(alice, { from: alice.address, to: bob.address, sequence: 0n, accountNumber: 0n }),
      rawSend(bob, { from: bob.address, to: alice.address, sequence: 0n, accountNumber: 1n, memo: 'hello', amount: '12345' }),
      rawSend(alice, { from: alice.address, to: bob.address, sequence: 0n, accountNumber: 0n, more: [{ from: alice.address, to: bob.address, amount: '2' }] }),
    ];
    const seedHex = new Set(seeds.map((x) => Buffer.from(x).toString('hex')));
    const known = new Set(registeredErrors().map((e) => `${e.codespace}/${e.code}`));
    const rnd = prng(0x5eca1);
    const codes = new Map<string, number>();
    const sample: Uint8Array[] = [];
    const started = process.hrtime.bigint();
    for (let i = 0; i < 100_000; i++) {
      let tx: Uint8Array;
      const kind = rnd(8);
      const base = seeds[rnd(seeds.length)];
      if (kind === 0) {
        tx = new Uint8Array(rnd(400));
        for (let j = 0; j < tx.length; j++) tx[j] = rnd(256);
      } else if (kind <= 3) {
        tx = Uint8Array.from(base);
        for (let f = 1 + rnd(4); f > 0; f--) tx[rnd(tx.length)] ^= 1 << rnd(8);
      } else if (kind === 4) {
        tx = base.slice(0, rnd(base.length));
      } else if (kind === 5) {
        const at = rnd(base.length);
        tx = Uint8Array.from([...base.slice(0, at), rnd(256), ...base.slice(at)]);
      } else if (kind === 6) {
        tx = Uint8Array.from(base);
        tx[rnd(tx.length)] = [0x00, 0x7f, 0x80, 0xff][rnd(4)];
      } else {
        const other = seeds[rnd(seeds.length)];
        tx = Uint8Array.from([...base.slice(0, rnd(base.length)), ...other.slice(rnd(other.length))]);
      }
      const hexTx = Buffer.from(tx).toString('hex');
      if (seedHex.has(hexTx)) continue; // a mutation that gave back a seed is not a fuzz case
      // RECHECK trusts the signature checked at admission (CometBFT only rechecks admitted
      // bytes), so mutated signed txs go through NEW; pure noise goes through both.
      const type = kind === 0 && rnd(2) === 0 ? CheckTxType.RECHECK : CheckTxType.NEW;
      const res = t.app.checkTx({ tx, type });
      const id = `${res.codespace}/${res.code}`;
      codes.set(id, (codes.get(id) ?? 0) + 1);
      if (res.code === 0) {
        // A mutation that is still a valid tx would advance the check state; none may exist.
        throw new Error(`fuzzed tx ${hexTx} was accepted`);
      }
      // Plain checks: 100k jest matchers would cost more than the CheckTx calls.
      if (!known.has(id) || res.log.length === 0) throw new Error(`answer ${id} (${JSON.stringify(res.log)}) is not a registered error with a log`);
      if (i % 100 === 0) sample.push(tx);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // No internal errors: every malformed input got a registered code.
    expect(codes.has('undefined/1')).toBe(false);
    // The untouched seed still checks at sequence 0: no fuzzed tx moved a sequence.
    expect(t.app.checkTx({ tx: seeds[0], type: CheckTxType.NEW }).code).toBe(0);
    // A block of fuzzed txs: one result each, all refused, AppHash unchanged.
    const committed = Buffer.from(t.store.lastCommitId().hash).toString('hex');
    const res = t.app.finalizeBlock({ txs: sample, decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: 2n, time: time(3), nextValidatorsHash: new Uint8Array(32), proposerAddress: new Uint8Array(20) });
    expect(res.txResults.length).toBe(sample.length);
    expect(res.txResults.every((r) => r.code !== 0)).toBe(true);
    expect(Buffer.from(res.appHash).toString('hex')).toBe(committed);
    expect(seconds).toBeGreaterThan(0);
    console.log(`fuzz: ${[...codes.values()].reduce((x, y) => x + y, 0)} txs in ${seconds.toFixed(1)} s; codes ${JSON.stringify([...codes].sort())}`);
  } finally {
    await t?.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);
