/**
 * MigrateContract as an admin proposal through signed txs: approved by two of the three
 * groups, it enters the history and becomes the chain's next action; once approvers and
 * the processor sign it and the listeners report it executed, the chain records the
 * contract's new code (and a revert of that report restores the old one).
 */
import { ActionStatus } from '../../proto/gen/sekai/bridge/v1/bridge';
import { BridgeErrors as E, actionPayload, adminBytes, proveValidatorSet, signBridgeBytes } from '../../x/bridge';
import { CHAIN_ID, msg, type BridgeApp, type BridgeChain, type Key } from './helpers';
import { A, L, closeBridgeApp, openScenario, outsider, views } from './scenario';

let n: BridgeApp;
let chain: BridgeChain;

beforeEach(async () => {
  ({ n, chain } = await openScenario());
});

afterEach(async () => {
  await closeBridgeApp(n);
});

const { chainState, actions, proposals, history, config, attestBy, approveAction, processorApprove, revertBy } = views(() => chain);

const payload = { migrateContract: { chain: 'ethereum', newCode: 'bridge-code-v2' } };
const sign = (k: Key, p: Parameters<typeof adminBytes>[2] = payload) => signBridgeBytes(k.priv, adminBytes(CHAIN_ID, BigInt(history().length), p));

test('a MigrateContract proposal approved by listeners and approvers migrates the chain contract', async () => {
  const unknown = { migrateContract: { chain: 'cosmoshub', newCode: 'x' } };
  await chain.refuse(L[0], [msg.propose(L[0], unknown, sign(L[0], unknown), chain.nextMs())], E.ErrUnknownChain);
  await chain.refuse(outsider, [msg.propose(outsider, payload, sign(outsider), chain.nextMs())], E.ErrNotValidator);
  await chain.ok([L[0], [msg.propose(L[0], payload, sign(L[0]), chain.nextMs())]]);
  // One listener and one approver: neither group has its quorum.
  await chain.ok([A[0], [msg.approveAdmin(A[0], 0n, sign(A[0]), chain.nextMs())]]);
  expect(proposals()).toHaveLength(1);
  expect(actions('ethereum').actions).toEqual([]);
  // The second listener completes one group: still one of three.
  await chain.ok([L[1], [msg.approveAdmin(L[1], 0n, sign(L[1]), chain.nextMs())]]);
  expect(proposals()).toHaveLength(1);
  // The second approver completes the second group: approved.
  await chain.ok([A[1], [msg.approveAdmin(A[1], 0n, sign(A[1]), chain.nextMs())]]);
  expect(proposals()).toEqual([]);
  const h = history();
  expect(h).toHaveLength(2);
  expect(h[1].approved).toEqual(payload);
  expect(h[1].approvals).toHaveLength(4);
  // A migration leaves the set as it was, and the history still proves it.
  expect(proveValidatorSet(CHAIN_ID, h)).toEqual(config().validatorSet);

  // The migration is the chain's next action, with its documented payload.
  const [a] = actions('ethereum').actions;
  expect(a.body).toEqual({ migrate: payload.migrateContract });
  expect(Buffer.from(a.payload)).toEqual(Buffer.from(actionPayload({ chainId: CHAIN_ID, chain: 'ethereum', contract: '0xbridge', actionId: 0n }, a.body!)));
  expect(actions('solana').actions).toEqual([]);
  expect(chainState('ethereum').contractCode).toBe('');

  // Signed by approvers and the processor, run by the contract, reported by listeners.
  await approveAction('ethereum', 0n, [A[0], A[2]]);
  await processorApprove('ethereum', 0n);
  await attestBy([L[0], L[2]], 'ethereum', 0n, { actionExecuted: { actionId: 0n } });
  expect(actions('ethereum').actions[0].status).toBe(ActionStatus.ACTION_STATUS_EXECUTED);
  expect(chainState('ethereum').contractCode).toBe('bridge-code-v2');
  expect(chainState('ethereum').config!.contract).toBe('0xbridge'); // migrated in place

  // The report vanished from the external chain: the revert restores the old code.
  await revertBy([L[0], L[1]], 'ethereum', 0n);
  expect(chainState('ethereum').contractCode).toBe('');
  expect(actions('ethereum').actions[0].status).toBe(ActionStatus.ACTION_STATUS_PENDING);
});
