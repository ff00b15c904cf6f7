/**
 * The bridge end to end (issue 9, "How it is judged"): three listeners (two needed), three
 * approvers (two needed) and a processor set in genesis with `genesis bridge-set`, one
 * external chain with `genesis bridge-add-chain`, the embedded node, and only CLI lines:
 * `bridge listener` fed JSON lines, `tx bridge attest|withdraw|approve|processor-approve`,
 * `query bridge events|actions|pending-withdrawals`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ok } from '../cli/cli';
import { query, startChain, txFlags, type Chain } from './workflowChain';

// Generous: each CLI line is a fresh process, slow on a loaded machine.
jest.setTimeout(1_200_000);

const CHAIN = 'ethereum';
const WALLET = 'eth:0x' + '11'.repeat(20);
let chain: Chain;
let depositorPub = '';

beforeAll(async () => {
  chain = await startChain({
    chainId: 'sekai-bridge-1',
    keys: ['validator', 'p', 'l0', 'l1', 'l2', 'a0', 'a1', 'a2'],
    genesisLines: (pub) => [
      ['genesis', 'bridge-set', '--processor', pub.p, '--listeners', [pub.l0, pub.l1, pub.l2].join(','), '--needed-listeners', '2',
        '--approvers', [pub.a0, pub.a1, pub.a2].join(','), '--needed-approvers', '2'],
      // wkex deposits mint ukex, so a deposited account can pay its own fees.
      ['genesis', 'bridge-add-chain', CHAIN, '--contract', '0xbridge', '--asset', 'usdc:6:uusdc', '--asset', 'wkex:6:ukex'],
    ],
    blockTime: '200ms',
  });
  // Not a genesis account: the deposit creates its account and binds this key.
  const made = JSON.parse((await ok(['keys', 'add', 'depositor', '--keyring-backend', 'test', '--output', 'json', '--home', chain.home])).stdout) as { address: string; pubkey: string };
  chain.addr.depositor = made.address;
  depositorPub = Buffer.from((JSON.parse(made.pubkey) as { key: string }).key, 'base64').toString('hex');
});

afterAll(async () => {
  if (process.env.WORKFLOW_LOG) writeFileSync(process.env.WORKFLOW_LOG, chain?.log() ?? '');
  await chain?.stop();
});

interface Result {
  code: number;
  log: string;
}

/**
 * A tx line in block mode; the included (or refused) result. An attestation that completes an
 * event also processes the queued events after it, which takes more than the CLI's default
 * 200 000 gas (docs/gas.md), so the listeners ask for 600 000 (still MIN_TX_FEE).
 */
async function tx(from: string, args: string[]): Promise<Result> {
  const r = await cli(['tx', ...args, ...txFlags(chain, from, 'block'), '--gas', '600000']);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`tx ${args.join(' ')} printed no JSON (exit ${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return { code: Number(j.code ?? 0), log: String(j.raw_log ?? j.rawLog ?? '') };
}

const deposit = (usdc: string, wkex: string, keys: string[] = []) => ({
  regular: { wallet: WALLET, funds: [{ denom: 'usdc', amount: usdc }, { denom: 'wkex', amount: wkex }].filter((c) => c.amount !== '0'), keys },
});
const attest = (from: string, id: number, event: unknown) => tx(from, ['bridge', 'attest', CHAIN, String(id), JSON.stringify(event)]);

const events = async () => (await query<{ events?: { event_id: string; status?: string; attesters?: string[] }[] }>(chain, ['bridge', 'events', CHAIN])).events ?? [];
const actions = async () => (await query<{ actions?: { action_id: string; status?: string; approvals?: unknown[]; processor_signature?: string }[] }>(chain, ['bridge', 'actions', CHAIN])).actions ?? [];
const pending = async () => (await query<{ withdrawals?: { amount: string; local_denom: string }[] }>(chain, ['bridge', 'pending-withdrawals', CHAIN])).withdrawals ?? [];
const statusOf = (list: { status?: string }[], i: number) => list[i]?.status ?? 'PENDING';
const balance = async (addr: string, denom: string) =>
  BigInt((await query<{ balances: { denom: string; amount: string }[] }>(chain, ['bank', 'balances', addr])).balances.find((c) => c.denom === denom)?.amount ?? '0');

it('orders deposits, refuses a conflicting attestation, queues and releases withdrawals, completes actions in order', async () => {
  const first = deposit('5000', '1000000', [depositorPub]);
  const second = deposit('7000', '0');

  // The listener loop (l0) attests events 0 and 1 from JSON lines.
  const lines = join(chain.home, 'events.jsonl');
  writeFileSync(lines, [{ chain: CHAIN, event_id: '0', event: first }, { chain: CHAIN, event_id: '1', event: second }].map((l) => JSON.stringify(l)).join('\n') + '\n');
  const loop = await ok(['bridge', 'listener', '--file', lines, ...txFlags(chain, 'l0', 'block')]);
  expect(loop.stdout).toMatch(/"sent":2/);

  // l1 attests event 1 first: it has its quorum but waits behind event 0 (one attestation).
  expect((await attest('l1', 1, second)).code).toBe(0);
  let ev = await events();
  expect(statusOf(ev, 0)).not.toMatch(/PROCESSED/);
  expect(statusOf(ev, 1)).not.toMatch(/PROCESSED/);
  expect(await balance(chain.addr.validator, 'uusdc')).toBe(0n);

  // A conflicting attestation of event 0 is refused and changes nothing.
  const conflict = await attest('l1', 0, deposit('5001', '1000000', [depositorPub]));
  expect(conflict.code).not.toBe(0);
  expect(conflict.log).toMatch(/event|conflict|differ|identical/i);
  ev = await events();
  expect(ev[0].attesters ?? []).toHaveLength(1);

  // The matching attestation completes event 0; events 0 and 1 are processed in order.
  expect((await attest('l1', 0, first)).code).toBe(0);
  ev = await events();
  expect(statusOf(ev, 0)).toMatch(/PROCESSED/);
  expect(statusOf(ev, 1)).toMatch(/PROCESSED/);

  // The deposit made the depositor's account: its key signs a bank send.
  expect(await balance(chain.addr.depositor, 'uusdc')).toBe(12000n);
  const send = await tx('depositor', ['bank', 'send', 'depositor', chain.addr.validator, '100uusdc']);
  expect(send).toMatchObject({ code: 0 });
  expect(await balance(chain.addr.validator, 'uusdc')).toBe(100n);

  // Action 0: a withdrawal the tracked balance covers.
  expect((await tx('depositor', ['bridge', 'withdraw', CHAIN, 'uusdc', 'eth:0x' + '22'.repeat(20), '1000'])).code).toBe(0);
  expect(await actions()).toHaveLength(1);
  // Beyond the tracked wkex balance (1 000 000): the validator's genesis ukex waits in the queue.
  expect((await tx('validator', ['bridge', 'withdraw', CHAIN, 'ukex', 'eth:0x' + '33'.repeat(20), '1500000'])).code).toBe(0);
  expect(await pending()).toEqual([expect.objectContaining({ amount: '1500000', local_denom: 'ukex' })]);
  expect(await actions()).toHaveLength(1);

  // The next deposit grows the tracked balance and releases the queued withdrawal as action 1.
  const third = deposit('0', '600000');
  await Promise.all([attest('l1', 2, third), attest('l2', 2, third)]).then((rs) => rs.forEach((r) => expect(r.code).toBe(0)));
  expect(statusOf(await events(), 2)).toMatch(/PROCESSED/);
  expect(await pending()).toEqual([]);
  expect(await actions()).toHaveLength(2);

  // Approvals and processor approvals complete the actions in id order.
  const [early, short] = await Promise.all([tx('p', ['bridge', 'processor-approve', CHAIN, '1']), tx('a0', ['bridge', 'approve', CHAIN, '0'])]);
  expect(early.code).not.toBe(0); // action 0 is still pending
  expect(short.code).toBe(0);
  const shortQuorum = await tx('p', ['bridge', 'processor-approve', CHAIN, '0']);
  expect(shortQuorum.code).not.toBe(0); // one approval of two
  expect(statusOf(await actions(), 0)).not.toMatch(/EXECUTED/);
  await Promise.all([tx('a1', ['bridge', 'approve', CHAIN, '0']), tx('a0', ['bridge', 'approve', CHAIN, '1']), tx('a2', ['bridge', 'approve', CHAIN, '1'])]).then((rs) =>
    rs.forEach((r) => expect(r.code).toBe(0)),
  );
  expect((await tx('p', ['bridge', 'processor-approve', CHAIN, '0'])).code).toBe(0);
  let acts = await actions();
  expect(acts[0].processor_signature ?? '').not.toBe('');
  expect(acts[1].processor_signature ?? '').toBe('');
  // The listeners report action 0 executed on the external chain (event 3): it is done.
  const executed = (id: number) => ({ action_executed: { action_id: String(id) } });
  await Promise.all([attest('l0', 3, executed(0)), attest('l2', 3, executed(0))]).then((rs) => rs.forEach((r) => expect(r.code).toBe(0)));
  acts = await actions();
  expect(statusOf(acts, 0)).toMatch(/EXECUTED/);
  expect(statusOf(acts, 1)).not.toMatch(/EXECUTED/);
  // Then action 1: the processor completes it and the listeners see it executed.
  expect((await tx('p', ['bridge', 'processor-approve', CHAIN, '1'])).code).toBe(0);
  expect((await actions())[1].processor_signature ?? '').not.toBe('');
  await Promise.all([attest('l0', 4, executed(1)), attest('l1', 4, executed(1))]).then((rs) => rs.forEach((r) => expect(r.code).toBe(0)));
  acts = await actions();
  expect(statusOf(acts, 1)).toMatch(/EXECUTED/);
});
