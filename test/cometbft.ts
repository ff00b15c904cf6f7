/**
 * Running end-to-end tests against a real CometBFT v0.38 binary when one is provided.
 *
 * No CometBFT binary can be installed from npm or Debian here, so suites that need one
 * are wrapped in `describeWithCometBFT`: they run when `COMETBFT_BIN` points at a v0.38
 * binary and are skipped, with a message saying how to enable them, otherwise.
 */
import { execFileSync } from 'node:child_process';
import * as net from 'node:net';

export interface CometBFT {
  bin: string;
  /** As printed by `cometbft version`, e.g. "0.38.17". */
  version: string;
}

/** The ABCI wire format is pinned to v0.38 (v1.0 moved CheckTx.type and ValidatorUpdate fields). */
const SUPPORTED = /^0\.38\./;

/**
 * The binary named by `COMETBFT_BIN`, or undefined when the variable is unset. A set
 * variable that names no usable v0.38 binary is an error, not a silent skip.
 */
export function findCometBFT(env: NodeJS.ProcessEnv = process.env): CometBFT | undefined {
  const bin = env.COMETBFT_BIN;
  if (!bin) return undefined;
  let out: string;
  try {
    out = execFileSync(bin, ['version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`COMETBFT_BIN=${bin}: \`${bin} version\` failed: ${(e as Error).message}`);
  }
  // Release builds print just the version; dev builds may add "+commit" or more lines.
  const version = out.trim().split(/\s+/)[0] ?? '';
  if (!SUPPORTED.test(version)) {
    throw new Error(`COMETBFT_BIN=${bin} is CometBFT ${JSON.stringify(version)}; these tests need v0.38.x`);
  }
  return { bin, version };
}

/** `describe` that runs only when a CometBFT v0.38 binary is available. */
export function describeWithCometBFT(name: string, fn: (cometbft: CometBFT) => void): void {
  const found = findCometBFT();
  if (found) {
    describe(`${name} (CometBFT ${found.version})`, () => fn(found));
    return;
  }
  describe(name, () => {
    it.skip(`set COMETBFT_BIN to a cometbft v0.38 binary to run "${name}"`, () => undefined);
  });
}

/** Ports this process already handed out: the OS may offer a closed one again before its user binds it. */
const handedOut = new Set<number>();

/** A TCP port free on 127.0.0.1 at the time of the call, and never one this process gave before. */
export async function freePort(): Promise<number> {
  for (;;) {
    const srv = net.createServer();
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', resolve);
    });
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => srv.close(() => resolve()));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}
