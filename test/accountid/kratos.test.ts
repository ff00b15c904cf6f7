/**
 * The Kratos test. KuChain's Kratos chain forked because a node-local cache returned one
 * of two byte encodings of the same AccountID, so nodes with different cache histories
 * wrote different bytes. Here three instances of the real app (IAVL on LevelDB) execute
 * the same 1 000 blocks of random account operations:
 *   A — one long-running process;
 *   B — closed and reopened from disk every 7 blocks (empty caches, fresh process state);
 *   C — replays every block from genesis at the end.
 * AppHashes and every tx result code must be equal at every height. After every block,
 * A's invariants hold (supply = Σ balances, every index points at its account) and no
 * AccountID is ever handed to a second address.
 */
import { rmSync } from 'node:fs';
import { MsgMultiSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { QueryAccountRequest, QueryAccountResponse } from '../../proto/gen/sekai/accountid/v1/query';
import type { AccountView } from '../../proto/gen/sekai/accountid/v1/account';
import { ethAddressOf, linkWalletText, personalSignDigest } from '../../x/accountid';
import { Chain, CHAIN_ID, genesisState, key, msg, openApp, signTx, tempDir, type Key } from './helpers';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nativeSecp = require('secp256k1') as {
  ecdsaSign(m: Uint8Array, k: Uint8Array): { signature: Uint8Array; recid: number };
  publicKeyCreate(k: Uint8Array, c: boolean): Uint8Array;
};

const BLOCKS = Number(process.env.KRATOS_BLOCKS ?? 1000);
const RESTART_EVERY = 7;

/** xorshift32: a seeded generator, so a failure can be replayed exactly. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return {
    int: (n: number) => next() % n,
    pick: <T>(list: readonly T[]): T => list[next() % list.length],
    chance: (p: number) => next() % 1000 < p * 1000,
  };
}

const NAMES = ['alice', 'bob.team', 'carol_1', 'x@y', 'dave.dao', 'eve', 'Bad', 'ab', 'mint@sys', 'frank@kira', 'grace.v2'];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test(`${BLOCKS} blocks of random account operations: equal AppHashes long-running, restarted every ${RESTART_EVERY} blocks, and replayed`, async () => {
  const r = rng(Number(process.env.KRATOS_SEED ?? 20201016));
  const dirA = tempDir('kratos-a');
  const dirB = tempDir('kratos-b');
  const dirC = tempDir('kratos-c');
  const genesisKeys = Array.from({ length: 6 }, (_, i) => key(`kratos-genesis-${i}`));
  const appState = genesisState(genesisKeys.map((k) => k.address), 10_000_000_000n);

  const A = new Chain(await openApp(dirA));
  let B = new Chain(await openApp(dirB));
  const hashes: string[] = [];
  const blocks: Uint8Array[][] = [];
  const codes: string[] = [];
  expect(hex(A.initChain(appState))).toBe(hex(B.initChain(appState)));

  // Every private key ever made, by address; users are identified by any of their keys.
  const keys = new Map<string, Key>();
  const known: Key[] = [...genesisKeys];
  for (const k of genesisKeys) keys.set(k.address, k);
  let fresh = 0;
  const newKey = () => {
    const k = key(`kratos-${fresh++}`);
    keys.set(k.address, k);
    return k;
  };
  const ethKeys = Array.from({ length: 4 }, (_, i) => Buffer.from((i + 1).toString(16).padStart(64, '0'), 'hex'));
  const wallets = ethKeys.map((p) => `eth:${ethAddressOf(nativeSecp.publicKeyCreate(p, false))}`);
  /** AccountID → the home address it was first given (must never change). */
  const idOwner = new Map<bigint, string>();

  const lookup = (ref: string): AccountView | undefined => {
    const res = A.query('/sekai.accountid.v1.Query/Account', QueryAccountRequest.encode({ ref }).finish());
    return res.code === 0 ? QueryAccountResponse.decode(res.value).account : undefined;
  };

  for (let h = 1; h <= BLOCKS; h++) {
    const txs: Uint8Array[] = [];
    const pendingSeq = new Map<bigint, bigint>();
    const n = r.int(4);
    for (let t = 0; t < n; t++) {
      const user = r.pick(known);
      const acc = lookup(user.address);
      if (!acc) continue;
      // Sign with one of the account's keys we hold (sometimes a stale one, which must fail).
      const current = acc.keyAddresses.map((a) => keys.get(a)).filter((k): k is Key => k !== undefined);
      const signer = current.length === 0 || r.chance(0.03) ? user : r.pick(current);
      const sender = signer.address;
      const seq = pendingSeq.get(acc.id) ?? acc.sequence;
      const other = lookup(r.pick(known).address);
      const toRef = (): string => {
        const v = r.int(5);
        if (v === 0 && other) return other.id.toString();
        if (v === 1 && other?.name) return other.name;
        if (v === 2) {
          const k = newKey();
          known.push(k);
          return k.address;
        }
        if (v === 3) return r.pick(NAMES);
        return r.pick(known).address;
      };
      let msgs: Any[];
      switch (r.int(10)) {
        case 0:
          msgs = [msg.registerName(sender, r.pick(NAMES))];
          break;
        case 1: {
          const k = r.chance(0.8) ? newKey() : r.pick(known);
          const proofFor = r.chance(0.9) ? acc.id : acc.id + 1n;
          msgs = [msg.addKey(sender, proofFor, k)];
          if (!known.includes(k)) known.push(k);
          break;
        }
        case 2: {
          const pk = acc.pubKeys.length > 0 && r.chance(0.9) ? r.pick(acc.pubKeys) : r.pick(known).pub;
          msgs = [msg.removeKey(sender, pk)];
          break;
        }
        case 3: {
          const i = r.int(wallets.length);
          const proofId = r.chance(0.9) ? acc.id : acc.id + 2n;
          const { signature, recid } = nativeSecp.ecdsaSign(personalSignDigest(linkWalletText(CHAIN_ID, proofId, wallets[i])), ethKeys[i]);
          msgs = [msg.linkWallet(sender, wallets[i], Buffer.concat([signature, Buffer.from([27 + recid])]))];
          break;
        }
        case 4:
          msgs = [msg.unlinkWallet(sender, acc.wallets.length > 0 && r.chance(0.8) ? r.pick(acc.wallets) : r.pick(wallets))];
          break;
        case 5:
          msgs = [msg.transferName(sender, toRef())];
          break;
        case 6:
          msgs = [
            {
              typeUrl: MsgMultiSend.typeUrl,
              value: MsgMultiSend.encode({
                inputs: [{ address: sender, coins: [{ denom: 'ukex', amount: '300' }] }],
                outputs: [
                  { address: toRef(), coins: [{ denom: 'ukex', amount: '100' }] },
                  { address: toRef(), coins: [{ denom: 'ukex', amount: '200' }] },
                ],
              }).finish(),
            },
          ];
          break;
        default: {
          const amount = r.chance(0.05) ? '99999999999999' : r.chance(0.05) ? '0' : String(1 + r.int(5_000_000));
          msgs = [msg.send(sender, toRef(), amount)];
          if (r.chance(0.1)) msgs.push(msg.send(sender, toRef(), String(1 + r.int(1000))));
        }
      }
      const wrongSeq = r.chance(0.03);
      txs.push(signTx(signer, msgs, { accountNumber: acc.id, sequence: wrongSeq ? seq + 5n : seq }));
      if (!wrongSeq) pendingSeq.set(acc.id, seq + 1n);
    }

    const a = await A.block(txs);
    const b = await B.block(txs);
    const ha = hex(a.appHash);
    expect({ h, hash: hex(b.appHash) }).toEqual({ h, hash: ha });
    const ca = a.results.map((x) => `${x.codespace}/${x.code}`).join(',');
    expect(b.results.map((x) => `${x.codespace}/${x.code}`).join(',')).toBe(ca);
    hashes.push(ha);
    blocks.push(txs);
    codes.push(ca);

    // Properties on A after every block.
    expect(A.invariants()).toEqual([]);
    const ctx = A.readContext();
    const k = A.s.keepers.accountid;
    const next = k.nextId(ctx);
    for (let id = 0n; id < next; id++) {
      const rec = k.get(ctx, id);
      if (!rec) continue;
      const home = hex(rec.address);
      const before = idOwner.get(id);
      if (before === undefined) idOwner.set(id, home);
      else expect({ id, home }).toEqual({ id, home: before });
    }
    for (const id of idOwner.keys()) expect(id < next).toBe(true);

    if (h % RESTART_EVERY === 0) {
      await B.s.store.close();
      const height = B.height;
      B = new Chain(await openApp(dirB));
      B.height = height;
      expect(hex(B.s.store.lastCommitId().hash)).toBe(ha);
    }
  }

  // Replay from genesis on a third instance.
  const C = new Chain(await openApp(dirC));
  C.initChain(appState);
  for (let i = 0; i < blocks.length; i++) {
    const c = await C.block(blocks[i]);
    expect({ h: i + 1, hash: hex(c.appHash) }).toEqual({ h: i + 1, hash: hashes[i] });
    expect(c.results.map((x) => `${x.codespace}/${x.code}`).join(',')).toBe(codes[i]);
  }

  // The run exercised successes and failures of many kinds.
  const all = codes.join(',').split(',').filter((c) => c !== '');
  const kinds = new Set(all);
  expect(all.filter((c) => c === '/0').length).toBeGreaterThan(BLOCKS / 4);
  expect(kinds.size).toBeGreaterThan(8);
  expect(idOwner.size).toBeGreaterThan(genesisKeys.length + 3 + BLOCKS / 20);
  if (process.env.KRATOS_VERBOSE) console.log(`accounts ${idOwner.size}; results ${[...kinds].sort().map((c) => `${c}×${all.filter((x) => x === c).length}`).join(' ')}`);

  await Promise.all([A.s.store.close(), B.s.store.close(), C.s.store.close()]);
  for (const d of [dirA, dirB, dirC]) rmSync(d, { recursive: true, force: true });
}, 600_000);
