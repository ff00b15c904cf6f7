/**
 * Every proposal type the chain executes, raised from the real `sekaid-ts` CLI against a
 * running single-node chain (issue 20, item 7): the twenty governance contents of x/gov,
 * x/customstaking, x/customslashing and x/notarypay, and the bridge's three admin
 * payloads. Each command is run for real; to keep the run short they sign offline
 * (`--offline --account-number --sequence`, one process per command, a few at a time; the
 * governance ones while the node starts, as they need no node) and the signed txs go to the
 * node in sequence order, followed by one tx voting YES on every governance proposal. Then each proposal is stored with its content decoded, each
 * governance proposal passes and executes successfully, and the state shows the effects
 * (the software upgrade's plan through `version --long --node`, beside the chain version).
 */
import { MsgVoteProposal } from '../../proto/gen/sekai/gov/v1/tx';
import { VoteOption } from '../../proto/gen/sekai/gov/v1/gov';
import { accAddressFromSecp256k1, addressFromBech32, addressToBech32 } from '../../crypto/address';
import { broadcastTx, connectNode, encodeTx, sekaiTypes, signTx, buildUnsignedTx, txFromJson } from '../../client';
import { openKeyring } from '../../keyring';
import { cli, ok } from '../cli/cli';
import { consensusPubKeyJson, query, startChain, until, waitTx, type Chain } from './workflowChain';

jest.setTimeout(300_000);

const CHAIN_ID = 'sekai-proposals-1';
/** Voting ends this many seconds after submission: long enough for the one vote tx. */
const VOTING_SECONDS = 6;
const FEES = '1000ukex';
const GAS = '1000000';
/** How many CLI processes sign at once (the machine has two cores). */
const PARALLEL = 3;

let chain: Chain;
let genesisSeconds = 0;
/** The genesis keys' addresses and public keys, known before the chain object exists. */
const address: Record<string, string> = {};
const pubKeys: Record<string, string> = {};
/** The governance lines, signed offline while the node starts. */
let govSigned: Promise<unknown[]>;

/** [expected content type, command line] of every governance proposal type; they get ids 1…20. */
function govLines(): [string, string[]][] {
  const { alice, bob } = address;
  const bobValoper = addressToBech32('validator', addressFromBech32('account', bob));
  const text = ['--title', 'T', '--description', 'D'];
  return [
    ['/sekai.gov.v1.SetNetworkPropertyProposal', ['customgov', 'proposal', 'set-network-property', 'MAX_TX_FEE', '2000000', ...text]],
    ['/sekai.gov.v1.WhitelistAccountPermissionProposal', ['customgov', 'proposal', 'account', 'whitelist-permission', '17', '--addr', bob, ...text]],
    ['/sekai.gov.v1.BlacklistAccountPermissionProposal', ['customgov', 'proposal', 'account', 'blacklist-permission', '19', '--addr', bob, ...text]],
    ['/sekai.gov.v1.RemoveWhitelistedAccountPermissionProposal', ['customgov', 'proposal', 'account', 'remove-whitelisted-permission', '8', '--addr', alice, ...text]],
    ['/sekai.gov.v1.RemoveBlacklistedAccountPermissionProposal', ['customgov', 'proposal', 'account', 'remove-blacklisted-permission', '12', '--addr', alice, ...text]],
    ['/sekai.gov.v1.CreateRoleProposal', ['customgov', 'proposal', 'role', 'create', 'newrole', 'A new role', '--whitelist', '17', ...text]],
    ['/sekai.gov.v1.WhitelistRolePermissionProposal', ['customgov', 'proposal', 'role', 'whitelist-permission', 'auditor', '25', ...text]],
    ['/sekai.gov.v1.BlacklistRolePermissionProposal', ['customgov', 'proposal', 'role', 'blacklist-permission', 'auditor', '24', ...text]],
    ['/sekai.gov.v1.RemoveWhitelistedRolePermissionProposal', ['customgov', 'proposal', 'role', 'remove-whitelisted-permission', 'auditor', '10', ...text]],
    ['/sekai.gov.v1.RemoveBlacklistedRolePermissionProposal', ['customgov', 'proposal', 'role', 'remove-blacklisted-permission', 'auditor', '11', ...text]],
    ['/sekai.gov.v1.AssignRoleToAccountProposal', ['customgov', 'proposal', 'role', 'assign', 'auditor', '--addr', bob, ...text]],
    ['/sekai.gov.v1.UnassignRoleFromAccountProposal', ['customgov', 'proposal', 'role', 'unassign', 'auditor', '--addr', alice, ...text]],
    ['/sekai.gov.v1.RemoveRoleProposal', ['customgov', 'proposal', 'role', 'remove', 'retired', ...text]],
    ['/sekai.gov.v1.SetProposalDurationsProposal', ['customgov', 'proposal', 'set-proposal-durations-proposal', 'Text,CreateRole', '600,900', ...text]],
    ['/sekai.gov.v1.ProposalUnjailValidator', ['customgov', 'proposal', 'unjail-validator', bobValoper, 'incident-1', ...text]],
    ['/sekai.gov.v1.TextProposal', ['customgov', 'proposal', 'text', ...text]],
    ['/sekai.gov.v1.SoftwareUpgradeProposal', ['upgrade', 'proposal', 'v2-up', 'v2', '1000000', ...text]],
    ['/sekai.slashing.v1.ProposalResetWholeValidatorRank', ['customslashing', 'proposal-reset-whole-validator-rank', ...text]],
    ['/sekai.notarypay.v1.ProposalAddNotaryEra', ['notarypay', 'proposal', 'add-era', '--index', '2', '--start-time', String(genesisSeconds + 86_400), '--pay', '100', '--notaries', `notary-bob:${pubKeys.bob}`, ...text]],
    ['/sekai.notarypay.v1.ProposalRebindNotaryPayout', ['notarypay', 'proposal', 'rebind-payout', pubKeys.bob, alice, ...text]],
  ];
}

/** The bridge's admin payloads, from its processor: [payload kind, command line]. They read the node. */
function bridgeLines(): [string, string[]][] {
  const newSet = { processor: pubKeys.validator, listeners: [pubKeys.alice, pubKeys.bob], needed_listeners: 1, approvers: [pubKeys.alice], needed_approvers: 1 };
  return [
    ['new_set', ['bridge', 'propose', '--new-set', JSON.stringify(newSet)]],
    ['migrate_contract', ['bridge', 'propose', '--migrate', 'ethereum:bridge-code-v2']],
    ['upgrade', ['bridge', 'propose', '--upgrade', 'v3']],
  ];
}

/** Signs `lines` offline from the validator (account 0), the first with `firstSequence`; the signed tx JSON of each. */
function signOffline(home: string, node: string, lines: string[][], firstSequence: number): Promise<unknown[]> {
  return pool(
    lines.map((args, i) => async () => {
      const r = await cli([
        'tx', ...args, '--from', 'validator', '--chain-id', CHAIN_ID, '--offline', '--account-number', '0', '--sequence', String(firstSequence + i),
        '--fees', FEES, '--gas', GAS, '--yes', '--home', home, '--keyring-backend', 'test', '--node', node, '--output', 'json',
      ]);
      if (r.code !== 0) throw new Error(`tx ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as unknown;
    }),
    PARALLEL,
  );
}

beforeAll(async () => {
  chain = await startChain({
    chainId: CHAIN_ID,
    keys: ['validator', 'alice', 'bob'],
    genesisLines: (pub) => {
      for (const [k, hex] of Object.entries(pub)) {
        pubKeys[k] = hex;
        address[k] = addressToBech32('account', accAddressFromSecp256k1(Buffer.from(hex, 'hex')));
      }
      return [
      // bob is a notary of era 1 (for the payout rebind); the validator is the bridge's processor.
      ['genesis', 'add-notary', 'bob', '--name', 'notary-bob', '--keyring-backend', 'test'],
      ['genesis', 'bridge-set', '--processor', pub.validator, '--listeners', pub.alice, '--needed-listeners', '1', '--approvers', pub.alice, '--needed-approvers', '1'],
      ['genesis', 'bridge-add-chain', 'ethereum', '--contract', '0xbridge', '--asset', 'usdc:6:uusdc'],
      ];
    },
    editGenesis: (g, home) => {
      genesisSeconds = Math.floor(Date.parse(g.genesis_time) / 1000);
      // Offline signing needs the keyring only: start it now, beside the node's start.
      govSigned = signOffline(home, 'tcp://127.0.0.1:1', govLines().map(([, args]) => args), 0);
      govSigned.catch(() => undefined);
      const gov = g.app_state.customgov;
      Object.assign(gov.network_properties, {
        minimum_proposal_end_time: String(VOTING_SECONDS),
        proposal_enactment_time: '1',
        min_proposal_end_blocks: '1',
        min_proposal_enactment_blocks: '1',
      });
      // What the role and account proposals change: a role held by alice, and one nobody holds.
      gov.roles.push(
        { id: 3, sid: 'auditor', description: 'Audits', permissions: { whitelist: [10, 13], blacklist: [11, 16] } },
        { id: 4, sid: 'retired', description: 'Retired', permissions: { whitelist: [], blacklist: [] } },
      );
      gov.next_role_id = '5';
      gov.network_actors.push({
        address: address.alice,
        roles: ['3'],
        status: 'ACTIVE',
        votes: ['VOTE_OPTION_YES', 'VOTE_OPTION_ABSTAIN', 'VOTE_OPTION_NO', 'VOTE_OPTION_NO_WITH_VETO'],
        permissions: { whitelist: [8], blacklist: [12] },
        skin: '0',
      });
      // bob's validator, jailed at genesis: an unjail proposal can take it to INACTIVE.
      const bob = address.bob;
      g.app_state.customstaking.validators.push({
        val_key: addressToBech32('validator', addressFromBech32('account', bob)),
        pub_key: JSON.parse(consensusPubKeyJson()),
        status: 'JAILED',
        rank: '0',
        streak: '0',
        moniker: 'bob-moniker',
        address: bob,
        jailed_at: String(genesisSeconds),
        jailed_until: String(genesisSeconds + 86_400),
      });
    },
    blockTime: '100ms',
  });
});

afterAll(async () => {
  await chain?.stop();
});

/** Runs `jobs` with at most `n` at a time, keeping their order in the result. */
async function pool<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]();
      }
    }),
  );
  return out;
}

it('raises every proposal type from the CLI; each is stored, and every governance proposal passes and executes', async () => {
  const { validator, alice, bob } = chain.addr;
  const bobValoper = addressToBech32('validator', addressFromBech32('account', bob));
  const gov = govLines();
  const bridge = bridgeLines();
  // Every handler the chain registers has its line here (x/gov's CLI test lists the same set).
  expect(gov).toHaveLength(20);
  const started = Date.now();
  const signed = [...(await govSigned), ...(await signOffline(chain.home, chain.node, bridge.map(([, args]) => args), gov.length))];
  const lines = [...gov, ...bridge];
  const signingMs = Date.now() - started; // the bridge lines, and whatever of the rest was not done yet

  // One more tx from the same account: YES on every governance proposal.
  const types = sekaiTypes();
  const keyring = openKeyring({ home: chain.home, backend: 'test' });
  const info = await keyring.get('validator');
  const votes = gov.map((_, i) => ({ typeUrl: '/sekai.gov.v1.MsgVoteProposal', value: MsgVoteProposal.fromPartial({ proposalId: BigInt(i + 1), voter: validator, option: VoteOption.VOTE_OPTION_YES }) }));
  const unsigned = buildUnsignedTx(types, { msgs: votes, fee: [{ denom: 'ukex', amount: '1000' }], gasLimit: 2_000_000n, pubKey: info.pubKey, sequence: BigInt(lines.length) });
  const voteTx = await signTx(await keyring.signer('validator'), validator, unsigned, CHAIN_ID, 0n);

  // To the node in sequence order; each passes CheckTx.
  const conn = await connectNode(chain.node);
  const hashes: string[] = [];
  try {
    for (const bytes of [...signed.map((j) => encodeTx(txFromJson(types, j))), voteTx]) {
      const res = await broadcastTx(conn, types, bytes, { mode: 'sync' });
      expect({ code: res.code, log: res.raw_log }).toEqual({ code: 0, log: res.raw_log });
      hashes.push(res.txhash);
    }
  } finally {
    conn.disconnect();
  }
  for (const h of hashes) {
    const r = await waitTx(chain, h);
    expect({ code: r.tx_result.code, log: r.tx_result.log }).toEqual({ code: 0, log: r.tx_result.log });
  }

  // Stored: every governance proposal with its content decoded, proposer 0 and the vote of voter 0.
  const stored = (await query(chain, ['customgov', 'proposals'])).proposals as Record<string, any>[];
  expect(stored.map((p) => p.content['@type'])).toEqual(gov.map(([t]) => t));
  expect(stored.every((p) => p.proposer === '0' && p.title === 'T')).toBe(true);
  expect(stored[0].content).toEqual({ '@type': '/sekai.gov.v1.SetNetworkPropertyProposal', network_property: 'MAX_TX_FEE', value: { value: '2000000', str_value: '' } });
  expect((await query(chain, ['customgov', 'votes', '20'])).votes).toEqual([{ proposal_id: '20', voter: '0', option: 'VOTE_OPTION_YES', slash: '' }]);
  const pending = (await query(chain, ['bridge', 'proposals'])).proposals as Record<string, any>[];
  expect(pending.map((p) => Object.keys(p.payload).filter((k) => p.payload[k] !== null))).toEqual(bridge.map(([kind]) => [kind]));

  // Passed and executed, each of them.
  const enacted = await until(
    'every proposal enacted',
    async () => {
      const ps = (await query(chain, ['customgov', 'proposals'])).proposals as Record<string, any>[];
      return ps.every((p) => p.result !== 'VOTE_RESULT_PENDING' && p.result !== 'VOTE_RESULT_ENACTMENT') ? ps : undefined;
    },
    90_000,
    1000,
  );
  expect(enacted.map((p) => [p.content['@type'], p.result, p.exec_result])).toEqual(gov.map(([t]) => [t, 'VOTE_RESULT_PASSED', 'executed successfully']));

  // The effects, read back through the CLI.
  const [props, bobPerms, alicePerms, roles, jailed, eras, validators] = await Promise.all([
    query(chain, ['customgov', 'network-properties']),
    query(chain, ['customgov', 'permissions', bob]),
    query(chain, ['customgov', 'permissions', alice]),
    query(chain, ['customgov', 'roles']),
    query(chain, ['customstaking', 'validator', '--val-addr', bobValoper]),
    query(chain, ['notarypay', 'eras']),
    query(chain, ['customstaking', 'validators']),
  ]);
  expect(props.properties.find((p: any) => p.property === 'MAX_TX_FEE').value).toBe('2000000');
  expect(bobPerms).toEqual({ blacklist: [19], whitelist: [17] });
  expect(alicePerms).toEqual({ blacklist: [], whitelist: [] });
  const role = (sid: string) => roles.roles.find((r: any) => r.sid === sid);
  expect(role('auditor').permissions).toEqual({ whitelist: [13, 25], blacklist: [16, 24] });
  expect(role('newrole').permissions.whitelist).toEqual([17]);
  expect(role('retired')).toBeUndefined();
  expect(jailed.status).toBe('INACTIVE');
  // sekaid's validators shape; the actors who may claim a seat are the sudo holder alone.
  const unjailed = validators.validators.find((v: any) => v.valkey === bobValoper);
  expect(unjailed).toEqual({ address: bob, valkey: bobValoper, pubkey: expect.stringMatching(/^PubKeyEd25519\{[0-9A-F]{64}\}$/), proposer: expect.stringMatching(/^[0-9A-F]{40}$/),
    moniker: 'bob-moniker', status: 'INACTIVE', rank: '0', streak: '0', mischance: '0', identity: [] });
  expect(validators.validators).toHaveLength(2);
  expect(validators.actors).toEqual([validator]);
  expect(eras.eras.map((e: any) => e.index)).toEqual([1, 2]);
  expect(eras.payouts).toEqual([{ pub_key: Buffer.from(pubKeys.bob, 'hex').toString('base64'), payout: alice }]);
  // The software upgrade is planned: `version --long --node` shows the code, commit and chain versions and the plan.
  const version = JSON.parse((await ok(['version', '--long', '--node', chain.node, '--output', 'json'])).stdout);
  expect(version).toMatchObject({ server_name: 'sekaid-ts', chain_version: version.app_version, upgrade_plan: { name: 'v2-up', version: 'v2', height: 1000000 } });
  expect(version.app_version).not.toBe('');
  expect(version.commit).toMatch(/^([0-9a-f]{40})?$/);
  process.stdout.write(`proposals e2e: ${lines.length} proposal commands; ${signingMs} ms of signing left once the node was up (${PARALLEL} at a time)\n`);
});
