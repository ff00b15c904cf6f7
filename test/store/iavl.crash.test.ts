/**
 * Crash safety: a child process commits in a loop and is SIGKILLed at random moments. After
 * every kill the reopened tree must hold the last committed version intact: its root hash is
 * exactly the one recorded around that commit, its contents equal a replay of the history up
 * to that version, and the fast index agrees with the tree. A half-written commit never shows.
 */
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ChangeLog } from '../../store/changelog';
import { StateDb } from '../../store/db';
import { IavlTree } from '../../store/iavl';
import { prng, tempDb } from '../../store/iavl/testutil';
import { compileChild } from './compileChild';
import { crashBlock } from './iavl-crash-history';

type Msg = { type: 'ready' | 'pre' | 'post'; version: number; hash?: string };
/** 'full': every commit writes its nodes; 'wal': the change set first, nodes in the background. */
type Mode = 'full' | 'wal';

// The child is compiled to plain JS once, so each of the 32 restarts costs a Node start and a
// LevelDB open, not a TypeScript compilation of the store.
let child: ReturnType<typeof compileChild>;
beforeAll(() => {
  child = compileChild(join(__dirname, 'iavl-crash-child.ts'));
});
afterAll(() => rmSync(child.outDir, { recursive: true, force: true }));

function runUntilKilled(path: string, delayMs: number, mode: Mode): Promise<Msg[]> {
  return new Promise((resolve, reject) => {
    const msgs: Msg[] = [];
    const proc = fork(child.script, [path, mode], { execArgv: [], env: child.env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    proc.stderr?.on('data', (d) => (stderr += String(d)));
    proc.on('message', (m: Msg) => {
      msgs.push(m);
      if (m.type === 'ready') setTimeout(() => proc.kill('SIGKILL'), delayMs);
    });
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(msgs);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

async function killRounds(mode: Mode): Promise<void> {
  const t = await tempDb();
  await t.db.close();
  const rnd = prng(42);
  const recorded = new Map<number, Set<string>>();
  const model = new Map<string, string>();
  let modelVersion = 0;
  let kills = 0;
  let midCommitKills = 0;
  try {
    for (let round = 0; round < 32; round++) {
      // 30-250 ms after the child is ready: a commit of 100-500 writes takes tens of ms, so each
      // run commits a few versions and about half the kills land inside a commit.
      const msgs = await runUntilKilled(t.path, 30 + Math.floor(rnd() * 220), mode);
      kills++;
      for (const m of msgs) {
        if (m.hash) {
          if (!recorded.has(m.version)) recorded.set(m.version, new Set());
          recorded.get(m.version)!.add(m.hash);
        }
      }
      const lastPost = [...msgs].reverse().find((m) => m.type === 'post');
      const lastPre = [...msgs].reverse().find((m) => m.type === 'pre');
      if (lastPre && (!lastPost || lastPre.version > lastPost.version)) midCommitKills++;

      const db = await StateDb.open(t.path);
      const writeAheadLog = mode === 'wal' ? ChangeLog.open(join(t.path, 'changes.wal')) : undefined;
      try {
        const tree = await IavlTree.open(db, { prefix: Buffer.from('s/k:crash/'), pruning: { strategy: 'custom', keepRecent: 3, keepEvery: 0 }, writeAheadLog });
        const id = tree.lastCommitId();
        const ready = msgs.find((m) => m.type === 'ready')!;
        // Nothing committed is ever lost: at least the last acknowledged commit is there...
        expect(id.version).toBeGreaterThanOrEqual(lastPost ? lastPost.version : ready.version);
        // ...and at most the one that was in flight.
        expect(id.version).toBeLessThanOrEqual(lastPre ? lastPre.version : ready.version);
        if (id.version > 0) expect(recorded.get(id.version)?.has(Buffer.from(id.hash).toString('hex'))).toBe(true);
        // Contents equal a replay of the history up to the committed version.
        for (; modelVersion < id.version; ) {
          modelVersion++;
          for (const [k, v] of crashBlock(modelVersion)) {
            const ks = Buffer.from(k).toString();
            if (v === undefined) model.delete(ks);
            else model.set(ks, Buffer.from(v).toString());
          }
        }
        // One comparison per round, not one expect per key: the check stays cheap at 5000 keys.
        const got = [...tree.iterator()].map(([k, v]) => `${Buffer.from(k).toString()}=${Buffer.from(v).toString()}`);
        const want = [...model.entries()].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b))).map(([k, v]) => `${k}=${v}`);
        expect(got).toEqual(want);
        const sample = [...model.keys()].slice(0, 50);
        expect(sample.map((k) => Buffer.from(tree.get(Buffer.from(k))!).toString())).toEqual(sample.map((k) => model.get(k)));
      } finally {
        await db.close();
        writeAheadLog?.close();
      }
    }
    console.log(`crash test (${mode}): ${kills} kills, ${midCommitKills} inside a commit, ${modelVersion} versions committed`);
    expect(kills).toBeGreaterThanOrEqual(30);
    expect(modelVersion).toBeGreaterThan(5);
    // The kills must land inside commits, or the test proves little.
    expect(midCommitKills).toBeGreaterThan(0);
  } finally {
    await t.cleanup();
  }
}

test('SIGKILL at random moments never leaves a half-written or lost commit (30+ kills)', () => killRounds('full'), 120_000);

test('write-ahead-log mode: SIGKILL at random moments, the log replays to the last committed root (30+ kills)', () => killRounds('wal'), 120_000);
