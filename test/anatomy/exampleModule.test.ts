/**
 * A module built only from CONTRIBUTING.md's guide (test/anatomy/guestbook: message, query,
 * genesis, a proposal type, a module account, CLI) joins a chain with one line of wiring and
 * one client registration, and nothing else changes: x/accountid creates its module account,
 * x/gov routes and enacts its proposal, the CLI lists its commands, the client registry
 * encodes and prints its messages and proposal contents. The test app below is app/app.ts's
 * wiring, cut down to the modules the guestbook needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { Any as ContentAny } from '../../proto/gen/google/protobuf/any';
import { MsgSubmitProposal, MsgVoteProposal } from '../../proto/gen/sekai/gov/v1/tx';
import { VoteOption } from '../../proto/gen/sekai/gov/v1/gov';
import { BaseApp, baseAppStoreKeys } from '../../runtime/baseapp';
import { Context } from '../../runtime/context';
import { ModuleManager } from '../../runtime/manager';
import type { AppModule } from '../../runtime/module';
import { UpgradeKeeper } from '../../runtime/upgrade';
import { StateDb } from '../../store/db';
import { RootMultiStore } from '../../store/rootmulti';
import { sekaiTypes } from '../../client/registry';
import { buildCli } from '../../cmd/sekaid-ts/root';
import { accountIdModule } from '../../x/accountid';
import { bankModule } from '../../x/bank';
import { govGenesisEditor, govModule, ROLE_SUDO } from '../../x/gov';
import { readOnlyStores } from '../fixtures/readOnlyStores';
import { CHAIN_ID, genesisState, key, signTx, tempDir, time } from '../accountid/helpers';
import { guestbookModule, GuestbookTypes as G, GUESTBOOK_MODULE_NAME } from './guestbook';

const ROOT = path.resolve(__dirname, '..', '..');
const FOLDER = path.join(__dirname, 'guestbook');

/** The test chain's wiring: app/app.ts's buildModules with the guestbook added in one line. */
function buildModules() {
  const upgrades = new UpgradeKeeper();
  const accountid = accountIdModule({ moduleAccounts: () => modules.flatMap((m) => m.moduleAccounts ?? []) });
  const bank = bankModule({ accounts: accountid.keeper });
  const gov = govModule({ accounts: accountid.keeper, upgrades });
  const guestbook = guestbookModule({ accounts: accountid.keeper });
  const modules: AppModule[] = [accountid, bank, gov, guestbook].map((d) => d.module);
  gov.keeper.proposals.registerAll(modules.flatMap((m) => m.proposals ?? []));
  return { modules, accountid, bank, gov, guestbook };
}

async function openChain(dir: string) {
  const built = buildModules();
  const manager = new ModuleManager(built.modules);
  const db = await StateDb.open(path.join(dir, 'state'));
  const store = await RootMultiStore.open(db, { stores: baseAppStoreKeys(manager), pruning: { strategy: 'nothing' } });
  const app = new BaseApp({ name: 'guestbook-test', codeVersion: 'v0', store, modules: manager, accounts: built.accountid.keeper, bank: built.bank.keeper, feeParams: built.gov.keeper });
  return { ...built, manager, app, store };
}

describe('a module built from the guide', () => {
  const alice = key('guestbook alice');
  const bob = key('guestbook bob');
  let dir: string;
  let chain: Awaited<ReturnType<typeof openChain>>;
  let height = 0;
  let now = 1_700_000_000;
  const seq = new Map<string, bigint>();

  const tx = (k: typeof alice, n: bigint, msgs: Any[]) => {
    const s = seq.get(k.address) ?? 0n;
    seq.set(k.address, s + 1n);
    return signTx(k, msgs, { accountNumber: n, sequence: s, chainId: CHAIN_ID });
  };
  const block = async (txs: Uint8Array[], advance = 5) => {
    height += 1;
    now += advance;
    const res = chain.app.finalizeBlock({
      txs,
      decidedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(32),
      height: BigInt(height),
      time: time(now),
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20),
    });
    await chain.app.commit();
    return res.txResults;
  };
  const read = () => {
    const version = chain.store.lastCommitId().version;
    return new Context({ mode: 'deliver', block: { chainId: CHAIN_ID, height: version, time: time(now), proposer: new Uint8Array() }, stores: readOnlyStores(chain.store, version) });
  };
  const entry = (account: string) => chain.app.query({ path: G.TypeUrls.queryEntry, data: G.QueryEntryRequest.encode({ account }).finish(), height: 0n, prove: false });
  const sign = (signer: string, text: string): Any => ({ typeUrl: G.TypeUrls.sign, value: G.MsgSign.encode({ signer, text }).finish() });

  beforeAll(async () => {
    dir = tempDir('guestbook');
    chain = await openChain(dir);
    const appState = genesisState([alice.address, bob.address]);
    govGenesisEditor.assignRole(appState, alice.address, ROLE_SUDO);
    govGenesisEditor.setNetworkProperty(appState, 'MINIMUM_PROPOSAL_END_TIME', '30');
    govGenesisEditor.setNetworkProperty(appState, 'PROPOSAL_ENACTMENT_TIME', '1');
    chain.app.initChain({
      time: time(now),
      chainId: CHAIN_ID,
      consensusParams: undefined,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(appState)),
      initialHeight: 1n,
    });
    await block([]);
  });
  afterAll(async () => {
    await chain.store.close?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('has the files the guide lists, and reaches other code only through public faces', () => {
    const text = fs.readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8');
    const section = text.slice(text.indexOf('## A module'), text.indexOf('## A message'));
    const listed = [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1].replace(/ .*$/, ''));
    const optional = new Set(['types/params.ts']);
    expect(listed.filter((f) => !optional.has(f) && !fs.existsSync(path.join(FOLDER, f)))).toEqual([]);
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
    const outside: string[] = [];
    for (const file of files(FOLDER)) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = path.relative(ROOT, path.resolve(path.dirname(file), m[1]));
        if (target.startsWith('test/anatomy/guestbook')) continue;
        const [top, second, third] = target.split(path.sep);
        const ok = ['runtime', 'client', 'types', 'store'].includes(top) || (top === 'x' && second !== undefined && third === undefined);
        if (!ok) outside.push(`${path.relative(FOLDER, file)} → ${target}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('x/accountid creates its module account at genesis from moduleAccounts', () => {
    const ctx = read();
    const id = chain.accountid.keeper.moduleAccountId(ctx, GUESTBOOK_MODULE_NAME);
    expect(chain.accountid.keeper.isModuleAccount(ctx, id)).toBe(true);
  });

  it('routes its message and query; a refusal carries its codespace and changes nothing', async () => {
    const [ok, tooLong] = await block([tx(alice, 0n, [sign(alice.address, 'hello from alice')]), tx(bob, 1n, [sign(bob.address, 'x'.repeat(141))])]);
    expect(ok.code).toBe(0);
    expect(ok.events.some((e) => e.type === 'guestbook_signed')).toBe(true);
    expect({ code: tooLong.code, codespace: tooLong.codespace }).toEqual({ code: 2, codespace: 'guestbook' });
    expect(tooLong.log).toMatch(/141 characters, at most 140/);
    expect(G.QueryEntryResponse.decode(entry(alice.address).value).text).toBe('hello from alice');
    const missing = entry(bob.address);
    expect({ code: missing.code, codespace: missing.codespace }).toEqual({ code: 3, codespace: 'guestbook' });
    expect(chain.guestbook.keeper.signedCount(read())).toBe(1n);
  });

  it('x/gov routes, tallies and enacts its proposal type', async () => {
    const content = ContentAny.fromPartial({ typeUrl: G.TypeUrls.clearEntry, value: Buffer.from(G.ClearEntryProposal.encode({ account: alice.address }).finish()) });
    const submit: Any = { typeUrl: '/sekai.gov.v1.MsgSubmitProposal', value: MsgSubmitProposal.encode({ proposer: alice.address, title: 'clear', description: 'spam', content }).finish() };
    const [submitted] = await block([tx(alice, 0n, [submit])]);
    expect(submitted.code).toBe(0);
    const vote: Any = { typeUrl: '/sekai.gov.v1.MsgVoteProposal', value: MsgVoteProposal.encode({ proposalId: 1n, voter: alice.address, option: VoteOption.VOTE_OPTION_YES, slash: '' }).finish() };
    const [voted] = await block([tx(alice, 0n, [vote])]);
    expect(voted.code).toBe(0);
    for (let i = 0; i < 6 && entry(alice.address).code === 0; i++) await block([], 40);
    const cleared = entry(alice.address);
    expect({ code: cleared.code, codespace: cleared.codespace }).toEqual({ code: 3, codespace: 'guestbook' });
  });

  it('the CLI lists its commands and the client registry encodes and prints its messages', () => {
    const { program } = buildCli({ modules: chain.manager.modules });
    const sub = (c: Command, name: string) => c.commands.find((x) => x.name() === name);
    expect(sub(sub(sub(program, 'tx')!, 'guestbook')!, 'sign')).toBeDefined();
    expect(sub(sub(sub(program, 'query')!, 'guestbook')!, 'entry')).toBeDefined();

    const types = sekaiTypes().registerModule(G).registerProposals(G);
    const content = ContentAny.fromPartial({ typeUrl: G.TypeUrls.clearEntry, value: Buffer.from(G.ClearEntryProposal.encode({ account: 'kira1x' }).finish()) });
    const submit = MsgSubmitProposal.encode({ proposer: 'kira1p', title: 't', description: 'd', content }).finish();
    expect(types.anyToJson('/sekai.gov.v1.MsgSubmitProposal', submit)).toMatchObject({ content: { '@type': G.TypeUrls.clearEntry, account: 'kira1x' } });
    expect(types.encodeValue({ typeUrl: G.TypeUrls.sign, value: { signer: 'kira1s', text: 'hi' } })).toEqual(G.MsgSign.encode({ signer: 'kira1s', text: 'hi' }).finish());
  });
});
