/**
 * Validator economics end to end through the real CLI and the embedded node (issue 18):
 * a seat claimed with --deposit and --withdraw-account, a deposit that fixes the genesis
 * validator's withdraw account, delegation, rewards accruing block by block, claims of
 * rewards and commission, undelegation after MIN_DELEGATION_PERIOD, and each refusal with
 * its code, codespace and a log that says what to do. Every line is a spawned `sekaid-ts`
 * process against the running node; the genesis carries a `multistaking` section, so
 * `start` mounts the module's store from the first block. Then the chain is exported and a
 * new node started from that genesis holds the same vaults, delegations, deposits and locks.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addressFromBech32, addressToBech32 } from '../../crypto/address';
import { ok, removeDir, tempDir } from '../cli/cli';
import { startEmbedded, type NodeProcess } from './cliChain';
import { consensusPubKeyJson, query, rpc, startChain, tx, txHash, until, waitTx, type Chain, type TxResultJson } from './workflowChain';

jest.setTimeout(240_000);

/** Seconds between a delegation (or deposit) and its undelegation (or withdrawal). */
const PERIOD = 30;

let chain: Chain;
const valoper = (name: string) => addressToBech32('validator', addressFromBech32('account', chain.addr[name]));

/** One tx line (async broadcast, as operator scripts send it) and its committed result. */
async function run(from: string, args: string[]): Promise<TxResultJson> {
  return waitTx(chain, txHash(await tx(chain, from, args)));
}

function expectRefused(r: TxResultJson, codespace: string, code: number, log: RegExp): void {
  expect({ codespace: r.tx_result.codespace, code: r.tx_result.code }).toEqual({ codespace, code });
  expect(r.tx_result.log).toMatch(log);
}

const balance = async (name: string): Promise<bigint> => {
  const b = await query<{ balances: { denom: string; amount: string }[] }>(chain, ['bank', 'balances', chain.addr[name]]);
  return BigInt(b.balances.find((c) => c.denom === 'ukex')?.amount ?? '0');
};

/** Seconds of the latest block's header time. */
async function chainTime(): Promise<number> {
  const b = await rpc<{ block: { header: { time: string } } }>(chain, 'block');
  return Math.floor(Date.parse(b.block.header.time) / 1000);
}

/** A `query multistaking rewards` answer: claimable per validator, and commission as a withdraw account. */
interface RewardsJson {
  rewards?: { val_key: string; amount: string }[];
  total: string;
  commission?: { val_key: string; amount: string }[];
}

beforeAll(async () => {
  chain = await startChain({
    chainId: 'sekai-economics-1',
    keys: ['validator', 'second', 'wd', 'bob', 'alice'],
    properties: [
      ['MIN_VALIDATORS', '1'],
      ['MIN_DELEGATION_PERIOD', String(PERIOD)],
      // second never signs: INACTIVE after a few missed blocks instead of 121, so that the
      // exported validator set is one the imported node signs alone.
      ['MISCHANCE_CONFIDENCE', '2'],
      ['MAX_MISCHANCE', '3'],
    ],
    permissions: [['second', 'PERMISSION_CLAIM_VALIDATOR']],
    // The chain starts with delegation: `start` sees the section and mounts the store.
    editGenesis: (g) => {
      g.app_state.multistaking = { vaults: [], delegations: [] };
    },
    blockTime: '100ms',
  });
});

afterAll(async () => {
  if (process.env.WORKFLOW_LOG) writeFileSync(process.env.WORKFLOW_LOG, chain?.log() ?? '');
  await chain?.stop();
});

it('deposits with a withdraw account, delegates, claims and withdraws through the CLI, each refusal with its code', async () => {
  const [val, second] = [valoper('validator'), valoper('second')];

  // A seat with a deposit whose withdraw account (bob) is not the operator's key.
  const claim = await run('second', ['customstaking', 'claim-validator-seat', '--moniker', 'second', '--pubkey', consensusPubKeyJson(), '--commission-rate', '0.1', '--deposit', '5000ukex', '--withdraw-account', chain.addr.bob]);
  expect(claim.tx_result.code).toBe(0);
  const depositedAt = await chainTime();
  const seat = await query(chain, ['customstaking', 'validator', '--addr', chain.addr.second]);
  expect(seat).toMatchObject({ moniker: 'second', deposit: '5000', withdraw_account: chain.addr.bob });
  // Its deposit is never withdrawn by the operator, and by bob only MIN_DELEGATION_PERIOD after the deposit.
  expectRefused(await run('second', ['customstaking', 'withdraw', '--val-addr', second, '--amount', '1000ukex']), 'customstaking', 24, new RegExp(`pays out only to ${chain.addr.bob}`));
  expectRefused(await run('bob', ['customstaking', 'withdraw', '--val-addr', second, '--amount', '1000ukex']), 'customstaking', 25, /\d+ seconds remaining/);

  // The genesis validator deposits and so fixes its withdraw account (wd); it cannot be replaced.
  expect((await run('validator', ['customstaking', 'deposit', '--amount', '3000ukex', '--withdraw-account', chain.addr.wd])).tx_result.code).toBe(0);
  expectRefused(await run('validator', ['customstaking', 'deposit', '--amount', '1ukex', '--withdraw-account', chain.addr.alice]), 'customstaking', 23, /fixed/);
  expect(await query(chain, ['customstaking', 'validator', '--addr', chain.addr.validator])).toMatchObject({ deposit: '3000', withdraw_account: chain.addr.wd });

  // alice delegates to both; rewards accrue block by block on the validator that signs.
  const aliceStart = await balance('alice');
  const d1 = await run('alice', ['multistaking', 'delegate', val, '1000000ukex']);
  expect(d1.tx_result.code).toBe(0);
  // Undelegation waits MIN_DELEGATION_PERIOD after the latest delegation: refused with the seconds left.
  expectRefused(await run('alice', ['multistaking', 'undelegate', val, '400000ukex']), 'multistaking', 9, /\d+ seconds remaining/);
  expect((await run('alice', ['multistaking', 'delegate', second, '50000ukex'])).tx_result.code).toBe(0);
  const delegatedAt = await chainTime();
  expect(await query(chain, ['multistaking', 'vault', val])).toMatchObject({ vault: { total_assets: '1000000', delegators: '1' } });
  const accrued = await until('alice to accrue rewards', async () => {
    const r = await query<RewardsJson>(chain, ['multistaking', 'rewards', chain.addr.alice]);
    return BigInt(r.total) > 0n ? r : undefined;
  });
  expect(accrued.rewards?.find((x) => x.val_key === val)?.amount).not.toBe('0');
  const delegations = await query<{ delegations: { val_key: string; amount: string }[] }>(chain, ['multistaking', 'delegations', chain.addr.alice]);
  expect(delegations.delegations.map((x) => [x.val_key, x.amount]).sort()).toEqual([[second, '50000'], [val, '1000000']].sort());

  // Claims: the rewards go to alice's balance.
  const beforeClaim = await balance('alice');
  const claimed = await run('alice', ['multistaking', 'claim-rewards']);
  expect(claimed.tx_result.code).toBe(0);
  const paid = claimed.tx_result.events.filter((e) => e.type === 'claim_rewards').map((e) => BigInt(e.attributes.find((a) => a.key === 'amount')!.value.replace('ukex', '')));
  expect(paid.reduce((s, x) => s + x, 0n)).toBeGreaterThan(0n);
  expect(await balance('alice')).toBe(beforeClaim - 100n + paid.reduce((s, x) => s + x, 0n));
  // Someone who never delegated has nothing to claim.
  expectRefused(await run('bob', ['multistaking', 'claim-rewards']), 'multistaking', 12, /no accrued rewards/);

  // Commission goes only to the withdraw account, not to the operator.
  expectRefused(await run('validator', ['multistaking', 'claim-commission', '--val-addr', val]), 'multistaking', 11, new RegExp(`only to ${chain.addr.wd}`));
  const wdBefore = await balance('wd');
  const commission = await run('wd', ['multistaking', 'claim-commission', '--val-addr', val]);
  expect(commission.tx_result.code).toBe(0);
  const got = BigInt(commission.tx_result.events.find((e) => e.type === 'claim_commission')!.attributes.find((a) => a.key === 'amount')!.value.replace('ukex', ''));
  expect(got).toBeGreaterThan(0n);
  expect(await balance('wd')).toBe(wdBefore - 100n + got);

  // By bob, after the period, only what is deposited.
  await until('MIN_DELEGATION_PERIOD to pass', async () => ((await chainTime()) > Math.max(depositedAt, delegatedAt) + PERIOD + 1 ? true : undefined), 120_000, 500);
  expectRefused(await run('bob', ['customstaking', 'withdraw', '--val-addr', second, '--amount', '6000ukex']), 'customstaking', 27, /withdrawable/);
  const bobBefore = await balance('bob');
  expect((await run('bob', ['customstaking', 'withdraw', '--val-addr', second, '--amount', '2000ukex'])).tx_result.code).toBe(0);
  expect(await balance('bob')).toBe(bobBefore - 100n + 2000n);
  expect(await query(chain, ['customstaking', 'validator', '--addr', chain.addr.second])).toMatchObject({ deposit: '3000' });

  // After the period alice takes part of her delegation back; asking for more than she has is refused.
  expectRefused(await run('alice', ['multistaking', 'undelegate', second, '50001ukex']), 'multistaking', 10, /delegated 50000ukex/);
  const beforeUndelegate = await balance('alice');
  expect((await run('alice', ['multistaking', 'undelegate', val, '400000ukex'])).tx_result.code).toBe(0);
  expect(await balance('alice')).toBe(beforeUndelegate - 100n + 400000n);
  expect(await query(chain, ['multistaking', 'vault', val])).toMatchObject({ vault: { total_assets: '600000' } });
  // Everything alice did cost fees and moved ukex into and out of vaults, and earned rewards.
  expect(await balance('alice')).toBeGreaterThan(aliceStart - 1_050_000n + 400_000n - 1_000n);
  const pool = await query<{ pool: { minted: string } }>(chain, ['multistaking', 'pool']);
  expect(BigInt(pool.pool.minted)).toBeGreaterThan(0n);
});

it('exports the chain, and a node started from that genesis keeps every vault, delegation, deposit and reward', async () => {
  const [val, second] = [valoper('validator'), valoper('second')];
  // second never signs (the node holds only the genesis key): once INACTIVE it leaves the
  // validator set, and the exported set is one the imported node signs alone.
  await until('second to go INACTIVE', async () => ((await query(chain, ['customstaking', 'validator', '--addr', chain.addr.second])).status === 'INACTIVE' ? true : undefined), 120_000, 500);
  const out = Number((await rpc<{ block: { header: { height: string } } }>(chain, 'block')).block.header.height);
  await until('the set without second to be committed', async () => ((await rpc<{ validators: unknown[] }>(chain, `validators?height=${out + 2}`).catch(() => undefined))?.validators.length === 1 ? true : undefined), 60_000, 300);
  const before = {
    vaults: await query(chain, ['multistaking', 'vaults']),
    alice: await query<{ delegations: { val_key: string; amount: string; delegation: { shares: string; last_delegated_at: string } }[] }>(chain, ['multistaking', 'delegations', chain.addr.alice]),
  };
  await chain.stop(true);
  const docFile = join(chain.home, 'exported.json');
  await ok(['export', '--home', chain.home, '--output-document', docFile]);
  const doc = JSON.parse(readFileSync(docFile, 'utf8'));
  expect(doc.app_state.multistaking.vaults).toHaveLength(2);

  // A new home for the same validator key, with the exported document as its genesis.
  const home = tempDir('sekai-economics-import-');
  let node: NodeProcess | undefined;
  try {
    await ok(['init', 'imported', '--chain-id', chain.chainId, '--home', home]);
    writeFileSync(join(home, 'config', 'genesis.json'), JSON.stringify(doc, null, 2));
    copyFileSync(join(chain.home, 'config', 'priv_validator_key.json'), join(home, 'config', 'priv_validator_key.json'));
    const started = await startEmbedded(home);
    node = started.node;
    // The keys stay in the old home's keyring; lines go to the new node.
    const imported: Chain = { ...chain, node: started.rpc };
    const ask = <T = any>(args: string[]) => query<T>(imported, args);
    await until('the imported chain to make blocks', async () => (Number((await rpc<{ block: { header: { height: string } } }>(imported, 'block')).block.header.height) > Number(doc.initial_height) ? true : undefined));

    // Shares, amounts and locks are what the old chain had; rewards only grew.
    const vaults = await ask<{ vaults: { val_key: string; total_shares: string; total_assets: string; delegators: string }[] }>(['multistaking', 'vaults']);
    const pick = (v: { vaults: { val_key: string; total_shares: string; total_assets: string; delegators: string }[] }) => v.vaults.map((x) => [x.val_key, x.total_shares, x.total_assets, x.delegators]);
    expect(pick(vaults)).toEqual(pick(before.vaults));
    const alice = await ask<typeof before.alice>(['multistaking', 'delegations', chain.addr.alice]);
    const view = (d: typeof before.alice) => d.delegations.map((x) => [x.val_key, x.amount, x.delegation.shares, x.delegation.last_delegated_at]);
    expect(view(alice)).toEqual(view(before.alice));
    expect(await ask(['customstaking', 'validator', '--addr', chain.addr.second])).toMatchObject({ deposit: '3000', withdraw_account: chain.addr.bob });
    expect(await ask(['customstaking', 'validator', '--addr', chain.addr.validator])).toMatchObject({ deposit: '3000', withdraw_account: chain.addr.wd });

    // The chain continues: rewards accrue and are claimed, the old locks have passed, commission is wd's alone.
    await until('alice to accrue rewards on the imported chain', async () => {
      const r = await ask<RewardsJson>(['multistaking', 'rewards', chain.addr.alice]);
      return BigInt(r.total) > 0n ? r : undefined;
    });
    const run2 = async (from: string, args: string[]) => waitTx(imported, txHash(await tx(imported, from, args)));
    expect((await run2('alice', ['multistaking', 'claim-rewards'])).tx_result.code).toBe(0);
    expect((await run2('alice', ['multistaking', 'undelegate', second, '50000ukex'])).tx_result.code).toBe(0);
    expectRefused(await run2('validator', ['multistaking', 'claim-commission', '--val-addr', val]), 'multistaking', 11, new RegExp(`only to ${chain.addr.wd}`));
    // wd passes the withdraw-account check; with commission rate 0 and a delegator, nothing accrued since the export's claim.
    expectRefused(await run2('wd', ['multistaking', 'claim-commission', '--val-addr', val]), 'multistaking', 12, /no accrued commission/);
    expect((await ask<{ delegations: unknown[] }>(['multistaking', 'delegations', chain.addr.alice])).delegations).toHaveLength(1);
  } finally {
    await node?.stop();
    removeDir(home);
  }
});
