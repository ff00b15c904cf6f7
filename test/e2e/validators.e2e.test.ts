/**
 * Validator operations end to end (KIRA issue 6), through the real CLI and the embedded
 * node: a second validator claims a seat, never signs (the embedded engine holds only the
 * genesis key) and goes INACTIVE once its mischance passes MAX_MISCHANCE after
 * MISCHANCE_CONFIDENCE; the genesis validator pauses and unpauses within MIN_VALIDATORS,
 * and a pause that would leave too few ACTIVE validators is refused; the inactive
 * validator activates again. Every status is read with `query customstaking validator`.
 */
import { writeFileSync } from 'node:fs';
import { consensusPubKeyJson, latestHeight, query, startChain, tx, txHash, until, waitTx, type Chain } from './workflowChain';

jest.setTimeout(240_000);

let chain: Chain;

interface ValidatorJson {
  status: string;
  rank: string;
  streak: string;
  power: string;
  moniker: string;
}

const validator = (addr: string, height?: number) =>
  query<ValidatorJson>(chain, ['customstaking', 'validator', '--addr', addr, ...(height === undefined ? [] : ['--height', String(height)])]);

/** Sends an operator line in async mode and returns the included tx's result. */
async function operate(from: string, args: string[]) {
  return waitTx(chain, txHash(await tx(chain, from, args)));
}

beforeAll(async () => {
  chain = await startChain({
    chainId: 'sekai-validators-1',
    keys: ['validator', 'second'],
    properties: [
      ['MIN_VALIDATORS', '1'],
      // The inactive validator may activate one second after it was inactivated.
      ['DOWNTIME_INACTIVE_DURATION', '1'],
    ],
    permissions: [['second', 'PERMISSION_CLAIM_VALIDATOR']],
    blockTime: '50ms',
  });
});

afterAll(async () => {
  if (process.env.WORKFLOW_LOG) writeFileSync(process.env.WORKFLOW_LOG, chain?.log() ?? '');
  await chain?.stop();
});

it('claims, inactivates, pauses, unpauses and activates validators as the operator scripts do', async () => {
  const first = chain.addr.validator;
  const second = chain.addr.second;
  expect(await validator(first)).toMatchObject({ status: 'ACTIVE', power: '1', moniker: 'validator-moniker' });

  // A second seat with its own consensus key (the home's key belongs to the first).
  const claim = await operate('second', ['customstaking', 'claim-validator-seat', '--moniker', 'second', '--pubkey', consensusPubKeyJson()]);
  expect(claim.tx_result.code).toBe(0);
  const joined = Number(claim.height);
  expect(await validator(second)).toMatchObject({ status: 'ACTIVE', power: '1', moniker: 'second' });

  // Two ACTIVE, MIN_VALIDATORS 1: the first may pause, and unpause.
  const pause = await operate('validator', ['customslashing', 'pause']);
  expect(pause.tx_result.code).toBe(0);
  expect(await validator(first)).toMatchObject({ status: 'PAUSED', power: '0' });
  const unpause = await operate('validator', ['customslashing', 'unpause']);
  expect(unpause.tx_result.code).toBe(0);
  expect(await validator(first)).toMatchObject({ status: 'ACTIVE', power: '1' });

  // The second never signs: INACTIVE after MISCHANCE_CONFIDENCE (10) + MAX_MISCHANCE (110) + 1 missed blocks.
  await until('the second validator to go INACTIVE', async () => ((await validator(second)).status === 'INACTIVE' ? true : undefined), 120_000, 500);
  // The first height at which it reads INACTIVE, by bisection over committed versions.
  let [lo, hi] = [joined, await latestHeight(chain)];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await validator(second, mid))?.status === 'INACTIVE') hi = mid;
    else lo = mid;
  }
  const inactiveAt = hi;
  expect(inactiveAt - joined).toBeGreaterThanOrEqual(121);
  expect(await validator(second, inactiveAt)).toMatchObject({ status: 'INACTIVE', power: '0', streak: '0' });

  // Now the first is the only ACTIVE validator: pausing it would break MIN_VALIDATORS.
  const refused = await operate('validator', ['customslashing', 'pause']);
  expect(refused.tx_result.codespace).toBe('customslashing');
  expect(refused.tx_result.code).not.toBe(0);
  expect(refused.tx_result.log).toMatch(/MIN_VALIDATORS is 1/);
  expect(await validator(first)).toMatchObject({ status: 'ACTIVE', power: '1' });

  // DOWNTIME_INACTIVE_DURATION (1 s) has passed: the second activates.
  const activate = await operate('second', ['customslashing', 'activate']);
  expect(activate.tx_result.code).toBe(0);
  const back = await validator(second, Number(activate.height));
  expect(back).toMatchObject({ status: 'ACTIVE', power: '1' });
});
