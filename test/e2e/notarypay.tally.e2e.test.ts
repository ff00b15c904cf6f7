/**
 * The notary queries under Komodo's names, through the real CLI and the embedded node:
 * three notaries, two notarizations signed by different subsets, then `notary-tally` counts
 * each notary's notarizations and pay from the node's tx index (the one that never signed
 * is listed with zeros), agrees with the balances and with getnotarypayinfo (`spent`
 * computed false, every field present in snake_case), answers at a past --height and over
 * a depth, and getiguanajson carries Komodo's iguana fields.
 */
import { join } from 'node:path';
import { cli, ok } from '../cli/cli';
import { latestHeight, query, startChain, txFlags, until, type Chain } from './workflowChain';

jest.setTimeout(300_000);

const NOTARIES = ['n1', 'n2', 'n3'];
const PAY = 900n;

let chain: Chain;

beforeAll(async () => {
  chain = await startChain({
    chainId: 'sekai-tally-1',
    // The relayer submits and pays the fees, so the notaries' balances move only by pay.
    keys: ['validator', 'relayer', ...NOTARIES],
    genesisLines: [
      ...NOTARIES.map((k) => ['genesis', 'add-notary', k, '--name', `notary-${k}`, '--keyring-backend', 'test']),
      ['genesis', 'set-notary-pay', String(PAY), '--funding', 'emission'],
    ],
    blockTime: '200ms',
  });
});

afterAll(async () => {
  await chain?.stop();
});

const np = async <T = any>(args: string[]): Promise<T> =>
  JSON.parse((await ok(['query', 'notarypay', ...args, '--home', chain.home, '--node', chain.node, '--output', 'json'])).stdout) as T;

const ukex = async (addr: string, height: number): Promise<bigint> => {
  const b = await query<{ balances: { denom: string; amount: string }[] }>(chain, ['bank', 'balances', addr, '--height', String(height)]);
  return BigInt(b.balances.find((c) => c.denom === 'ukex')?.amount ?? '0');
};

/** Notarizes the latest height whose AppHash a header carries, signed by `signers`; returns the block that carried it. */
async function notarize(signers: string[]): Promise<number> {
  const h = (await latestHeight(chain)) - 1;
  const files = await Promise.all(
    signers.map(async (k) => {
      const out = join(chain.home, `${k}-${h}.json`);
      await ok(['notary', 'sign', '--height', String(h), '--key', k, '--node', chain.node, '--out', out, '--home', chain.home, '--keyring-backend', 'test']);
      return out;
    }),
  );
  const r = await cli(['tx', 'notarypay', 'notarize', '--height', String(h), '--sigs', files.join(','), ...txFlags(chain, 'relayer', 'block')]);
  if (r.code !== 0) throw new Error(`notarize exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as { code: number; height: string };
  expect(res.code).toBe(0);
  return Number(res.height);
}

it('tallies notarizations and pay per notary from the tx index; iguana-json and getnotarypayinfo in Komodo\'s shape', async () => {
  await until('height 3', async () => ((await latestHeight(chain)) >= 3 ? true : undefined));
  const start = await latestHeight(chain);
  const before = Object.fromEntries(await Promise.all(NOTARIES.map(async (k) => [k, await ukex(chain.addr[k], start)] as const)));

  const first = await notarize(['n1', 'n2']);
  await until('a block after the first notarization', async () => ((await latestHeight(chain)) >= first + 2 ? true : undefined));
  const second = await notarize(['n1']);
  await until('a block after the second notarization', async () => ((await latestHeight(chain)) >= second + 1 ? true : undefined));
  const end = await latestHeight(chain);

  type Tally = { from_height: string; to_height: string; denom: string; notarizations: string; total_pay: string; notaries: Record<string, string | number>[] };
  const tally = await np<Tally>(['notary-tally', '--height', String(end)]);
  expect(tally).toMatchObject({ from_height: '1', to_height: String(end), denom: 'ukex', notarizations: '2', total_pay: String(PAY * 2n) });
  const row = (k: string) => tally.notaries.find((n) => n.name === `notary-${k}`)!;
  expect(row('n1')).toMatchObject({ era: 1, payout: chain.addr.n1, pubkey: chain.pubKeys.n1, notarizations: '2', pay: String(PAY / 2n + PAY) });
  expect(row('n2')).toMatchObject({ era: 1, payout: chain.addr.n2, notarizations: '1', pay: String(PAY / 2n) });
  // A notary that never signed is listed, with zeros.
  expect(row('n3')).toEqual({ era: 1, name: 'notary-n3', pubkey: chain.pubKeys.n3, payout: chain.addr.n3, notarizations: '0', pay: '0', last_notarized_height: '0' });
  // The tally is what the balances gained.
  for (const k of NOTARIES) expect((await ukex(chain.addr[k], end)) - before[k]).toBe(BigInt(row(k).pay));

  // At a past height only what had happened; over a depth only the blocks in it.
  const atFirst = await np<Tally>(['notary-tally', '--height', String(first)]);
  expect(atFirst).toMatchObject({ to_height: String(first), notarizations: '1', total_pay: String(PAY) });
  const recent = await np<Tally>(['notary-tally', String(end - second + 1), '--height', String(end)]);
  expect(recent).toMatchObject({ from_height: String(second), notarizations: '1' });
  expect(recent.notaries.map((n) => [n.name, n.notarizations])).toEqual([['notary-n1', '1'], ['notary-n2', '0'], ['notary-n3', '0']]);

  // getnotarypayinfo (Komodo's name) is `info`: spent computed, every field in snake_case.
  const info = await np<Record<string, unknown>>(['getnotarypayinfo', '--height', String(end)]);
  expect(info).toMatchObject({ height: String(end), spent: false, total_notary_pay: String(PAY * 2n), notarizations: '2', funding: 'FUNDING_MODE_EMISSION', estimated_notarizations_left: '0' });
  expect(info).toEqual(await np(['info', '--height', String(end)]));

  // getiguanajson: Komodo's iguana fields where they mean something here.
  const iguana = await np<Record<string, unknown>>(['getiguanajson']);
  expect(iguana).toMatchObject({ era: 1, in_gap: false, minsigs: 1, BTCminsigs: 1, seeds: [] });
  expect(iguana.port).toBe(26656);
  expect(iguana.notaries).toEqual(NOTARIES.map((k) => ({ [`notary-${k}`]: chain.pubKeys[k] })));
});
