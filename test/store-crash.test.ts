import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateDb } from '../store/db';
import { RootMultiStore } from '../store/rootmulti';
import { CRASH_STORES, writeBlock } from './store-crash-worker';

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');

/** Runs the worker until it has committed `atLeast` versions (from this start), then SIGKILLs it. */
function runAndKill(dir: string, atLeast: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'store-crash-worker.ts'), dir], {
      cwd: join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = 0;
    let last = 0;
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n').filter(Boolean)) {
        last = Number(line);
        if (++seen === atLeast) child.kill('SIGKILL');
      }
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(last) : reject(new Error(`worker exited: ${err}`))));
  });
}

describe('multistore crash atomicity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rootmulti-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('after SIGKILL mid-run, every store is at the same version and the AppHash matches a clean replay', async () => {
    for (const atLeast of [3, 7, 12]) {
      const reported = await runAndKill(dir, atLeast);
      // open() itself refuses a commit info that disagrees with any tree's version or root.
      const rms = await RootMultiStore.open(await StateDb.open(dir), { stores: CRASH_STORES });
      const latest = rms.lastCommitId();
      expect(latest.version).toBeGreaterThanOrEqual(reported);
      const info = rms.commitInfo(latest.version);
      expect(info.stores.map((s) => s.name)).toEqual(CRASH_STORES);
      // A fresh store fed the same blocks reaches the same AppHash.
      const replayDir = mkdtempSync(join(tmpdir(), 'rootmulti-replay-'));
      const replay = await RootMultiStore.open(await StateDb.open(replayDir), { stores: CRASH_STORES });
      for (let h = 1; h <= latest.version; h++) {
        writeBlock(replay, h);
        await replay.commit();
      }
      expect(hex(replay.lastCommitId().hash)).toBe(hex(latest.hash));
      await replay.close();
      rmSync(replayDir, { recursive: true, force: true });
      await rms.close();
    }
  });
});
