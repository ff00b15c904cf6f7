/**
 * Crash safety on a live 4-validator CometBFT network: while signed transfers flow, one node
 * is SIGKILLed every few blocks (app and CometBFT together, the app alone, CometBFT alone) and
 * restarted. The chain never stops, the node catches up each time, no CometBFT log shows a
 * consensus failure or a wrong AppHash (but the victim's own stop when its app vanished in the
 * middle of a block), and all four nodes report the same AppHash at every height (compared
 * through each node's own block headers).
 */
import { rpcGet } from '../../cmd/sekaid-ts/localnet';
import { describeWithCometBFT } from '../cometbft';
import { startNetwork, type Network } from '../network';

jest.setTimeout(300_000);

/** CometBFT's panic when its app's socket closes in the middle of a block. */
const LOST_APP = /CONSENSUS FAILURE.*failed to apply block; error read message: .*(connection reset by peer|EOF)/;

describeWithCometBFT('SIGKILL on a live 4-validator CometBFT network', () => {
  let net: Network;

  beforeAll(async () => {
    net = await startNetwork({ validators: 4, chainId: 'sekai-chaos-1' });
    await net.waitForHeight(2);
  }, 300_000);

  afterAll(async () => {
    await net?.stop();
  });

  test('the chain keeps committing, the victim catches up, and every node agrees on every AppHash', async () => {
    const victim = net.nodes[3];
    const others = [0, 1, 2];
    const transfers = net.startTransfers(0, net.nodes[1].address);
    const kills: Array<[string, () => Promise<void>]> = [
      ['app and CometBFT together', () => Promise.all([victim.proc.comet.stop('SIGKILL'), victim.proc.app.stop('SIGKILL')]).then(() => undefined)],
      ['the app alone', async () => {
        await victim.proc.app.stop('SIGKILL');
        // CometBFT stops by itself once its app connection is gone.
        await net.waitFor(`${victim.name}'s CometBFT to stop after its app`, async () => (victim.proc.comet.running ? undefined : true), 60_000);
      }],
      ['CometBFT alone', () => victim.proc.comet.stop('SIGKILL')],
    ];
    for (const [what, kill] of kills) {
      // A few blocks with the victim signing, then the kill.
      await net.waitForHeight((await net.height(0))! + 3);
      await kill();
      // The other three (3 of 4 > 2/3) keep committing.
      const down = (await net.height(0))!;
      await net.waitForHeight(down + 3, others);
      await victim.proc.start();
      const target = (await net.height(0))!;
      await net.waitFor(`${victim.name} to catch up after losing ${what}`, async () => ((await net.height(3)) ?? 0) >= target ? true : undefined);
    }
    const committed = await transfers.stop();
    expect(committed).toBeGreaterThan(0);

    const top = Math.min(...(await Promise.all(net.nodes.map((n) => net.height(n.index)))).map((h) => h ?? 0));
    expect(top).toBeGreaterThan(10);
    const hashes = await Promise.all(net.nodes.map((n) => appHashes(n.rpc, top)));
    for (let i = 1; i < hashes.length; i++) expect(hashes[i]).toEqual(hashes[0]);
    // Killing the app alone can land while CometBFT applies a block: CometBFT then stops with a
    // "CONSENSUS FAILURE" naming the lost app connection. That is the injected fault, not a
    // disagreement; any other failure line, on any node, is one.
    const lostApp = (line: string) => line.startsWith(`${victim.proc.name}: `) && LOST_APP.test(line);
    expect(net.consensusFailures().filter((line) => !lostApp(line))).toEqual([]);
  });
});

/** app_hash of every header 1..top as one node reports it (/blockchain, 20 headers a call). */
async function appHashes(rpc: string, top: number): Promise<string[]> {
  const out: string[] = new Array(top);
  for (let max = top; max >= 1; max -= 20) {
    const min = Math.max(1, max - 19);
    const r = await rpcGet<{ block_metas: { header: { height: string; app_hash: string } }[] }>(rpc, `blockchain?minHeight=${min}&maxHeight=${max}`);
    for (const m of r.block_metas) out[Number(m.header.height) - 1] = m.header.app_hash;
  }
  return out;
}
