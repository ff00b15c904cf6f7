/**
 * The permissioned reset-rank story end to end (KIRA issue 7), through the real CLI and the
 * embedded node: an account without permission 26 cannot propose the reset and is told
 * which permission it lacks; sudo whitelists 26 for it; it proposes; an account without
 * 27 cannot vote; the holders of 27 vote YES; after the (shortened) voting and enactment
 * periods the proposal is PASSED, every rank is 0 at the enacting block and no status
 * changed.
 */
import { latestHeight, query, rpc, startChain, tx, type Chain } from './workflowChain';

jest.setTimeout(300_000);

let chain: Chain;

const RESET = ['customslashing', 'proposal-reset-whole-validator-rank', '--title', 'Reset ranks', '--description', 'Every validator starts over'];

beforeAll(async () => {
  chain = await startChain({
    chainId: 'sekai-gov-1',
    keys: ['validator', 'alice', 'bob', 'carol'],
    properties: [
      ['MINIMUM_PROPOSAL_END_TIME', '30'],
      ['PROPOSAL_ENACTMENT_TIME', '2'],
      ['MIN_PROPOSAL_END_BLOCKS', '2'],
      ['MIN_PROPOSAL_ENACTMENT_BLOCKS', '1'],
    ],
    // carol may vote on reset-rank proposals; sudo (validator) holds 26 and 27 by its role.
    permissions: [['carol', 'PERMISSION_VOTE_RESET_WHOLE_VALIDATOR_RANK_PROPOSAL']],
    blockTime: '100ms',
  });
});

afterAll(async () => {
  await chain?.stop();
});

interface BlockResults {
  finalize_block_events?: { type: string; attributes: { key: string; value: string }[] }[];
}

/** The height whose end block enacted proposal `id`. */
async function enactedAt(id: string, from: number, to: number): Promise<number | undefined> {
  for (let h = from; h <= to; h++) {
    const r = await rpc<BlockResults>(chain, `block_results?height=${h}`);
    const hit = (r.finalize_block_events ?? []).some(
      (e) => e.type === 'proposal_enacted' && e.attributes.some((a) => a.key === 'proposal_id' && a.value === id),
    );
    if (hit) return h;
  }
  return undefined;
}

it('refuses the unpermitted, whitelists, proposes, refuses a voter without 27, passes and resets every rank', async () => {
  const { validator, alice } = chain.addr;

  // alice lacks permission 26: refused in the block, with a code and the permission named.
  const refused = await tx(chain, 'alice', RESET, 'block');
  expect(refused.code).toBe(1);
  const refusedTx = JSON.parse(refused.stdout.trim());
  expect(refusedTx.codespace).toBe('customgov');
  expect(refusedTx.code).toBeGreaterThan(0);
  expect(refusedTx.raw_log).toMatch(/PERMISSION_CREATE_RESET_WHOLE_VALIDATOR_RANK_PROPOSAL \(26\)/);
  expect(refused.stderr).toMatch(/PERMISSION_CREATE_RESET_WHOLE_VALIDATOR_RANK_PROPOSAL \(26\)/);
  expect((await query(chain, ['customgov', 'proposals'])).proposals ?? []).toEqual([]);

  // sudo whitelists 26 for alice.
  const grant = await tx(chain, 'validator', ['customgov', 'permission', 'whitelist', '--addr', alice, '--permission', '26'], 'block');
  expect(grant.code).toBe(0);
  expect((await query(chain, ['customgov', 'permissions', alice])).whitelist).toEqual([26]);

  // Now alice proposes.
  const submitted = await tx(chain, 'alice', RESET, 'block');
  expect(submitted.code).toBe(0);
  const submitHeight = Number(JSON.parse(submitted.stdout.trim()).height);
  const { proposal } = await query(chain, ['customgov', 'proposal', '1']);
  expect(proposal.result).toBe('VOTE_RESULT_PENDING');
  expect(proposal.content['@type']).toBe('/sekai.slashing.v1.ProposalResetWholeValidatorRank');
  // Defaults are printed: the proposal's content fields are decoded, not base64.
  expect(proposal.content).toHaveProperty('proposer');
  expect(proposal).toHaveProperty('exec_result', '');

  // bob lacks 27: his vote is refused with the permission named.
  const bobVote = await tx(chain, 'bob', ['customgov', 'proposal', 'vote', '1', 'yes'], 'block');
  expect(bobVote.code).toBe(1);
  expect(JSON.parse(bobVote.stdout.trim()).codespace).toBe('customgov');
  expect(bobVote.stderr).toMatch(/PERMISSION_VOTE_RESET_WHOLE_VALIDATOR_RANK_PROPOSAL \(27\)/);

  // The holders of 27 vote YES.
  const votes = await Promise.all(['validator', 'carol'].map((k) => tx(chain, k, ['customgov', 'proposal', 'vote', '1', 'yes'], 'block')));
  expect(votes.map((v) => v.code)).toEqual([0, 0]);
  const recorded = await query(chain, ['customgov', 'votes', '1']);
  expect(recorded.votes.map((v: { option: string }) => v.option)).toEqual(['VOTE_OPTION_YES', 'VOTE_OPTION_YES']);

  const rankBefore = Number((await query(chain, ['customstaking', 'validator', '--addr', validator])).rank);
  expect(rankBefore).toBeGreaterThan(0);

  // Voting (30 s) then enactment (2 s) periods pass.
  const deadline = Date.now() + 120_000;
  let result = '';
  while (Date.now() < deadline) {
    result = (await query(chain, ['customgov', 'proposal', '1'])).proposal.result;
    if (result !== 'VOTE_RESULT_PENDING' && result !== 'VOTE_RESULT_ENACTMENT') break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  expect(result).toBe('VOTE_RESULT_PASSED');

  // At the block that enacted it every rank and streak is 0 and the status is unchanged.
  const enacted = await enactedAt('1', submitHeight, await latestHeight(chain));
  expect(enacted).toBeDefined();
  const at = (h: number) => query(chain, ['customstaking', 'validator', '--addr', validator, '--height', String(h)]);
  const before = await at(enacted! - 1);
  const after = await at(enacted!);
  expect(Number(before.rank)).toBeGreaterThan(0);
  expect(before.status).toBe('ACTIVE');
  expect(after).toMatchObject({ rank: '0', streak: '0', status: 'ACTIVE', power: '1' });
});
