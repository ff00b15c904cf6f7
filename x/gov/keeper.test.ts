import { Context } from '../../runtime/context';
import { MemStore } from '../../store/memstore';
import { Dec } from '../../types/dec';
import { CodedError, type RegisteredError } from '../../types/errors';
import { ActorStatus, CouncilorStatus, VoteOption, VoteResult } from '../../proto/gen/sekai/gov/v1/gov';
import { PermValue } from '../../proto/gen/sekai/gov/v1/permission';
import { SetNetworkPropertyProposal, TextProposal } from '../../proto/gen/sekai/gov/v1/proposal';
import { UpgradeKeeper } from '../../runtime/upgrade';
import { govModule } from './module';
import { tally } from './tally';
import { NetworkProperty } from './types/networkProperties';
import * as E from './types/errors';
import type { GovAccountKeeper } from './types/expectedKeepers';
import type { GovKeeper } from './keeper';
import type { MsgRoute } from '../../runtime/module';

/** Accounts "acc<N>" resolve to N; anything else is unknown. */
const accounts: GovAccountKeeper = {
  tryResolve: (_ctx, ref) => (/^acc\d+$/.test(ref) ? BigInt(ref.slice(3)) : undefined),
  resolveOrCreate: (_ctx, ref) => {
    if (!/^acc\d+$/.test(ref)) throw E.ErrUnknownAccount.wrap(ref);
    return BigInt(ref.slice(3));
  },
  addressOf: (_ctx, id) => `acc${id}`,
};

function setup() {
  const stores = new Map<string, MemStore>([['customgov', new MemStore()], ['runtime', new MemStore()]]);
  const mk = (seconds: number, height: number) =>
    new Context({ mode: 'deliver', block: { chainId: 't', height, time: { seconds: BigInt(seconds), nanos: 0 }, proposer: new Uint8Array() }, stores: { getStore: (n) => stores.get(n)! } });
  const gov = govModule({ accounts, upgrades: new UpgradeKeeper() });
  // As the app does: every proposal type the mounted modules declare (here x/gov alone).
  gov.keeper.proposals.registerAll(gov.module.proposals!);
  const ctx = mk(1000, 1);
  gov.module.genesis!.initGenesis(ctx, {
    network_actors: [
      { address: 'acc1', roles: ['1'] },
      { address: 'acc2', roles: ['2'], permissions: { whitelist: [5], blacklist: [] } },
      { address: 'acc3', roles: ['1'], permissions: { whitelist: [], blacklist: [12] } },
      { address: 'acc4', permissions: { whitelist: [13], blacklist: [] } },
    ],
    network_properties: { minimum_proposal_end_time: '10', proposal_enactment_time: '5', min_proposal_end_blocks: '1', min_proposal_enactment_blocks: '1' },
  });
  const k = gov.keeper;
  const routes = new Map<string, MsgRoute>(gov.module.msgs!.map((r) => [r.typeUrl.replace('/sekai.gov.v1.', ''), r]));
  const send = (c: Context, name: string, m: unknown) => {
    const r = routes.get(name)!;
    const decoded = r.decode(((r as unknown as { codecEncode?: never }) && encoders[name](m)) as Uint8Array);
    r.validateBasic?.(decoded);
    return r.handle(c, decoded);
  };
  const snapshot = () => [...stores.get('customgov')!.iterator()].map(([a, b]) => Buffer.from(a).toString('hex') + '=' + Buffer.from(b).toString('hex')).join(',');
  return { k, ctx, mk, send, snapshot };
}

// Encoders by message name, so each test goes through decode + validateBasic as a tx does.
import * as Tx from '../../proto/gen/sekai/gov/v1/tx';
const encoders: Record<string, (m: unknown) => Uint8Array> = Object.fromEntries(
  Object.entries(Tx)
    .filter(([n, v]) => n.startsWith('Msg') && typeof (v as { encode?: unknown }).encode === 'function')
    .map(([n, v]) => [n, (m: unknown) => (v as { encode(x: unknown): { finish(): Uint8Array }; fromPartial(x: unknown): unknown }).encode((v as { fromPartial(x: unknown): unknown }).fromPartial(m)).finish()]),
);

describe('isAllowed', () => {
  const { k, ctx } = setup();
  test.each([
    ['sudo role grants 12', 1n, PermValue.PERMISSION_CREATE_SET_NETWORK_PROPERTY_PROPOSAL, true],
    ['sudo role lacks 7 (PermChangeTxFee)', 1n, PermValue.PERMISSION_CHANGE_TX_FEE, false],
    ['validator role grants 2', 2n, PermValue.PERMISSION_CLAIM_VALIDATOR, true],
    ['validator role does not grant 3', 2n, PermValue.PERMISSION_CLAIM_COUNCILOR, false],
    ['own whitelist grants 5', 2n, PermValue.PERMISSION_VOTE_WHITELIST_ACCOUNT_PERMISSION_PROPOSAL, true],
    ['own blacklist beats the role whitelist', 3n, PermValue.PERMISSION_CREATE_SET_NETWORK_PROPERTY_PROPOSAL, false],
    ['the rest of the role still applies', 3n, PermValue.PERMISSION_VOTE_SET_NETWORK_PROPERTY_PROPOSAL, true],
    ['own whitelist, no role', 4n, PermValue.PERMISSION_VOTE_SET_NETWORK_PROPERTY_PROPOSAL, true],
    ['no actor holds nothing', 9n, PermValue.PERMISSION_ZERO, false],
    ['by reference', 'acc1', PermValue.PERMISSION_SET_PERMISSIONS, true],
    ['unknown reference', 'nobody', PermValue.PERMISSION_SET_PERMISSIONS, false],
  ] as const)('%s', (_name, who, perm, allowed) => {
    expect(k.isAllowed(ctx, who, perm)).toBe(allowed);
  });

  test('a role blacklist beats an account whitelist and another role', () => {
    const c = setup();
    c.k.editRolePermission(c.ctx, 'validator', 'blacklist', true, 13);
    c.k.assignRole(c.ctx, 'acc4', 'validator');
    expect(c.k.isAllowed(c.ctx, 4n, 13)).toBe(false);
    c.k.assignRole(c.ctx, 'acc3', 'validator');
    expect(c.k.isAllowed(c.ctx, 3n, 13)).toBe(false);
    expect(c.k.isAllowed(c.ctx, 3n, 2)).toBe(true);
  });
});

describe('tally', () => {
  const q = (s: string) => Dec.fromString(s);
  const R = VoteResult;
  test.each([
    ['exact quorum (2 of 4 at 0.5) passes', { eligible: 4n, yes: 2n, abstain: 0n, no: 0n, veto: 0n }, '0.5', R.VOTE_RESULT_PASSED],
    ['one vote short of quorum', { eligible: 5n, yes: 2n, abstain: 0n, no: 0n, veto: 0n }, '0.5', R.VOTE_RESULT_QUORUM_NOT_REACHED],
    ['0.33 of 3 needs 1 vote (0.99)', { eligible: 3n, yes: 1n, abstain: 0n, no: 0n, veto: 0n }, '0.33', R.VOTE_RESULT_PASSED],
    ['0.34 of 3 needs 2 votes', { eligible: 3n, yes: 1n, abstain: 0n, no: 0n, veto: 0n }, '0.34', R.VOTE_RESULT_QUORUM_NOT_REACHED],
    ['a YES/NO tie is rejected', { eligible: 4n, yes: 2n, abstain: 0n, no: 2n, veto: 0n }, '0.33', R.VOTE_RESULT_REJECTED],
    ['abstain counts against a majority', { eligible: 4n, yes: 2n, abstain: 2n, no: 0n, veto: 0n }, '0.33', R.VOTE_RESULT_REJECTED],
    ['veto on exactly half', { eligible: 4n, yes: 2n, abstain: 0n, no: 0n, veto: 2n }, '0.33', R.VOTE_RESULT_REJECTED_WITH_VETO],
    ['veto below half is a NO', { eligible: 5n, yes: 3n, abstain: 0n, no: 0n, veto: 2n }, '0.33', R.VOTE_RESULT_PASSED],
    ['no electorate never reaches quorum', { eligible: 0n, yes: 0n, abstain: 0n, no: 0n, veto: 0n }, '0.33', R.VOTE_RESULT_QUORUM_NOT_REACHED],
  ] as const)('%s', (_n, counts, quorum, result) => {
    expect(tally(counts, q(quorum))).toBe(result);
  });
});

describe('refused messages: own code, no state change', () => {
  const cases: [string, string, unknown, RegisteredError][] = [
    ['whitelist without perm 1', 'MsgWhitelistPermissions', { proposer: 'acc4', address: 'acc5', permission: 3 }, E.ErrNotPermitted],
    ['perm 30 may whitelist only perm 2', 'MsgWhitelistPermissions', { proposer: 'acc6', address: 'acc5', permission: 3 }, E.ErrNotPermitted],
    ['unknown permission 6 (retired)', 'MsgWhitelistPermissions', { proposer: 'acc1', address: 'acc5', permission: 6 }, E.ErrUnknownPermission],
    ['permission 999 does not exist', 'MsgBlacklistPermissions', { proposer: 'acc1', address: 'acc5', permission: 999 }, E.ErrUnknownPermission],
    ['whitelist twice', 'MsgWhitelistPermissions', { proposer: 'acc1', address: 'acc4', permission: 13 }, E.ErrAlreadyWhitelisted],
    ['blacklist twice', 'MsgBlacklistPermissions', { proposer: 'acc1', address: 'acc3', permission: 12 }, E.ErrAlreadyBlacklisted],
    ['remove a permission never whitelisted', 'MsgRemoveWhitelistedPermissions', { proposer: 'acc1', address: 'acc4', permission: 12 }, E.ErrNotWhitelisted],
    ['remove a permission never blacklisted', 'MsgRemoveBlacklistedPermissions', { proposer: 'acc1', address: 'acc4', permission: 12 }, E.ErrNotBlacklisted],
    ['unknown signer', 'MsgWhitelistPermissions', { proposer: 'nobody', address: 'acc4', permission: 12 }, E.ErrUnknownAccount],
    ['create role without perm 9', 'MsgCreateRole', { proposer: 'acc4', roleSid: 'x', roleDescription: '' }, E.ErrNotPermitted],
    ['create an existing role', 'MsgCreateRole', { proposer: 'acc1', roleSid: 'sudo', roleDescription: '' }, E.ErrRoleExists],
    ['bad role sid', 'MsgCreateRole', { proposer: 'acc1', roleSid: 'Bad Sid', roleDescription: '' }, E.ErrInvalidRoleSid],
    ['assign an unknown role', 'MsgAssignRole', { proposer: 'acc1', address: 'acc4', roleIdentifier: 'ghost' }, E.ErrUnknownRole],
    ['assign a role twice', 'MsgAssignRole', { proposer: 'acc1', address: 'acc1', roleIdentifier: 'sudo' }, E.ErrRoleAlreadyAssigned],
    ['unassign a role not held', 'MsgUnassignRole', { proposer: 'acc1', address: 'acc4', roleIdentifier: '2' }, E.ErrRoleNotAssigned],
    ['claim councilor without perm 3', 'MsgClaimCouncilor', { sender: 'acc4' }, E.ErrNotPermitted],
    ['claim councilor twice', 'MsgClaimCouncilor', { sender: 'acc7' }, E.ErrCouncilorExists],
    ['pause a non-councilor', 'MsgCouncilorPause', { sender: 'acc4' }, E.ErrUnknownCouncilor],
    ['unpause an active councilor', 'MsgCouncilorUnpause', { sender: 'acc7' }, E.ErrCouncilorStatus],
    ['activate an active councilor', 'MsgCouncilorActivate', { sender: 'acc7' }, E.ErrCouncilorStatus],
    ['submit without the create permission', 'MsgSubmitProposal', { proposer: 'acc4', title: 't', description: 'd', content: propertyContent('MIN_TX_FEE', 200n) }, E.ErrNotPermitted],
    ['submit an unknown type', 'MsgSubmitProposal', { proposer: 'acc1', title: 't', description: 'd', content: { typeUrl: '/x.Nope', value: Buffer.alloc(0) } }, E.ErrUnknownProposalType],
    ['submit without content', 'MsgSubmitProposal', { proposer: 'acc1', title: 't', description: 'd' }, E.ErrInvalidProposalContent],
    ['submit an out-of-range property', 'MsgSubmitProposal', { proposer: 'acc1', title: 't', description: 'd', content: propertyContent('VOTE_QUORUM', 0n, '1.5') }, E.ErrInvalidProposalContent],
    ['submit MIN_TX_FEE above MAX_TX_FEE (dry run)', 'MsgSubmitProposal', { proposer: 'acc1', title: 't', description: 'd', content: propertyContent('MIN_TX_FEE', 2_000_000n) }, E.ErrProposalWouldFail],
    ['submit a title above MAX_PROPOSAL_TITLE_SIZE', 'MsgSubmitProposal', { proposer: 'acc1', title: 'x'.repeat(129), description: 'd', content: propertyContent('MIN_TX_FEE', 200n) }, E.ErrTitleTooLong],
    ['vote on an unknown proposal', 'MsgVoteProposal', { proposalId: 99n, voter: 'acc1', option: VoteOption.VOTE_OPTION_YES }, E.ErrUnknownProposal],
    ['vote without the vote permission', 'MsgVoteProposal', { proposalId: 1n, voter: 'acc2', option: VoteOption.VOTE_OPTION_YES }, E.ErrNotPermitted],
    ['vote with option 0', 'MsgVoteProposal', { proposalId: 1n, voter: 'acc1', option: VoteOption.VOTE_OPTION_UNSPECIFIED }, E.ErrInvalidVoteOption],
    ['vote as a paused actor', 'MsgVoteProposal', { proposalId: 1n, voter: 'acc8', option: VoteOption.VOTE_OPTION_YES }, E.ErrActorNotActive],
  ];

  function propertyContent(name: keyof typeof NetworkProperty, value: bigint, strValue = '') {
    return {
      typeUrl: '/sekai.gov.v1.SetNetworkPropertyProposal',
      value: Buffer.from(SetNetworkPropertyProposal.encode({ networkProperty: NetworkProperty[name] as NetworkProperty, value: { value, strValue } }).finish()),
    };
  }

  const codes = new Set(cases.map(([, , , e]) => e.code));
  test('the refusals cover distinct registered codes', () => {
    expect(codes.size).toBeGreaterThanOrEqual(20);
  });

  test.each(cases)('%s', (_name, msgName, body, expected) => {
    const { k, ctx, send, snapshot } = setup();
    // Fixtures: acc6 holds perm 30, acc7 is a councilor, acc8 is a paused actor, proposal 1 exists.
    k.editAccountPermission(ctx, 6n, 'whitelist', true, PermValue.PERMISSION_SET_CLAIM_VALIDATOR_PERMISSION);
    k.editAccountPermission(ctx, 7n, 'whitelist', true, PermValue.PERMISSION_CLAIM_COUNCILOR);
    k.claimCouncilor(ctx, 7n);
    k.setActor(ctx, { ...k.actorOrDefault(ctx, 8n), status: ActorStatus.ACTOR_STATUS_PAUSED, permissions: { whitelist: [13], blacklist: [] } });
    k.submitProposal(ctx, 1n, 't', 'd', propertyContent('MIN_TX_FEE', 200n));
    const before = snapshot();
    let thrown: unknown;
    try {
      send(ctx, msgName, body);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CodedError);
    expect({ codespace: (thrown as CodedError).codespace, code: (thrown as CodedError).code, msg: (thrown as CodedError).message }).toMatchObject({ codespace: expected.codespace, code: expected.code });
    expect(snapshot()).toBe(before);
  });

  test('perm 30 whitelists perm 2 and nothing more', () => {
    const { k, ctx, send } = setup();
    k.editAccountPermission(ctx, 6n, 'whitelist', true, PermValue.PERMISSION_SET_CLAIM_VALIDATOR_PERMISSION);
    send(ctx, 'MsgWhitelistPermissions', { proposer: 'acc6', address: 'acc5', permission: 2 });
    expect(k.isAllowed(ctx, 5n, 2)).toBe(true);
  });
});

describe('councilors and abstention', () => {
  function withCouncil() {
    const s = setup();
    const { k, ctx } = s;
    for (const id of [1n, 4n]) {
      k.editAccountPermission(ctx, id, 'whitelist', true, PermValue.PERMISSION_CLAIM_COUNCILOR);
      k.claimCouncilor(ctx, id);
    }
    return s;
  }

  const text = { typeUrl: '/sekai.gov.v1.TextProposal', value: Buffer.from(TextProposal.encode({}).finish()) };

  test('an eligible councilor who did not vote is absent; one who voted acts; INACTIVE at MAX_ABSTENTION', () => {
    const { k, ctx, mk } = withCouncil();
    expect(k.isAllowed(ctx, 4n, PermValue.PERMISSION_CREATE_POLL_PROPOSAL)).toBe(true);
    for (let round = 0; round < 2; round++) {
      const t = 1000 + round * 100;
      const c = mk(t, 10 + round * 10);
      const id = k.submitProposal(c, 1n, 'poll', 'd', text);
      k.vote(c, 1n, id, VoteOption.VOTE_OPTION_YES, '');
      k.endBlock(mk(t + 50, 12 + round * 10));
    }
    const c1 = k.getCouncilor(ctx, 1n)!;
    const c4 = k.getCouncilor(ctx, 4n)!;
    // Councilor 1 submitted and voted twice (rank +1 per act); councilor 4 was absent twice.
    expect([c1.rank, c1.abstentionCounter, c1.status]).toEqual([4n, 0n, CouncilorStatus.COUNCILOR_STATUS_ACTIVE]);
    expect([c4.rank, c4.abstentionCounter, c4.status]).toEqual([0n, 2n, CouncilorStatus.COUNCILOR_STATUS_INACTIVE]);
  });

  test('activate resets the abstention counter: a reactivated councilor survives one absence', () => {
    const { k, ctx, mk } = withCouncil();
    const absentRound = (t: number, h: number) => {
      const id = k.submitProposal(mk(t, h), 1n, 'poll', 'd', text);
      k.vote(mk(t, h), 1n, id, VoteOption.VOTE_OPTION_YES, '');
      k.endBlock(mk(t + 50, h + 2));
    };
    absentRound(1000, 10);
    absentRound(1100, 20);
    expect(k.getCouncilor(ctx, 4n)!.status).toBe(CouncilorStatus.COUNCILOR_STATUS_INACTIVE);
    k.setCouncilorStatus(mk(1200, 30), 4n, CouncilorStatus.COUNCILOR_STATUS_INACTIVE, CouncilorStatus.COUNCILOR_STATUS_ACTIVE, 'activate');
    expect(k.getCouncilor(ctx, 4n)!.abstentionCounter).toBe(0n);
    absentRound(1300, 40);
    const c4 = k.getCouncilor(ctx, 4n)!;
    expect([c4.abstentionCounter, c4.status]).toEqual([1n, CouncilorStatus.COUNCILOR_STATUS_ACTIVE]);
  });

  test('a councilor not eligible for the proposal is not absent', () => {
    const { k, ctx, mk } = withCouncil();
    const id = k.submitProposal(mk(1000, 10), 1n, 'fee', 'd', {
      typeUrl: '/sekai.gov.v1.SetNetworkPropertyProposal',
      value: Buffer.from(SetNetworkPropertyProposal.encode({ networkProperty: NetworkProperty.MIN_TX_FEE, value: { value: 150n, strValue: '' } }).finish()),
    });
    k.setActor(ctx, { ...k.getActor(ctx, 4n)!, permissions: { whitelist: [3, 66], blacklist: [13] } });
    k.vote(mk(1001, 11), 1n, id, VoteOption.VOTE_OPTION_YES, '');
    k.endBlock(mk(1050, 20));
    expect(k.getCouncilor(ctx, 4n)!.abstentionCounter).toBe(0n);
    // Eligible: acc1, acc3 (sudo), acc8? no: acc1, acc3 — acc4 is blacklisted now. 1 of 2 votes, YES: passes.
    expect(k.getProposal(ctx, id)!.result).toBe(VoteResult.VOTE_RESULT_ENACTMENT);
    k.endBlock(mk(1056, 21));
    expect(k.getProposal(ctx, id)!.result).toBe(VoteResult.VOTE_RESULT_PASSED);
    expect(k.uint(ctx, NetworkProperty.MIN_TX_FEE)).toBe(150n);
  });
});

describe('enactment failure', () => {
  test('a passed proposal whose execution fails is PASSED_WITH_EXEC_FAIL and changes nothing', () => {
    const { k, ctx, mk } = setup();
    const id = k.submitProposal(mk(1000, 10), 1n, 'fee', 'd', {
      typeUrl: '/sekai.gov.v1.SetNetworkPropertyProposal',
      value: Buffer.from(SetNetworkPropertyProposal.encode({ networkProperty: NetworkProperty.MIN_TX_FEE, value: { value: 600_000n, strValue: '' } }).finish()),
    });
    k.vote(mk(1001, 11), 1n, id, VoteOption.VOTE_OPTION_YES, '');
    // Meanwhile MAX_TX_FEE drops below the proposed minimum.
    k.setProperty(ctx, NetworkProperty.MAX_TX_FEE, '500000');
    k.endBlock(mk(1050, 20));
    k.endBlock(mk(1056, 21));
    const p = k.getProposal(ctx, id)!;
    expect(p.result).toBe(VoteResult.VOTE_RESULT_PASSED_WITH_EXEC_FAIL);
    expect(p.execResult).toContain('MIN_TX_FEE 600000 would exceed MAX_TX_FEE 500000');
    expect(k.uint(ctx, NetworkProperty.MIN_TX_FEE)).toBe(100n);
  });
});

describe('network properties', () => {
  test('defaults include the validator properties others read', () => {
    const { k, ctx } = setup();
    const v = k.validatorProperties(ctx);
    expect(v).toMatchObject({ mischanceConfidence: 10n, maxMischance: 110n, mischanceRankDecreaseAmount: 10n, minValidators: 1n, commissionChangeDelay: 1_209_600n, jailPeriod: 604_800n, downtimeInactiveDuration: 600n, unjailMaxTime: 600n });
    expect(v.inactiveRankDecreasePercent.toString()).toBe('0.500000000000000000');
    expect(k.feeBounds(ctx)).toEqual({ denom: 'ukex', minTxFee: 100n, maxTxFee: 1_000_000n });
  });

  test('genesis export then import reproduces the same store bytes', () => {
    const a = setup();
    a.k.submitProposal(a.ctx, 1n, 't', 'd', { typeUrl: '/sekai.gov.v1.TextProposal', value: Buffer.alloc(0) });
    const exported = govModule({ accounts, upgrades: new UpgradeKeeper() }).module.genesis!.exportGenesis(a.ctx);
    const stores = new Map<string, MemStore>([['customgov', new MemStore()]]);
    const ctx2 = new Context({ mode: 'deliver', block: a.ctx.block, stores: { getStore: (n) => stores.get(n)! } });
    const gov2 = govModule({ accounts, upgrades: new UpgradeKeeper() });
    gov2.keeper.proposals.registerAll(gov2.module.proposals!);
    gov2.module.genesis!.validateGenesis(JSON.parse(JSON.stringify(exported)));
    gov2.module.genesis!.initGenesis(ctx2, JSON.parse(JSON.stringify(exported)));
    const dump = (s: MemStore) => [...s.iterator()].map(([x, y]) => Buffer.from(x).toString('hex') + Buffer.from(y).toString('hex')).join();
    expect(dump(stores.get('customgov')!)).toBe(a.snapshot().split(',').map((kv) => kv.replace('=', '')).join());
  });

  test('genesis refuses a bad property naming the field', () => {
    const gov = govModule({ accounts, upgrades: new UpgradeKeeper() });
    expect(() => gov.module.genesis!.validateGenesis({ network_properties: { vote_quorum: '2' } })).toThrow(/customgov.network_properties.vote_quorum: .*VOTE_QUORUM must be between/);
    expect(() => gov.module.genesis!.validateGenesis({ network_properties: { no_such: '2' } })).toThrow(/no_such/);
  });
});

export type { GovKeeper };
