/**
 * x/bridge through the app's ABCI methods with real signed txs: a 3-listener (2
 * needed), 3-approver (2 needed) bridge over two external chains. Deposits, ordering,
 * the withdrawal queue, approvals, hard override, event revert, admin proposals and
 * the provable history; every refusal has its own code and leaves the bridge store as
 * it was.
 */
import { ActionStatus, EventStatus, Role, type ValidatorSet } from '../../proto/gen/sekai/bridge/v1/bridge';
import { readChainVersion, RUNTIME_STORE } from '../../runtime/upgrade';
import {
  BridgeErrors as E,
  actionPayload,
  adminBytes,
  proveValidatorSet,
  selfReplaceBytes,
  signBridgeBytes,
  sortKeys,
  walletHomeAddress,
} from '../../x/bridge';
import { addressToBech32 } from '../../crypto/address';
import { bridgeGenesis } from '../../x/bridge/genesis';
import { BridgeChain, CHAIN_ID, genesis, key, msg, openBridgeApp, type BridgeApp, type Key } from './helpers';
import { A, L, P, U, V, WALLET_U, WALLET_V, closeBridgeApp, deposit, openScenario, outsider, views } from './scenario';

let n: BridgeApp;
let chain: BridgeChain;

beforeEach(async () => {
  ({ n, chain } = await openScenario());
});

afterEach(async () => {
  await closeBridgeApp(n);
});

const { chainState, events, actions, queue, config, proposals, history, balanceOf, attestBy, payloadOf, approveAction } = views(() => chain);

describe('deposits, ordering and withdrawals', () => {
  test('events wait for quorum in id order; deposits create accounts whose keys sign; refusals have their own codes', async () => {
    const ev0 = deposit(WALLET_U, [['usdc', '1000'], ['wkex', '50000'], ['doge', '7']], [U]);
    const ev1 = deposit(WALLET_V, [['usdc', '300']], [V]);
    // Event 0 by one listener only; event 1 by two: ready, but it waits behind event 0.
    await chain.ok([L[0], [msg.attest(L[0], 'ethereum', 0n, ev0, chain.nextMs()), msg.attest(L[0], 'ethereum', 1n, ev1, chain.nextMs())]]);
    await attestBy([L[1]], 'ethereum', 1n, ev1);
    expect(chainState('ethereum').nextProcessId).toBe(0n);
    expect(events('ethereum').events.map((e) => e.status)).toEqual([EventStatus.EVENT_STATUS_PENDING, EventStatus.EVENT_STATUS_PENDING]);
    expect(chain.balance(WALLET_V, 'uusdc')).toBe(0n);

    // Refusals, each with its own code and no change to the bridge store.
    await chain.refuse(outsider, [msg.attest(outsider, 'ethereum', 0n, ev0, chain.nextMs())], E.ErrNotListener);
    await chain.refuse(A[0], [msg.attest(A[0], 'ethereum', 0n, ev0, chain.nextMs())], E.ErrNotListener);
    await chain.refuse(L[1], [msg.attest(L[1], 'ethereum', 5n, ev0, chain.nextMs())], E.ErrWrongEventId);
    await chain.refuse(L[1], [msg.attest(L[1], 'ethereum', 0n, deposit(WALLET_U, [['usdc', '1000000']], [U]), chain.nextMs())], E.ErrConflictingAttestation);
    await chain.refuse(L[0], [msg.attest(L[0], 'ethereum', 0n, ev0, chain.nextMs())], E.ErrDuplicateAttestation);
    await chain.refuse(L[1], [msg.attest(L[1], 'ethereum', 0n, ev0, chain.nextMs() + 121_000n)], E.ErrTimestampInFuture);
    await chain.refuse(L[1], [msg.attest(L[1], 'ethereum', 0n, ev0, chain.nextMs() - 121_000n)], E.ErrTimestampInPast);
    await chain.refuse(L[1], [msg.attest(L[1], 'nowhere', 0n, ev0, chain.nextMs())], E.ErrUnknownChain);
    // Within the 2-minute window is fine.
    await chain.ok([L[1], [msg.attest(L[1], 'ethereum', 0n, ev0, chain.nextMs() - 119_000n)]]);

    // Event 0 reached quorum, so both ran, in order.
    const cs = chainState('ethereum');
    expect(cs.nextProcessId).toBe(2n);
    const evs = events('ethereum').events;
    expect(evs.map((e) => e.status)).toEqual([EventStatus.EVENT_STATUS_PROCESSED, EventStatus.EVENT_STATUS_PROCESSED]);
    expect(evs[0].unclaimed).toEqual([{ denom: 'doge', amount: '7' }]);
    expect(evs[1].accountId).toBe(evs[0].accountId + 1n);
    expect(chain.balance(WALLET_U, 'uusdc')).toBe(1000n);
    expect(chain.balance(WALLET_U, 'ukex')).toBe(50000n);
    expect(chain.balance(U.address, 'uusdc')).toBe(1000n); // the registered key's address resolves to the account
    expect(chain.balance(addressToBech32('account', walletHomeAddress(WALLET_U)), 'uusdc')).toBe(1000n);
    expect(balanceOf('ethereum', 'uusdc')).toBe(1300n);
    // A late attestation of a processed event is refused.
    await chain.refuse(L[2], [msg.attest(L[2], 'ethereum', 0n, ev0, chain.nextMs())], E.ErrWrongEventId);

    // The deposited key signs: U withdraws to ethereum (covered) → action 0.
    await chain.ok([U, [msg.withdraw(U, 'ethereum', 'uusdc', '0xdest', '100')]]);
    expect(chain.balance(U.address, 'uusdc')).toBe(900n);
    expect(balanceOf('ethereum', 'uusdc')).toBe(1200n);
    expect(actions('ethereum').actions.map((a) => a.body!.transfer!.amount)).toEqual(['100']);
    await chain.refuse(U, [msg.withdraw(U, 'ethereum', 'uatom', '0xdest', '1')], E.ErrUnknownAsset);

    // Solana holds no usdc yet: U's withdrawal there waits in the queue (already burned).
    const supplyBefore = chain.supply('uusdc');
    await chain.ok([U, [msg.withdraw(U, 'solana', 'uusdc', 'SoDest', '600')]]);
    expect(chain.supply('uusdc')).toBe(supplyBefore - 600n);
    expect(queue('solana').map((w) => w.amount)).toEqual(['600']);
    expect(actions('solana').actions).toEqual([]);
    // A second, smaller one queues behind it (FIFO), even though it would fit later.
    await chain.ok([U, [msg.withdraw(U, 'solana', 'uusdc', 'SoDest2', '50')]]);
    expect(queue('solana').map((w) => w.amount)).toEqual(['600', '50']);

    // A deposit on solana of 620 releases the head (600) but not the next (50 > 20).
    await attestBy([L[0], L[2]], 'solana', 0n, deposit(WALLET_V, [['usdc', '620']], []));
    expect(queue('solana').map((w) => w.amount)).toEqual(['50']);
    expect(actions('solana').actions.map((a) => [a.actionId, a.body!.transfer!.destWallet])).toEqual([[0n, 'SoDest']]);
    expect(balanceOf('solana', 'uusdc')).toBe(20n);
    // A listener-attested balance sync (holdings 700 = 600 reserved + 100 free) releases it.
    await attestBy([L[0], L[1]], 'solana', 1n, { balanceSync: { holdings: [{ denom: 'usdc', amount: '700' }] } });
    expect(queue('solana')).toEqual([]);
    expect(actions('solana').actions.map((a) => a.body!.transfer!.destWallet)).toEqual(['SoDest', 'SoDest2']);
    expect(balanceOf('solana', 'uusdc')).toBe(50n);

    // Approvals: quorum short, wrong signature, duplicate, order, not an approver.
    const p0 = payloadOf('solana', 0n);
    const p1 = payloadOf('solana', 1n);
    await approveAction('solana', 0n, [A[0]]);
    await chain.refuse(P, [msg.processorApprove(P, 'solana', 0n, signBridgeBytes(P.priv, p0), chain.nextMs())], E.ErrQuorumShort);
    await chain.refuse(A[1], [msg.approve(A[1], 'solana', 0n, signBridgeBytes(A[1].priv, p1), chain.nextMs())], E.ErrInvalidSignature);
    await chain.refuse(A[0], [msg.approve(A[0], 'solana', 0n, signBridgeBytes(A[0].priv, p0), chain.nextMs())], E.ErrDuplicateApproval);
    await chain.refuse(L[0], [msg.approve(L[0], 'solana', 0n, signBridgeBytes(L[0].priv, p0), chain.nextMs())], E.ErrNotApprover);
    await chain.refuse(A[1], [msg.approve(A[1], 'solana', 9n, signBridgeBytes(A[1].priv, p0), chain.nextMs())], E.ErrUnknownAction);
    await approveAction('solana', 0n, [A[1]]);
    await approveAction('solana', 1n, [A[0], A[2]]);
    await chain.refuse(P, [msg.processorApprove(P, 'solana', 1n, signBridgeBytes(P.priv, p1), chain.nextMs())], E.ErrProcessorOrder);
    await chain.refuse(A[0], [msg.processorApprove(A[0], 'solana', 0n, signBridgeBytes(A[0].priv, p0), chain.nextMs())], E.ErrNotProcessor);
    await chain.refuse(P, [msg.processorApprove(P, 'solana', 0n, signBridgeBytes(P.priv, p1), chain.nextMs())], E.ErrInvalidSignature);
    await chain.ok([P, [msg.processorApprove(P, 'solana', 0n, signBridgeBytes(P.priv, p0), chain.nextMs())]]);
    await chain.refuse(P, [msg.processorApprove(P, 'solana', 0n, signBridgeBytes(P.priv, p0), chain.nextMs())], E.ErrAlreadyProcessorApproved);
    await chain.ok([P, [msg.processorApprove(P, 'solana', 1n, signBridgeBytes(P.priv, p1), chain.nextMs())]]);
    expect(chainState('solana').nextProcessorApproval).toBe(2n);
    // The payload is the documented canonical bytes.
    expect(Buffer.from(p0)).toEqual(
      Buffer.from(actionPayload({ chainId: CHAIN_ID, chain: 'solana', contract: 'So1Bridge', actionId: 0n }, actions('solana').actions[0].body!)),
    );

    // Execution reports must come in action order: action 1 first cannot complete quorum.
    await attestBy([L[0]], 'solana', 2n, { actionExecuted: { actionId: 1n } });
    await chain.refuse(L[1], [msg.attest(L[1], 'solana', 2n, { actionExecuted: { actionId: 1n } }, chain.nextMs())], E.ErrActionOutOfOrder);
  });

  test('executed actions leave the pending set in order', async () => {
    await attestBy([L[0], L[1]], 'ethereum', 0n, deposit(WALLET_U, [['usdc', '1000'], ['wkex', '10000']], [U]));
    await chain.ok([U, [msg.withdraw(U, 'ethereum', 'uusdc', '0xa', '10')]]);
    await chain.ok([U, [msg.withdraw(U, 'ethereum', 'uusdc', '0xb', '20')]]);
    for (const id of [0n, 1n]) {
      await approveAction('ethereum', id, [A[1], A[2]]);
      await chain.ok([P, [msg.processorApprove(P, 'ethereum', id, signBridgeBytes(P.priv, payloadOf('ethereum', id)), chain.nextMs())]]);
    }
    await attestBy([L[1], L[2]], 'ethereum', 1n, { actionExecuted: { actionId: 0n } });
    await attestBy([L[1], L[2]], 'ethereum', 2n, { actionExecuted: { actionId: 1n } });
    expect(actions('ethereum').actions.map((a) => a.status)).toEqual([ActionStatus.ACTION_STATUS_EXECUTED, ActionStatus.ACTION_STATUS_EXECUTED]);
    expect(chainState('ethereum').firstPendingAction).toBe(2n);
    await chain.refuse(A[0], [msg.approve(A[0], 'ethereum', 0n, signBridgeBytes(A[0].priv, payloadOf('ethereum', 0n)), chain.nextMs())], E.ErrUnknownAction);
  });
});

describe('hard override and event revert', () => {
  beforeEach(async () => {
    await attestBy([L[0], L[1]], 'ethereum', 0n, deposit(WALLET_U, [['usdc', '1000'], ['wkex', '10000']], [U]));
    await attestBy([L[0], L[1]], 'ethereum', 1n, deposit(WALLET_V, [['usdc', '500'], ['wkex', '10000']], [V]));
  });

  test('skip refunds the stuck transfer; replace re-signs the same action id; only the lowest pending action', async () => {
    await chain.ok([U, [msg.withdraw(U, 'ethereum', 'uusdc', '0xbad', '400')]]);
    await chain.ok([V, [msg.withdraw(V, 'ethereum', 'uusdc', '0xv', '100')]]);
    expect(chain.balance(U.address, 'uusdc')).toBe(600n);
    await chain.refuse(L[0], [msg.proposeOverride(L[0], 'ethereum', 0n, true, undefined, chain.nextMs())], E.ErrNotApprover);
    await chain.refuse(A[0], [msg.proposeOverride(A[0], 'ethereum', 1n, true, undefined, chain.nextMs())], E.ErrNotStuckAction);
    await chain.ok([A[0], [msg.proposeOverride(A[0], 'ethereum', 0n, true, undefined, chain.nextMs())]]);
    await chain.refuse(P, [msg.confirmOverride(P, 'ethereum', 0n, chain.nextMs())], E.ErrQuorumShort);
    await chain.refuse(A[0], [msg.confirmOverride(A[0], 'ethereum', 0n, chain.nextMs())], E.ErrDuplicateApproval);
    await chain.refuse(A[1], [msg.confirmOverride(A[1], 'ethereum', 7n, chain.nextMs())], E.ErrUnknownOverride);
    await chain.ok([A[1], [msg.confirmOverride(A[1], 'ethereum', 0n, chain.nextMs())]]);
    expect(actions('ethereum').actions[0].status).toBe(ActionStatus.ACTION_STATUS_PENDING);
    await chain.ok([P, [msg.confirmOverride(P, 'ethereum', 0n, chain.nextMs())]]);
    expect(actions('ethereum').actions[0].status).toBe(ActionStatus.ACTION_STATUS_SKIPPED);
    expect(chain.balance(U.address, 'uusdc')).toBe(1000n);
    expect(balanceOf('ethereum', 'uusdc')).toBe(1400n);
    expect(chainState('ethereum').firstPendingAction).toBe(1n);

    // Replace action 1 (now the stuck one): new destination, approvals cleared, same id.
    await approveAction('ethereum', 1n, [A[0]]);
    const old = actions('ethereum').actions[1];
    const replacement = { transfer: { ...old.body!.transfer!, destWallet: '0xfixed' } };
    await chain.refuse(A[2], [msg.proposeOverride(A[2], 'ethereum', 1n, false, { transfer: { ...old.body!.transfer!, amount: '99' } }, chain.nextMs())], E.ErrInvalidProposal);
    await chain.ok([A[2], [msg.proposeOverride(A[2], 'ethereum', 1n, false, replacement, chain.nextMs())]]);
    await chain.ok([A[1], [msg.confirmOverride(A[1], 'ethereum', 1n, chain.nextMs())]]);
    await chain.ok([P, [msg.confirmOverride(P, 'ethereum', 1n, chain.nextMs())]]);
    const now = actions('ethereum').actions[1];
    expect(now.actionId).toBe(1n);
    expect(now.body!.transfer!.destWallet).toBe('0xfixed');
    expect(now.approvals).toEqual([]);
    expect(now.replaced).toBe(1);
    expect(Buffer.from(now.payload)).not.toEqual(Buffer.from(old.payload));
    expect(chain.balance(V.address, 'uusdc')).toBe(400n); // the replacement still pays V's withdrawal
  });

  test('revert burns what is left and records the shortfall; the next event id rolls back', async () => {
    // V spends 200 of the 500 the reverted deposit gave it.
    await chain.ok([V, [msg.send(V, U.address, 'uusdc', '200')]]);
    const supply = chain.supply('uusdc');
    await chain.refuse(L[0], [msg.revert(L[0], 'ethereum', 0n, chain.nextMs())], E.ErrRevertNotLast);
    await chain.refuse(L[0], [msg.revert(L[0], 'ethereum', 2n, chain.nextMs())], E.ErrUnknownEvent);
    await chain.refuse(A[0], [msg.revert(A[0], 'ethereum', 1n, chain.nextMs())], E.ErrNotListener);
    await chain.ok([L[0], [msg.revert(L[0], 'ethereum', 1n, chain.nextMs())]]);
    await chain.refuse(L[0], [msg.revert(L[0], 'ethereum', 1n, chain.nextMs())], E.ErrDuplicateVote);
    await chain.refuse(P, [msg.revert(P, 'ethereum', 1n, chain.nextMs())], E.ErrQuorumShort);
    await chain.ok([L[2], [msg.revert(L[2], 'ethereum', 1n, chain.nextMs())]]);
    expect(chainState('ethereum').nextEventId).toBe(2n);
    await chain.ok([P, [msg.revert(P, 'ethereum', 1n, chain.nextMs())]]);

    const cs = chainState('ethereum');
    expect(cs.nextEventId).toBe(1n);
    expect(cs.nextProcessId).toBe(1n);
    expect(chain.balance(V.address, 'uusdc')).toBe(0n);
    expect(chain.supply('uusdc')).toBe(supply - 300n);
    const ev = events('ethereum');
    expect(ev.events.map((e) => e.eventId)).toEqual([0n]);
    expect(ev.reverted).toHaveLength(1);
    expect(ev.reverted[0].status).toBe(EventStatus.EVENT_STATUS_REVERTED);
    // V paid the send's 200ukex fee out of the deposit's wkex too: both are short.
    expect(ev.reverted[0].shortfall).toEqual([
      { denom: 'ukex', amount: '200' },
      { denom: 'uusdc', amount: '200' },
    ]);
    expect(balanceOf('ethereum', 'uusdc')).toBe(1000n);
    // The id is free again: the chain's real event 1 can be attested.
    await attestBy([L[1], L[2]], 'ethereum', 1n, deposit(WALLET_V, [['usdc', '5']], []));
    expect(chain.balance(V.address, 'uusdc')).toBe(5n);
  });
});

describe('admin proposals', () => {
  const newKeys = [key('new-listener-0'), key('new-listener-1')];
  const newSet = (): ValidatorSet => ({
    processor: Buffer.from(P.pub),
    listeners: sortKeys([L[0].pub, newKeys[0].pub, newKeys[1].pub]),
    neededListeners: 2,
    approvers: sortKeys(A.map((k) => k.pub)),
    neededApprovers: 1,
  });
  const sign = (k: Key, payload: Parameters<typeof adminBytes>[2]) => signBridgeBytes(k.priv, adminBytes(CHAIN_ID, BigInt(history().length), payload));

  test('NewSet passes with processor + listeners, not with listeners alone; approval clears every pending proposal; history proves the set', async () => {
    const set = newSet();
    const payload = { newSet: set };
    await chain.refuse(outsider, [msg.propose(outsider, payload, sign(outsider, payload), chain.nextMs())], E.ErrNotValidator);
    await chain.refuse(L[0], [msg.propose(L[0], payload, sign(L[1], payload), chain.nextMs())], E.ErrInvalidSignature);
    await chain.refuse(L[0], [msg.propose(L[0], { newSet: { ...set, neededListeners: 4 } }, sign(L[0], { newSet: { ...set, neededListeners: 4 } }), chain.nextMs())], E.ErrInvalidValidatorSet);
    await chain.ok([L[0], [msg.propose(L[0], payload, sign(L[0], payload), chain.nextMs())]]);
    await chain.refuse(L[1], [msg.propose(L[1], payload, sign(L[1], payload), chain.nextMs())], E.ErrDuplicateProposal);
    const upgrade = { upgrade: { desiredVersion: 'v9' } };
    await chain.ok([A[0], [msg.propose(A[0], upgrade, sign(A[0], upgrade), chain.nextMs())]]);
    // All three listeners: one group only.
    await chain.ok([L[1], [msg.approveAdmin(L[1], 0n, sign(L[1], payload), chain.nextMs())]], [L[2], [msg.approveAdmin(L[2], 0n, sign(L[2], payload), chain.nextMs())]]);
    await chain.refuse(L[1], [msg.approveAdmin(L[1], 0n, sign(L[1], payload), chain.nextMs())], E.ErrDuplicateApproval);
    await chain.refuse(L[1], [msg.approveAdmin(L[1], 9n, sign(L[1], payload), chain.nextMs())], E.ErrUnknownProposal);
    expect(proposals().map((p) => p.id)).toEqual([0n, 1n]);
    expect(config().validatorSet!.neededApprovers).toBe(2);
    // The processor makes two groups.
    await chain.ok([P, [msg.approveAdmin(P, 0n, sign(P, payload), chain.nextMs())]]);
    expect(config().validatorSet).toEqual(set);
    expect(proposals()).toEqual([]);
    const h = history();
    expect(h).toHaveLength(2);
    expect(proveValidatorSet(CHAIN_ID, h)).toEqual(set);
    // Each deployed contract gets a new-set action.
    expect(actions('ethereum').actions.map((a) => a.body!.newSet !== undefined)).toEqual([true]);
    expect(actions('solana').actions.map((a) => a.body!.newSet !== undefined)).toEqual([true]);
    // The old listener L[1] is gone: it may no longer attest, the new ones may.
    await chain.refuse(L[1], [msg.attest(L[1], 'ethereum', 0n, deposit(WALLET_U, [['usdc', '1']], []), chain.nextMs())], E.ErrNotListener);
    // A tampered history does not prove.
    const forged = h.map((e) => ({ ...e }));
    forged[1] = { ...forged[1], approvals: forged[1].approvals.filter((a) => Buffer.from(a.key).equals(Buffer.from(P.pub)) || Buffer.from(a.key).equals(Buffer.from(L[0].pub))) };
    expect(() => proveValidatorSet(CHAIN_ID, forged)).toThrow(/2 of 3 groups/);
  });

  test('Upgrade needs the processor even with listeners and approvers; then sets the chain version', async () => {
    const upgrade = { upgrade: { desiredVersion: 'v2' } };
    await chain.ok([L[0], [msg.propose(L[0], upgrade, sign(L[0], upgrade), chain.nextMs())]]);
    await chain.ok(
      [L[1], [msg.approveAdmin(L[1], 0n, sign(L[1], upgrade), chain.nextMs())]],
      [A[0], [msg.approveAdmin(A[0], 0n, sign(A[0], upgrade), chain.nextMs())]],
      [A[1], [msg.approveAdmin(A[1], 0n, sign(A[1], upgrade), chain.nextMs())]],
    );
    expect(proposals()).toHaveLength(1);
    expect(readChainVersion(n.store.readerAt(RUNTIME_STORE, chain.height))).toBe('v0.1.0');
    await chain.ok([P, [msg.approveAdmin(P, 0n, sign(P, upgrade), chain.nextMs())]]);
    expect(readChainVersion(n.store.readerAt(RUNTIME_STORE, chain.height))).toBe('v2');
    expect(proveValidatorSet(CHAIN_ID, history())).toEqual(config().validatorSet);
    // The runtime's gate now stops this v0.1.0 binary.
    expect(() =>
      n.app.finalizeBlock({
        txs: [],
        decidedLastCommit: { round: 0, votes: [] },
        misbehavior: [],
        hash: new Uint8Array(32),
        height: BigInt(chain.height + 1),
        time: { seconds: BigInt(chain.now + 5), nanos: 0 },
        nextValidatorsHash: new Uint8Array(32),
        proposerAddress: new Uint8Array(20),
      }),
    ).toThrow(/version v2/);
  });

  test('SelfReplace is immediate, clears pending proposals and stays provable', async () => {
    const replacement = key('listener-2-new');
    const upgrade = { upgrade: { desiredVersion: 'v3' } };
    await chain.ok([A[0], [msg.propose(A[0], upgrade, sign(A[0], upgrade), chain.nextMs())]]);
    const change = { role: Role.ROLE_LISTENER, current: Buffer.from(L[2].pub), replacement: Buffer.from(replacement.pub) };
    const sig = signBridgeBytes(L[2].priv, selfReplaceBytes(CHAIN_ID, 1n, change));
    await chain.refuse(L[2], [msg.selfReplace(L[2], Role.ROLE_APPROVER, replacement.pub, sig, chain.nextMs())], E.ErrNotApprover);
    await chain.refuse(L[2], [msg.selfReplace(L[2], Role.ROLE_LISTENER, L[0].pub, sig, chain.nextMs())], E.ErrInvalidReplacement);
    await chain.refuse(L[2], [msg.selfReplace(L[2], Role.ROLE_LISTENER, replacement.pub, signBridgeBytes(L[2].priv, selfReplaceBytes(CHAIN_ID, 7n, change)), chain.nextMs())], E.ErrInvalidSignature);
    await chain.ok([L[2], [msg.selfReplace(L[2], Role.ROLE_LISTENER, replacement.pub, sig, chain.nextMs())]]);
    const set = config().validatorSet!;
    expect(set.listeners.some((k) => Buffer.from(k).equals(Buffer.from(replacement.pub)))).toBe(true);
    expect(set.listeners.some((k) => Buffer.from(k).equals(Buffer.from(L[2].pub)))).toBe(false);
    expect(proposals()).toEqual([]);
    expect(proveValidatorSet(CHAIN_ID, history())).toEqual(set);
  });

  test('genesis export and import reproduce the bridge store', async () => {
    await attestBy([L[0], L[1]], 'ethereum', 0n, deposit(WALLET_U, [['usdc', '1000'], ['wkex', '10000']], [U]));
    await chain.ok([U, [msg.withdraw(U, 'solana', 'uusdc', 'SoX', '10')]]);
    const upgrade = { upgrade: { desiredVersion: 'v3' } };
    await chain.ok([A[0], [msg.propose(A[0], upgrade, sign(A[0], upgrade), chain.nextMs())]]);
    const ctx = chain.readContext();
    const section = JSON.parse(JSON.stringify(bridgeGenesis(n.bridge).exportGenesis(ctx)));
    const fingerprint = chain.bridgeFingerprint();
    const m = await openBridgeApp();
    try {
      const other = new BridgeChain(m);
      other.initChain(genesis([...L, ...A, P, outsider].map((k) => k.address), section));
      await other.block([]);
      expect(other.bridgeFingerprint()).toBe(fingerprint);
    } finally {
      await closeBridgeApp(m);
    }
  });
});
