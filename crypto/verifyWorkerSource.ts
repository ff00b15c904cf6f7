/**
 * Source of the signature-verification worker, evaluated with `new Worker(src, { eval: true })`.
 *
 * It is plain CommonJS in a string so the same code runs from compiled `dist/`, under
 * ts-node-style loaders and under Jest, none of which agree on how a worker file is found or
 * transpiled. It loads the backend module by the absolute path the main thread resolved
 * (`workerData.modulePath`), so it does not depend on the process's working directory.
 *
 * Message in:  { id, count, buffer } where buffer holds `count` records of RECORD_BYTES:
 *              pubkey (33) | msgHash (32) | signature (64).
 * Message out: { id, results } with results a Uint8Array of 0/1, transferred back.
 *
 * The rules repeat those of `secp256k1.ts` (64-byte low-S signature, 33-byte compressed key,
 * 32-byte digest); the main thread already drops sets that fail them, and the worker checks
 * low-S again so that its verdict alone is correct. The verifier tests compare both paths.
 */
export const RECORD_BYTES = 33 + 32 + 64;

export const VERIFY_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const HALF_N = Buffer.from('7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0', 'hex');
const RECORD = ${RECORD_BYTES};
let verify;
if (workerData.backend === 'native') {
  const lib = require(workerData.modulePath);
  verify = (sig, msg, pub) => { try { return lib.ecdsaVerify(sig, msg, pub); } catch { return false; } };
} else if (workerData.backend === 'noble') {
  const secp = require(workerData.modulePath).secp256k1;
  const opts = { prehash: false, lowS: true };
  verify = (sig, msg, pub) => { try { return secp.verify(sig, msg, pub, opts); } catch { return false; } };
} else {
  throw new Error('unknown secp256k1 backend ' + workerData.backend);
}
function lowS(buf, off) {
  for (let i = 0; i < 32; i++) {
    const s = buf[off + i], h = HALF_N[i];
    if (s !== h) return s < h;
  }
  return true;
}
parentPort.on('message', (job) => {
  const buf = new Uint8Array(job.buffer);
  const results = new Uint8Array(job.count);
  for (let i = 0; i < job.count; i++) {
    const o = i * RECORD;
    const prefix = buf[o];
    if ((prefix !== 2 && prefix !== 3) || !lowS(buf, o + 97)) continue;
    results[i] = verify(buf.subarray(o + 65, o + 129), buf.subarray(o + 33, o + 65), buf.subarray(o, o + 33)) ? 1 : 0;
  }
  parentPort.postMessage({ id: job.id, results }, [results.buffer]);
});
`;
