/**
 * Validator deposits with a separate withdraw account (Kroma validator system v2), on the
 * whole app: each of Kroma's withdraw rules refuses with its own code and changes nothing.
 */
import { EconChain } from '../../test/economics/chain';
import { claimValidatorMsg, depositMsg, withdrawMsg } from './cli';
import { STAKING_CODESPACE } from './types/errors';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { addressToBech32 } from '../../crypto/address';
import { moduleAddress } from '../accountid';
import { activateMsg } from '../customslashing/cli';
import { DEPOSIT_ACCOUNT } from './keeper';

const DAY = 86_400;
const any = (m: { typeUrl: string; value: Uint8Array }): Any => ({ typeUrl: m.typeUrl, value: m.value });

describe('validator deposits and the withdraw account', () => {
  let c: EconChain;
  afterEach(async () => c?.close());

  async function chain(props: Record<string, string> = {}): Promise<EconChain> {
    c = await EconChain.open({ operators: 3, seated: 1, users: 2, properties: { min_validator_deposit: '1000', min_delegation_period: String(7 * DAY), ...props } });
    await c.block();
    return c;
  }

  function validator(valAddr: string) {
    return c.s.keepers.staking.validators(c.readContext()).find((v) => v.address === c.ops.find((o) => o.valAddr === valAddr)!.address)!;
  }

  it('claims a seat with a deposit and a withdraw account; refuses one below the minimum or without a withdraw account', async () => {
    await chain();
    const [, op] = c.ops;
    const [withdrawer] = c.users;
    let r = await c.deliver(op, [any(claimValidatorMsg(op.address, 'low', op.consPub, '0.1', '999', withdrawer.address))]);
    expect([r.codespace, r.code]).toEqual([STAKING_CODESPACE, 21]);
    expect(r.log).toContain('MIN_VALIDATOR_DEPOSIT is 1000ukex');
    r = await c.deliver(op, [any(claimValidatorMsg(op.address, 'nowd', op.consPub, '0.1', '1000', ''))]);
    expect([r.codespace, r.code]).toEqual([STAKING_CODESPACE, 22]);
    expect(validator(op.valAddr)).toBeUndefined();
    const before = c.balance(op.address);
    r = await c.deliver(op, [any(claimValidatorMsg(op.address, 'ok', op.consPub, '0.1', '1500ukex', withdrawer.address))]);
    expect(r.code).toBe(0);
    const v = validator(op.valAddr);
    expect(v.deposit).toBe('1500');
    expect(v.withdrawAccount).toBe(withdrawer.address);
    expect(v.lastDepositedAt).toBe(BigInt(c.now));
    expect(before - c.balance(op.address)).toBe(1500n + 100n); // deposit + fee
    expect(c.balance(addressToBech32('account', moduleAddress(DEPOSIT_ACCOUNT)))).toBe(1500n);
    expect(c.invariants()).toEqual([]);
  });

  it('withdraws only by the withdraw account, after the period, not while jailed, and only the unbonded part', async () => {
    await chain();
    const [, op, op2] = c.ops;
    const [withdrawer, stranger] = c.users;
    // Validator 0 has no deposit and leaves the ACTIVE set once another can keep it running.
    expect((await c.deliver(op2, [any(claimValidatorMsg(op2.address, 'v2', op2.consPub, '0', '1000', stranger.address))])).code).toBe(0);
    expect((await c.deliver(op, [any(claimValidatorMsg(op.address, 'v1', op.consPub, '0', '3000', withdrawer.address))])).code).toBe(0);
    const depositedAt = c.now;

    // The validator key itself cannot withdraw, nor can anyone else.
    let r = await c.deliver(op, [any(withdrawMsg(op.address, op.valAddr, '10'))]);
    expect([r.codespace, r.code]).toEqual([STAKING_CODESPACE, 24]);
    expect(r.log).toContain(`pays out only to ${withdrawer.address}`);
    r = await c.deliver(stranger, [any(withdrawMsg(stranger.address, op.valAddr, '10'))]);
    expect(r.code).toBe(24);

    // Before MIN_DELEGATION_PERIOD: refused with the time left.
    r = await c.deliver(withdrawer, [any(withdrawMsg(withdrawer.address, op.valAddr, '10'))]);
    expect([r.codespace, r.code]).toEqual([STAKING_CODESPACE, 25]);
    expect(r.log).toContain(`${depositedAt + 7 * DAY - c.now} seconds remaining`);

    // After it: the bonded part (MIN_VALIDATOR_DEPOSIT while ACTIVE) stays.
    await c.block([], { dt: 7 * DAY });
    r = await c.deliver(withdrawer, [any(withdrawMsg(withdrawer.address, op.valAddr, '2001'))]);
    expect([r.codespace, r.code]).toEqual([STAKING_CODESPACE, 27]);
    expect(r.log).toContain('withdrawable 2000ukex of 3000ukex');
    const before = c.balance(withdrawer.address);
    r = await c.deliver(withdrawer, [any(withdrawMsg(withdrawer.address, op.valAddr, '2000'))]);
    expect(r.code).toBe(0);
    expect(c.balance(withdrawer.address) - before).toBe(2000n - 100n);
    expect(validator(op.valAddr).deposit).toBe('1000');
    expect(r.events.some((e) => e.type === 'validator_withdraw')).toBe(true);

    // A new deposit restarts the wait.
    r = await c.deliver(op, [any(depositMsg(op.address, '500'))]);
    expect(r.code).toBe(0);
    r = await c.deliver(withdrawer, [any(withdrawMsg(withdrawer.address, op.valAddr, '1'))]);
    expect(r.code).toBe(25);

    // Jailed: refused even after the period.
    await c.block([], { dt: 7 * DAY, doubleSigners: [op.consAddr] });
    expect(validator(op.valAddr).status).toBe(4);
    r = await c.deliver(withdrawer, [any(withdrawMsg(withdrawer.address, op.valAddr, '1'))]);
    expect([r.codespace, r.code]).toEqual([STAKING_CODESPACE, 26]);
    expect(r.log).toMatch(/seconds of jail remaining/);
    expect(validator(op.valAddr).deposit).toBe('1500');
    expect(c.invariants()).toEqual([]);
  });

  it('keeps the withdraw account fixed; a seat without one sets it with its first deposit', async () => {
    await chain({ min_validator_deposit: '0' });
    const [, op, op2] = c.ops;
    const [w1, w2] = c.users;
    expect((await c.deliver(op, [any(claimValidatorMsg(op.address, 'a', op.consPub, '0', '100', w1.address))])).code).toBe(0);
    let r = await c.deliver(op, [any(depositMsg(op.address, '100', w2.address))]);
    expect([r.codespace, r.code]).toEqual([STAKING_CODESPACE, 23]);
    // Today's behaviour with minimum 0: a seat with no deposit and no withdraw account.
    expect((await c.deliver(op2, [any(claimValidatorMsg(op2.address, 'b', op2.consPub))])).code).toBe(0);
    r = await c.deliver(op2, [any(depositMsg(op2.address, '100'))]);
    expect(r.code).toBe(22);
    r = await c.deliver(op2, [any(depositMsg(op2.address, '100', w2.address))]);
    expect(r.code).toBe(0);
    expect(validator(op2.valAddr).withdrawAccount).toBe(w2.address);
  });

  it('a validator below the minimum cannot become or stay ACTIVE', async () => {
    await chain({ min_validator_deposit: '0' });
    const [, op] = c.ops;
    const [w] = c.users;
    expect((await c.deliver(op, [any(claimValidatorMsg(op.address, 'a', op.consPub, '0', '100', w.address))])).code).toBe(0);
    // Governance raises the minimum: the seat falls INACTIVE at the end of the block.
    // Validator 0 (no deposit) stays: the last ACTIVE validator is never removed.
    await c.setProperty('MIN_VALIDATOR_DEPOSIT', '500');
    expect(validator(op.valAddr).status).toBe(2);
    expect(c.s.keepers.staking.validators(c.readContext()).filter((v) => v.status === 1)).toHaveLength(1);
    // Activating needs the deposit first.
    await c.block([], { dt: 700 });
    let r = await c.deliver(op, [any(activateMsg(op.address))]);
    expect([r.codespace, r.code]).toEqual([STAKING_CODESPACE, 21]);
    expect(r.log).toContain('deposit 400ukex more first');
    expect((await c.deliver(op, [any(depositMsg(op.address, '400'))])).code).toBe(0);
    r = await c.deliver(op, [any(activateMsg(op.address))]);
    expect(r.code).toBe(0);
    expect(validator(op.valAddr).status).toBe(1);
  });
});
