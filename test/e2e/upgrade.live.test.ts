/**
 * A software upgrade on a live 4-validator CometBFT network (test/network.ts), as operators
 * live it: a `tx upgrade proposal` passes by votes; at the plan's height every node's app
 * refuses the block with one line naming the version required (in its log and in CometBFT's,
 * which stops), so the whole network stops there instead of forking; the operators install the next build
 * (test/fixtures/upgrade/sekaid-next.ts, the same commands at version NEXT_VERSION) and the
 * chain goes on from that height with the same AppHash on every node; a node restarted with
 * the old build refuses the block again and stays behind until it is upgraded too.
 *
 * The plan's height leaves about 35 s after the proposal's submission, measured in this
 * network's block pace (the votes, the 12 s voting period and the enactment fit in it on a
 * loaded machine).
 */
import { resolve } from 'node:path';
import { CODE_VERSION } from '../../app/app';
import { rpcGet, type Launch } from '../../cmd/sekaid-ts/localnet';
import { describeWithCometBFT } from '../cometbft';
import { NEXT_VERSION } from '../fixtures/upgrade/sekaid-next';
import { startNetwork, type Network, type TxResult } from '../network';

jest.setTimeout(400_000);

const ROOT = resolve(__dirname, '../..');
/** The next build, run from source like the harness runs this one. */
const NEXT_LAUNCH: Launch = {
  command: process.execPath,
  args: ['-r', resolve(ROOT, 'bin/tsCache.js'), resolve(ROOT, 'test/fixtures/upgrade/sekaid-next.ts')],
  env: { ...process.env, SEKAID_HOME: '', SEKAID_KEYRING_PASSPHRASE: '' },
};

describeWithCometBFT('software upgrade on a live 4-validator CometBFT network', () => {
  let net: Network;

  beforeAll(async () => {
    net = await startNetwork({
      validators: 4,
      chainId: 'sekai-upgrade-1',
      properties: [
        ['MINIMUM_PROPOSAL_END_TIME', '12'],
        ['PROPOSAL_ENACTMENT_TIME', '1'],
        ['MIN_PROPOSAL_END_BLOCKS', '2'],
        ['MIN_PROPOSAL_ENACTMENT_BLOCKS', '1'],
      ],
    });
  }, 300_000);

  afterAll(async () => {
    await net?.stop();
  });

  /** The height the app has committed (ABCI Info), undefined while the node's RPC is down. */
  const appHeight = async (i: number): Promise<number | undefined> => {
    try {
      const r = await rpcGet<{ response: { last_block_height?: string; version: string } }>(net.nodes[i].rpc, 'abci_info', 5_000);
      return Number(r.response.last_block_height ?? 0);
    } catch {
      return undefined;
    }
  };
  const refusal = (height: number, binary: string) =>
    new RegExp(`upgrade \\\\?"next\\\\?" requires version ${NEXT_VERSION} from height ${height}; this binary is version ${binary}`);

  test('the network halts at the upgrade height, continues on the new build with equal AppHashes, and an old build refuses', async () => {
    // Pace: ms per block over a few blocks of this network, for the plan's margin.
    const h0 = await net.waitForHeight(3);
    const t0 = Date.now();
    await net.waitForHeight(h0 + 4);
    const msPerBlock = (Date.now() - t0) / 4;
    const now = (await net.height(0))!;
    const plan = now + Math.max(30, Math.ceil(35_000 / msPerBlock));

    const submitted = await net.txCommitted(0, ['upgrade', 'proposal', 'next', NEXT_VERSION, String(plan), '--title', 'Next release', '--description', `Install ${NEXT_VERSION}`]);
    expect(submitted.tx_result.code).toBe(0);
    const id = eventValue(submitted, 'submit_proposal', 'proposal_id');
    const votes = await Promise.all(net.nodes.map(async (n) => (await net.txCommitted(n.index, ['customgov', 'proposal', 'vote', id, 'yes'])).tx_result.code));
    expect(votes).toEqual([0, 0, 0, 0]);
    const passed = await net.waitFor(`proposal ${id} to be enacted`, async () => {
      const { proposal } = await net.query(['customgov', 'proposal', id]);
      return proposal.result === 'VOTE_RESULT_PENDING' || proposal.result === 'VOTE_RESULT_ENACTMENT' ? undefined : proposal;
    }, 120_000, 1000);
    expect(passed.result).toBe('VOTE_RESULT_PASSED');
    expect((await appHeight(0))!).toBeLessThan(plan);

    // The nodes that decide block `plan` refuse it with the operator's line, and their CometBFT
    // stops ("consensus connection terminated"). Once two of four have, the others hold at most
    // half the power and cannot commit it either: the whole network stays at plan - 1.
    const refused = await net.waitFor(`two apps to refuse height ${plan}`, async () => {
      const r = net.nodes.filter((n) => refusal(plan, CODE_VERSION).test(n.proc.app.output()));
      return r.length >= 2 ? r : undefined;
    }, 180_000, 500);
    for (const n of refused) {
      await net.waitFor(`${n.name}'s CometBFT to stop`, async () => !n.proc.comet.running || undefined, 60_000);
      expect(n.proc.comet.output()).toMatch(/CONSENSUS FAILURE!!!.*binary upgrade required/);
    }
    for (const n of net.nodes.filter((m) => !refused.includes(m))) expect(await appHeight(n.index)).toBe(plan - 1);

    // The operators install the next build on nodes 0-2; node 3 restarts the old one.
    for (const n of net.nodes) await n.proc.stop();
    for (const i of [0, 1, 2]) net.relaunch(i, NEXT_LAUNCH);
    net.relaunch(3);
    await Promise.all(net.nodes.map((n) => n.proc.startApp()));
    for (const n of net.nodes) n.proc.startComet();

    // Three of four validators (75% of the power) carry the chain past the upgrade height.
    const past = await net.waitForHeight(plan + 3, [0, 1, 2], 180_000);
    const info = await net.rpc<{ response: { version: string } }>('abci_info', 0);
    expect(info.response.version).toBe(NEXT_VERSION);
    const upgraded = await net.rpc<{ finalize_block_events?: { type: string; attributes: { key: string; value: string }[] }[] }>(`block_results?height=${plan}`, 0);
    expect(upgraded.finalize_block_events?.find((e) => e.type === 'upgrade')?.attributes).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'version', value: NEXT_VERSION })]),
    );

    // The old build replays block `plan` in CometBFT's handshake and refuses it again.
    await net.waitFor('node3 (old build) to refuse the upgrade height again', async () =>
      refusal(plan, CODE_VERSION).test(net.nodes[3].proc.app.output()) || undefined, 120_000, 500);
    // Its CometBFT either stopped on the refusal or holds at plan - 1.
    expect((await appHeight(3)) ?? plan - 1).toBe(plan - 1);

    // Upgraded, node 3 catches up; every node has the same header AppHash at every height around the upgrade.
    await net.nodes[3].proc.stop();
    await net.relaunch(3, NEXT_LAUNCH).start();
    await net.waitForHeight(past, [3], 180_000);
    for (let h = plan - 2; h <= past; h++) {
      const hashes = await Promise.all(net.nodes.map(async (n) => (await net.header(n.index, h)).app_hash));
      expect(new Set(hashes).size).toBe(1);
    }
    expect(net.consensusFailures().filter((l) => /wrong Block\.Header\.AppHash/.test(l))).toEqual([]);
  });
});

function eventValue(r: TxResult, type: string, key: string): string {
  const attr = (r.tx_result.events ?? []).find((e) => e.type === type)?.attributes.find((a) => a.key === key);
  if (!attr) throw new Error(`no ${type}.${key} in ${JSON.stringify(r.tx_result)}`);
  return attr.value;
}
