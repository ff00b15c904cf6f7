/**
 * kill -9 at random moments while txs stream in: after every restart the chain continues
 * from the last committed block, every tx reported committed is still in its block with the
 * same result, and no height is ever signed over two different blocks.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BlockStore } from '../../node/blockstore/blockStore';
import { privValidatorKeyJson, generatePrivValidatorKey, verifyEd25519, voteSignBytes } from '../../node/consensus/signing';
import { SignedMsgType } from 'cosmjs-types/tendermint/types/types';
import { tmpHome } from './helpers';

const KILLS = 20;
const ROOT = path.resolve(__dirname, '../..');

interface Committed {
  height: number;
  index: number;
  code: number;
}

function runOnce(home: string, firstTx: number, kill: { afterReadyMs?: number; afterSpawnMs?: number }, onLine: (l: string) => void): Promise<{ nextTx: number; readyHeight: number | undefined; code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'crashChild.ts'), home], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
    });
    let n = firstTx;
    let readyHeight: number | undefined;
    let stderr = '';
    let buf = '';
    const feeder = setInterval(() => {
      child.stdin.write(`k${n}=v${n++}\n`);
    }, 4);
    child.stdin.on('error', () => undefined);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('READY ')) {
          readyHeight = Number(line.slice(6));
          if (kill.afterReadyMs !== undefined) killer = setTimeout(() => child.kill('SIGKILL'), kill.afterReadyMs);
        }
        onLine(line);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let killer: NodeJS.Timeout | undefined;
    if (kill.afterSpawnMs !== undefined) killer = setTimeout(() => child.kill('SIGKILL'), kill.afterSpawnMs);
    child.on('exit', (code, signal) => {
      clearInterval(feeder);
      clearTimeout(killer);
      resolve({ nextTx: n, readyHeight, code, signal, stderr });
    });
  });
}

describe('crash safety', () => {
  it(`survives ${KILLS} kill -9 at random moments`, async () => {
    const home = tmpHome('crash');
    const key = generatePrivValidatorKey();
    fs.writeFileSync(path.join(home, 'key.json'), JSON.stringify(privValidatorKeyJson(key)));
    fs.writeFileSync(
      path.join(home, 'genesis.json'),
      JSON.stringify({
        genesis_time: '2024-01-01T00:00:00Z',
        chain_id: 'crash-1',
        validators: [{ pub_key: { type: 'tendermint/PubKeyEd25519', value: Buffer.from(key.pubKey).toString('base64') }, power: '1' }],
        app_state: {},
      }),
    );
    const committed = new Map<string, Committed>();
    const seenBlocks = new Map<number, { hash: string; signature: string }>();
    const signedState = new Map<number, string>();
    let nextTx = 0;
    let lastHeight = 0;
    let totalCommitted = 0;
    try {
      for (let round = 0; round < KILLS; round++) {
        // Most kills land during block production; every fourth one during startup/replay.
        const kill = round % 4 === 3 ? { afterSpawnMs: 200 + Math.floor(Math.random() * 1000) } : { afterReadyMs: Math.floor(Math.random() * 700) };
        const run = await runOnce(home, nextTx, kill, (line) => {
          if (!line.startsWith('C ')) return;
          const [, h, i, hash, code] = line.split(' ');
          committed.set(hash, { height: Number(h), index: Number(i), code: Number(code) });
        });
        nextTx = run.nextTx;
        expect(run.stderr).not.toMatch(/FATAL/);
        expect(run.signal).toBe('SIGKILL');
        if (run.readyHeight !== undefined) expect(run.readyHeight).toBeGreaterThanOrEqual(lastHeight);

        const store = await BlockStore.open(path.join(home, 'data', 'blockstore.db'));
        try {
          const top = store.height();
          expect(top).toBeGreaterThanOrEqual(lastHeight);
          lastHeight = top;
          // Every block: same hash and signature as when first seen; signature verifies.
          for (let h = 1; h <= top; h++) {
            const s = (await store.block(h))!;
            expect(Number(s.block.header.height)).toBe(h);
            const sig = s.seenCommit.signatures[0];
            const rec = { hash: Buffer.from(s.blockId.hash).toString('hex'), signature: Buffer.from(sig.signature).toString('hex') };
            const before = seenBlocks.get(h);
            if (before !== undefined) expect(rec).toEqual(before);
            seenBlocks.set(h, rec);
            const signed = signedState.get(h);
            if (signed !== undefined) expect(rec.signature).toBe(signed);
            if (before === undefined) {
              const bytes = voteSignBytes('crash-1', { type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT, height: BigInt(h), round: 0, blockId: s.blockId, timestamp: sig.timestamp });
              expect(verifyEd25519(key.pubKey, bytes, sig.signature)).toBe(true);
            }
          }
          // Every tx reported committed is where it was reported, with the same result code.
          const codes = new Map<number, number[]>();
          for (const [hash, c] of committed) {
            const loc = await store.txByHash(Buffer.from(hash, 'hex'));
            if (loc?.height !== c.height || loc.index !== c.index) expect(loc).toEqual({ height: c.height, index: c.index });
            if (!codes.has(c.height)) codes.set(c.height, (await store.results(c.height))!.txResults.map((r) => r.code));
            if (codes.get(c.height)![c.index] !== c.code) expect(codes.get(c.height)![c.index]).toBe(c.code);
          }
          totalCommitted = committed.size;
        } finally {
          await store.close();
        }
        // A signature made but not yet stored must be the one the block ends up with.
        const stateFile = path.join(home, 'data', 'priv_validator_state.json');
        if (fs.existsSync(stateFile)) {
          const st = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { height: string; signature: string };
          const h = Number(st.height);
          const sigHex = Buffer.from(st.signature, 'base64').toString('hex');
          const prev = signedState.get(h);
          if (prev !== undefined) expect(sigHex).toBe(prev);
          signedState.set(h, sigHex);
          expect(h === lastHeight || h === lastHeight + 1).toBe(true);
        }
      }
      // Final clean run: the chain keeps going past everything seen.
      const final = await runOnce(home, nextTx, { afterReadyMs: 300 }, () => undefined);
      expect(final.readyHeight).toBeGreaterThanOrEqual(lastHeight);
      expect(totalCommitted).toBeGreaterThan(0);
      console.log(`crash test: ${KILLS} kills, height ${lastHeight}, ${totalCommitted} txs reported committed, ${signedState.size} signed heights checked`);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 240000);
});
