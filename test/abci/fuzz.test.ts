/**
 * Fuzz: thousands of random and mutated byte strings, each on a fresh loopback
 * connection. For every input the server must (a) close or keep serving without
 * crashing, (b) hand the application only the well-formed requests that precede the
 * first bad frame, in order, and (c) write only well-formed Responses, each answering its
 * request (or an exception). Bounded by a time budget; the seed makes failures reproducible.
 */
import { Request } from 'cosmjs-types/tendermint/abci/types';
import type { DeepPartial } from 'cosmjs-types/helpers';
import { AbciClient } from '../../abci/client';
import { FrameDecoder, encodeFrame } from '../../abci/framing';
import { type AbciMethod, decodeRequest, decodeResponse, encodeRequestFrame, requestMethod, responseMethod } from '../../abci/messages';
import { AbciServer } from '../../abci/server';
import { rawConnect, rng, untilClosed } from './helpers';
import { KvApp, kvTx } from './kvApp';

const SEED = Number(process.env.ABCI_FUZZ_SEED ?? 20240601);
const CASES = Number(process.env.ABCI_FUZZ_CASES ?? 3000);
const BUDGET_MS = Number(process.env.ABCI_FUZZ_BUDGET_MS ?? 20_000);
const MAX_FRAME = 64 * 1024;

const SEEDS: Array<DeepPartial<Request>> = [
  { echo: { message: 'hi' } },
  { flush: {} },
  { info: { version: '0.38.25', blockVersion: 11n, p2pVersion: 8n, abciVersion: '2.0.0' } },
  { initChain: { chainId: 'fuzz', initialHeight: 1n, appStateBytes: new TextEncoder().encode('{"a":"1"}') } },
  { query: { path: '/key', data: new TextEncoder().encode('a'), height: 3n, prove: true } },
  { checkTx: { tx: kvTx('key', 'value'), type: 1 } },
  { commit: {} },
  { listSnapshots: {} },
  { offerSnapshot: { snapshot: { height: 2n, format: 1, chunks: 1, hash: new Uint8Array(32) }, appHash: new Uint8Array(32) } },
  { loadSnapshotChunk: { height: 2n, format: 1, chunk: 0 } },
  { applySnapshotChunk: { index: 0, chunk: new Uint8Array([1, 2, 3]), sender: 'p' } },
  { prepareProposal: { maxTxBytes: 1000n, txs: [kvTx('a', 'b')], height: 1n, time: { seconds: 5n, nanos: 1 } } },
  { processProposal: { txs: [kvTx('a', 'b')], height: 1n, hash: new Uint8Array(32) } },
  { extendVote: { height: 1n, hash: new Uint8Array(32) } },
  { verifyVoteExtension: { height: 1n, voteExtension: new Uint8Array([9]) } },
  { finalizeBlock: { txs: [kvTx('a', 'b'), new Uint8Array([0xff])], height: 1n, hash: new Uint8Array(32), decidedLastCommit: { round: 0, votes: [] } } },
];
const SEED_FRAMES = SEEDS.map((r) => encodeRequestFrame(Request.fromPartial(r)));

function makeInput(rand: () => number): Uint8Array {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const mode = Math.floor(rand() * 4);
  if (mode === 0) {
    // Pure noise, short or long.
    return Uint8Array.from({ length: Math.floor(rand() ** 2 * 600) }, () => Math.floor(rand() * 256));
  }
  if (mode === 1) {
    // A valid frame prefix holding random protobuf-ish bytes.
    const body = Uint8Array.from({ length: Math.floor(rand() * 80) }, () => Math.floor(rand() * 256));
    return encodeFrame(body);
  }
  // A stream of valid frames, mutated.
  const parts: Uint8Array[] = [];
  const n = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) parts.push(pick(SEED_FRAMES));
  if (rand() < 0.7) parts.push(SEED_FRAMES[1]); // usually end with a Flush so answers come back
  const bytes = Buffer.concat(parts);
  const mutations = mode === 2 ? 1 + Math.floor(rand() * 4) : 0;
  for (let m = 0; m < mutations; m++) {
    const at = Math.floor(rand() * bytes.length);
    const kind = Math.floor(rand() * 3);
    if (kind === 0) bytes[at] ^= 1 << Math.floor(rand() * 8);
    else if (kind === 1) bytes[at] = Math.floor(rand() * 256);
    else bytes[at] = [0x00, 0x7f, 0x80, 0xff][Math.floor(rand() * 4)];
  }
  if (mode === 3 && rand() < 0.5) return bytes.subarray(0, Math.floor(rand() * bytes.length));
  return bytes;
}

interface Expectation {
  /** Methods the app may see, in order: requests before the first bad frame (Echo/Flush excluded). */
  appMethods: string[];
  /** Methods of all well-formed requests before the first bad frame, Flush included. */
  requests: AbciMethod[];
}

function expectationOf(bytes: Uint8Array): Expectation {
  const frames: Uint8Array[] = [];
  try {
    new FrameDecoder(MAX_FRAME).push(bytes, frames);
  } catch {
    // frames holds what preceded the error
  }
  const requests: AbciMethod[] = [];
  for (const f of frames) {
    try {
      requests.push(requestMethod(decodeRequest(f)));
    } catch {
      break;
    }
  }
  return { requests, appMethods: requests.filter((m) => m !== 'echo' && m !== 'flush') };
}

describe('ABCI server fuzz', () => {
  it(`survives ${CASES} random and mutated inputs (seed ${SEED})`, async () => {
    const app = new KvApp();
    const server = new AbciServer(app, { maxFrameBytes: MAX_FRAME });
    await server.listen('tcp://127.0.0.1:0');
    const rand = rng(SEED);
    const started = Date.now();
    let ran = 0;
    let answered = 0;
    let rejectedOrEmpty = 0;
    try {
      for (; ran < CASES && Date.now() - started < BUDGET_MS; ran++) {
        const input = makeInput(rand);
        const want = expectationOf(input);
        const callsBefore = app.calls.length;
        const s = await rawConnect(server.address());
        const closed = untilClosed(s, 5000);
        s.end(input);
        const output = await closed;

        const seen = app.calls.slice(callsBefore);
        expect(want.appMethods.slice(0, seen.length)).toEqual(seen);

        // Everything written back is well-formed and answers the requests in order.
        const frames = new FrameDecoder().push(output);
        frames.forEach((f, i) => {
          const got = responseMethod(decodeResponse(f));
          if (got !== 'exception') expect([i, got]).toEqual([i, want.requests[i]]);
        });
        if (frames.length > 0) answered++;
        else rejectedOrEmpty++;
      }
      expect(ran).toBeGreaterThanOrEqual(Math.min(CASES, 500));
      expect(answered).toBeGreaterThan(0);
      expect(rejectedOrEmpty).toBeGreaterThan(0);
      // After all that, a well-behaved client is still served.
      const c = new AbciClient();
      await c.connect(server.address());
      expect((await c.echo('after fuzz')).message).toBe('after fuzz');
      await c.close();
      process.stdout.write(`abci fuzz: ${ran} inputs in ${Date.now() - started} ms, ${answered} answered, ${rejectedOrEmpty} silent\n`);
    } finally {
      await server.close();
    }
  }, 60_000);
});
