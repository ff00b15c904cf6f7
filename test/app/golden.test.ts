/**
 * The golden whole-app test: a fixed, seeded 500-block workload driven through the real app
 * (createApp over LevelDB, InitChain / FinalizeBlock / Commit) across every module, whose
 * AppHash at every 50th height, every tx result (code, codespace, log, gas, data, events),
 * every block's own events and validator updates, and the final genesis export are pinned
 * in test/fixtures/golden/. A change meant to keep behaviour (a refactor) must leave those
 * files byte-identical.
 *
 *   GOLDEN_UPDATE=1 npx jest test/app/golden.test.ts   rewrites the fixture (only for a
 *   deliberate behaviour change, named in the commit message).
 *
 * Everything is fixed: keys from fixed seeds, block times T0 + 5 s × height, RFC 6979
 * signatures, a xorshift generator for the background traffic. Only public faces are used
 * (createApp, the modules' index.ts, proto/gen, crypto), so the test survives moves of the
 * runtime's internals with import-path edits at most.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MsgMultiSend, MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { MisbehaviorType, type Event as AbciEvent, type ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { createApp, type SekaiApp } from '../../app/app';
import { accAddressFromSecp256k1, addressToBech32, consAddressFromEd25519 } from '../../crypto/address';
import { sha256 } from '../../crypto/hash';
import { ed25519FromSeed, ed25519ToCosmosJson } from '../../crypto/keys';
import { publicKeyFromPrivate, signSecp256k1 } from '../../crypto/secp256k1';
import { QueryAccountRequest, QueryAccountResponse } from '../../proto/gen/sekai/accountid/v1/query';
import type { AccountView } from '../../proto/gen/sekai/accountid/v1/account';
import * as AccTx from '../../proto/gen/sekai/accountid/v1/tx';
import type { ActionBody, AdminPayload, BridgeEvent, ValidatorSet } from '../../proto/gen/sekai/bridge/v1/bridge';
import { Role } from '../../proto/gen/sekai/bridge/v1/bridge';
import * as BQ from '../../proto/gen/sekai/bridge/v1/query';
import * as BTx from '../../proto/gen/sekai/bridge/v1/tx';
import { VoteOption } from '../../proto/gen/sekai/gov/v1/gov';
import { NetworkProperty } from '../../proto/gen/sekai/gov/v1/network_properties';
import * as GP from '../../proto/gen/sekai/gov/v1/proposal';
import * as GTx from '../../proto/gen/sekai/gov/v1/tx';
import { Era, ProposalAddNotaryEra, ProposalRebindNotaryPayout } from '../../proto/gen/sekai/notarypay/v1/notarypay';
import { MsgNotarize, MsgSetPubkey } from '../../proto/gen/sekai/notarypay/v1/tx';
import { ProposalResetWholeValidatorRank } from '../../proto/gen/sekai/slashing/v1/slashing';
import * as SlTx from '../../proto/gen/sekai/slashing/v1/tx';
import * as StTx from '../../proto/gen/sekai/staking/v1/tx';
import { AccountIdTypeUrls, addKeyProofDigest, ethAddressOf, linkWalletText, personalSignDigest } from '../../x/accountid';
import { KEX_METADATA } from '../../x/bank';
import { BridgeQueryPaths, BridgeTypeUrls, adminBytes, selfReplaceBytes, signBridgeBytes, sortKeys } from '../../x/bridge';
import { SlashingTypeUrls, RESET_RANK_TYPE_URL } from '../../x/customslashing';
import { StakingTypeUrls } from '../../x/customstaking';
import { ADD_NOTARY_ERA_TYPE_URL, NotaryPayTypeUrls, REBIND_NOTARY_PAYOUT_TYPE_URL, signNotarization } from '../../x/notarypay';
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nativeSecp = require('secp256k1') as {
  ecdsaSign(m: Uint8Array, k: Uint8Array): { signature: Uint8Array; recid: number };
  publicKeyCreate(k: Uint8Array, c: boolean): Uint8Array;
};

jest.setTimeout(600_000);

const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'golden');
const UPDATE = process.env.GOLDEN_UPDATE === '1';
const CHAIN_ID = 'sekai-golden-1';
const T0 = 1_700_000_000;
const BLOCK_SECONDS = 5;
const BLOCKS = 500;
const HASH_EVERY = 50;
const UPGRADE_HEIGHT = 450;
const UPGRADE_VERSION = 'v0.2.0-golden';
const FUNDS = 5_000_000_000_000n;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const timeOf = (height: number) => ({ seconds: BigInt(T0 + BLOCK_SECONDS * height), nanos: 0 });
const msOf = (height: number) => BigInt(T0 + BLOCK_SECONDS * height) * 1000n;

// ------------------------------------------------------------------ keys

interface Key {
  name: string;
  priv: Uint8Array;
  pub: Uint8Array;
  address: string;
}

function key(name: string): Key {
  const priv = sha256(Buffer.from(`golden key ${name}`));
  const pub = publicKeyFromPrivate(priv);
  return { name, priv, pub, address: addressToBech32('account', accAddressFromSecp256k1(pub)) };
}

interface Operator extends Key {
  valAddr: string;
  consPub: Uint8Array;
  consAddr: Uint8Array;
}

function operator(i: number): Operator {
  const k = key(`operator-${i}`);
  const cons = ed25519FromSeed(sha256(Buffer.from(`golden consensus key ${i}`)));
  return { ...k, valAddr: addressToBech32('validator', accAddressFromSecp256k1(k.pub)), consPub: cons.pubkey, consAddr: consAddressFromEd25519(cons.pubkey) };
}

const admin = [key('admin-0'), key('admin-1')];
const ops = Array.from({ length: 5 }, (_, i) => operator(i));
const users = Array.from({ length: 4 }, (_, i) => key(`user-${i}`));
const u0b = key('user-0-second-key');
const relayer = key('relayer');
const fresh = Array.from({ length: 40 }, (_, i) => key(`fresh-${i}`));
const E1 = Array.from({ length: 5 }, (_, i) => key(`notary-era1-${i}`));
const E2 = Array.from({ length: 5 }, (_, i) => key(`notary-era2-${i}`));
const E3 = Array.from({ length: 5 }, (_, i) => key(`notary-era3-${i}`));
const L = [key('listener-0'), key('listener-1'), key('listener-2')];
const L2b = key('listener-2-replacement');
const A = [key('approver-0'), key('approver-1'), key('approver-2')];
const P = key('processor');
const BU = key('bridge-user-u');
const BV = key('bridge-user-v');
const WALLET_U = 'eth:0x' + '11'.repeat(20);
const WALLET_V = 'eth:0x' + '22'.repeat(20);
const ethKeys = [1, 2].map((i) => Buffer.from(i.toString(16).padStart(64, '0'), 'hex'));
const ethWallets = ethKeys.map((p) => `eth:${ethAddressOf(nativeSecp.publicKeyCreate(p, false))}`);

const funded = [...admin, ...ops, ...users, relayer, ...L, ...A, P];

/** xorshift32: the background traffic, fixed by its seed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return { int: (n: number) => next() % n, pick: <T>(list: readonly T[]): T => list[next() % list.length] };
}

// ------------------------------------------------------------------ genesis

const eraJson = (keys: Key[], prefix: string, start: number, pay: string) => ({
  start_time: String(start),
  pay,
  notaries: keys.map((k, i) => ({ name: `${prefix}${i}`, pub_key: hex(k.pub) })),
});
const ERA2_START = T0 + BLOCK_SECONDS * 150;
const ERA3_START = T0 + BLOCK_SECONDS * 360;
const ERA_GAP = 20;

function appState(): Record<string, unknown> {
  const allVotes = ['VOTE_OPTION_YES', 'VOTE_OPTION_ABSTAIN', 'VOTE_OPTION_NO', 'VOTE_OPTION_NO_WITH_VETO'];
  return {
    accountid: { accounts: funded.map((k, i) => ({ address: k.address, account_number: String(i) })) },
    bank: {
      balances: funded.map((k) => ({ address: k.address, coins: [{ denom: 'ukex', amount: FUNDS.toString() }] })),
      denom_metadata: [Metadata.toJSON(KEX_METADATA)],
    },
    customgov: {
      network_actors: admin.map((k) => ({
        address: k.address,
        roles: ['1'],
        status: 'ACTIVE',
        votes: allVotes,
        permissions: { blacklist: [], whitelist: [] },
        skin: '0',
      })),
      network_properties: {
        minimum_proposal_end_time: '10',
        proposal_enactment_time: '5',
        min_proposal_end_blocks: '2',
        min_proposal_enactment_blocks: '1',
        mischance_confidence: '2',
        max_mischance: '3',
        downtime_inactive_duration: '100',
        commission_change_delay: '100',
        min_validators: '4',
        unjail_max_time: '600',
      },
    },
    customstaking: {
      validators: ops.slice(0, 4).map((o, i) => ({
        val_key: o.valAddr,
        pub_key: ed25519ToCosmosJson(o.consPub),
        status: 'ACTIVE',
        rank: '0',
        streak: '0',
        moniker: `genesis-${i}`,
      })),
    },
    notarypay: {
      params: { era_gap_seconds: String(ERA_GAP) },
      eras: [eraJson(E1, 'a', 0, '1000'), eraJson(E2, 'b', ERA2_START, '2000')],
    },
    bridge: {
      validator_set: { processor: hex(P.pub), listeners: L.map((k) => hex(k.pub)), needed_listeners: 2, approvers: A.map((k) => hex(k.pub)), needed_approvers: 2 },
      chains: [
        {
          name: 'ethereum',
          contract: '0xbridge',
          assets: [
            { external_denom: 'usdc', decimals: 6, local_denom: 'uusdc' },
            { external_denom: 'wkex', decimals: 6, local_denom: 'ukex' },
            { external_denom: 'weth', decimals: 18, local_denom: 'uweth' },
          ],
        },
        { name: 'solana', contract: 'So1Bridge', assets: [{ external_denom: 'usdc', decimals: 6, local_denom: 'uusdc' }] },
      ],
    },
  };
}

// ------------------------------------------------------------------ messages

const enc = <T>(typeUrl: string, codec: { encode(m: T): { finish(): Uint8Array }; fromPartial(o: object): T }, o: object): Any => ({
  typeUrl,
  value: codec.encode(codec.fromPartial(o)).finish(),
});
const coins = (amount: string | bigint, denom = 'ukex') => [{ denom, amount: amount.toString() }];
const send = (from: Key, to: string, amount: string | bigint, denom = 'ukex'): Any => enc(MsgSend.typeUrl, MsgSend, { fromAddress: from.address, toAddress: to, amount: coins(amount, denom) });
const multiSend = (from: Key, outs: [string, bigint][], inputTotal?: bigint): Any =>
  enc(MsgMultiSend.typeUrl, MsgMultiSend, {
    inputs: [{ address: from.address, coins: coins(inputTotal ?? outs.reduce((s, [, a]) => s + a, 0n)) }],
    outputs: outs.map(([address, a]) => ({ address, coins: coins(a) })),
  });
const govMsg = (name: string, codec: Parameters<typeof enc>[1], o: object): Any => enc(`/sekai.gov.v1.${name}`, codec as never, o);
const content = (typeUrl: string, codec: { encode(m: never): { finish(): Uint8Array }; fromPartial(o: object): unknown }, o: object): Any => ({
  typeUrl,
  value: codec.encode(codec.fromPartial(o) as never).finish(),
});
const gp = (name: string, o: object): Any => content(`/sekai.gov.v1.${name}`, (GP as unknown as Record<string, never>)[name], o);

function bridgeMsg(url: string, codec: unknown, o: object): Any {
  return enc(url, codec as never, o);
}
const deposit = (wallet: string, funds: [string, string][], keys: Key[]): BridgeEvent => ({
  regular: { wallet, funds: funds.map(([denom, amount]) => ({ denom, amount })), keys: keys.map((k) => Buffer.from(k.pub)) },
});

// ------------------------------------------------------------------ the chain

interface Step {
  label: string;
  key: Key;
  msgs: Any[];
  fee?: string;
  /** Sign at the committed sequence + this (a wrong sequence, refused by the ante). */
  sequenceSkew?: bigint;
  /** Sign for this chain id instead (refused: signature does not verify). */
  chainId?: string;
}

type StepFn = (g: Golden) => Step[];

interface TxRecord {
  height: number;
  index: number;
  label: string;
  code: number;
  codespace: string;
  log: string;
  info: string;
  gas_wanted: string;
  gas_used: string;
  data: string;
  events: { type: string; attributes: string[] }[];
}

const eventsOf = (events: AbciEvent[]) => events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => `${a.key}=${a.value}${a.index ? '' : ' (unindexed)'}`) }));

class Golden {
  height = 0;
  readonly hashes = new Map<number, string>();
  readonly txs: TxRecord[] = [];
  readonly blocks: Record<string, unknown>[] = [];
  readonly proposalIds = new Map<string, bigint>();
  /** Operators whose votes the next commits carry (set by the workload). */
  readonly voters = new Set<number>([0, 1, 2, 3]);

  constructor(
    public sekai: SekaiApp,
    readonly dir: string,
  ) {}

  query<T>(path: string, data: Uint8Array, codec: { decode(b: Uint8Array): T }): T {
    const res = this.sekai.app.query({ path, data, height: 0n, prove: false });
    if (res.code !== 0) throw new Error(`query ${path} failed: ${res.log}`);
    return codec.decode(res.value);
  }

  account(ref: string): AccountView | undefined {
    const res = this.sekai.app.query({ path: '/sekai.accountid.v1.Query/Account', data: QueryAccountRequest.encode({ ref }).finish(), height: 0n, prove: false });
    return res.code === 0 ? QueryAccountResponse.decode(res.value).account : undefined;
  }

  appHashAt(height: number): Uint8Array {
    const h = this.hashes.get(height);
    if (!h) throw new Error(`no AppHash for ${height}`);
    return Buffer.from(h, 'hex');
  }

  bridgeActions(chain: string) {
    return this.query(BridgeQueryPaths.actions, BQ.QueryActionsRequest.encode({ chain, startId: 0n, limit: 0 }).finish(), BQ.QueryActionsResponse).actions;
  }

  bridgePayload(chain: string, id: bigint): Uint8Array {
    const a = this.bridgeActions(chain).find((x) => x.actionId === id);
    if (!a) throw new Error(`no bridge action ${chain}/${id}`);
    return a.payload;
  }

  bridgeChain(name: string) {
    return this.query(BridgeQueryPaths.chains, BQ.QueryChainsRequest.encode({}).finish(), BQ.QueryChainsResponse).chains.find((c) => c.config!.name === name)!;
  }

  bridgeHistoryLength(): bigint {
    return BigInt(this.query(BridgeQueryPaths.history, BQ.QueryHistoryRequest.encode({}).finish(), BQ.QueryHistoryResponse).entries.length);
  }

  private sign(step: Step, pending: Map<bigint, bigint>): Uint8Array {
    const acc = this.account(step.key.address);
    if (!acc) throw new Error(`workload: ${step.label}: ${step.key.name} has no account`);
    const seq = pending.get(acc.id) ?? acc.sequence;
    const skew = step.sequenceSkew ?? 0n;
    if (skew === 0n) pending.set(acc.id, seq + 1n);
    const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: step.msgs, memo: step.label })).finish();
    const authInfoBytes = AuthInfo.encode(
      AuthInfo.fromPartial({
        signerInfos: [
          {
            publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: step.key.pub }).finish() },
            modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
            sequence: seq + skew,
          },
        ],
        fee: { amount: coins(step.fee ?? '200'), gasLimit: 2_000_000n },
      }),
    ).finish();
    const doc = SignDoc.encode({ bodyBytes, authInfoBytes, chainId: step.chainId ?? CHAIN_ID, accountNumber: acc.id }).finish();
    return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signSecp256k1(step.key.priv, sha256(doc))] }).finish();
  }

  finalizeRequest(txs: Uint8Array[], o: { absent?: number[]; doubleSigners?: number[] }) {
    const h = this.height + 1;
    const votes = [...this.voters].sort((a, b) => a - b).map((i) => ({
      validator: { address: ops[i].consAddr, power: 1n },
      blockIdFlag: (o.absent ?? []).includes(i) ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
    }));
    return {
      txs,
      decidedLastCommit: { round: 0, votes },
      misbehavior: (o.doubleSigners ?? []).map((i) => ({
        type: MisbehaviorType.DUPLICATE_VOTE,
        validator: { address: ops[i].consAddr, power: 1n },
        height: BigInt(h - 1),
        time: timeOf(h - 1),
        totalVotingPower: BigInt(this.voters.size),
      })),
      hash: sha256(Buffer.from(`golden block ${h}`)),
      height: BigInt(h),
      time: timeOf(h),
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: ops[h % 4].consAddr,
    };
  }

  async block(steps: Step[], o: { absent?: number[]; doubleSigners?: number[] } = {}): Promise<ResponseFinalizeBlock> {
    const pending = new Map<bigint, bigint>();
    const txs = steps.map((s) => this.sign(s, pending));
    const res = this.sekai.app.finalizeBlock(this.finalizeRequest(txs, o));
    await this.sekai.app.commit();
    this.height += 1;
    const h = this.height;
    this.hashes.set(h, hex(res.appHash));
    res.txResults.forEach((r, i) => {
      this.txs.push({
        height: h,
        index: i,
        label: steps[i].label,
        code: r.code,
        codespace: r.codespace,
        log: r.log,
        info: r.info,
        gas_wanted: r.gasWanted.toString(),
        gas_used: r.gasUsed.toString(),
        data: hex(r.data),
        events: eventsOf(r.events),
      });
      if (r.code === 0 && steps[i].msgs[0].typeUrl === '/sekai.gov.v1.MsgSubmitProposal') {
        const id = GTx.MsgSubmitProposalResponse.decode(TxMsgData.decode(r.data).msgResponses[0].value).proposalId;
        this.proposalIds.set(steps[i].label, id);
      }
    });
    if (res.events.length > 0 || res.validatorUpdates.length > 0) {
      this.blocks.push({
        height: h,
        events: eventsOf(res.events),
        validator_updates: res.validatorUpdates.map((u) => `${Buffer.from(u.pubKey?.ed25519 ?? new Uint8Array()).toString('base64')}:${u.power}`),
      });
    }
    return res;
  }
}

// ------------------------------------------------------------------ the workload

const schedule = new Map<number, StepFn[]>();
function at(height: number, fn: StepFn): void {
  const list = schedule.get(height) ?? [];
  list.push(fn);
  schedule.set(height, list);
}
const once = (height: number, step: Step | ((g: Golden) => Step)) => at(height, (g) => [typeof step === 'function' ? step(g) : step]);

/** A governance proposal: admin 0 submits at `height`, both admins vote at `height + 1`. */
function proposal(height: number, label: string, c: Any | ((g: Golden) => Any), vote = VoteOption.VOTE_OPTION_YES): void {
  const submitLabel = `gov submit ${label}`;
  once(height, (g) => ({
    label: submitLabel,
    key: admin[0],
    msgs: [govMsg('MsgSubmitProposal', GTx.MsgSubmitProposal, { proposer: admin[0].address, title: label, description: `golden: ${label}`, content: typeof c === 'function' ? c(g) : c })],
  }));
  at(height + 1, (g) => {
    const id = g.proposalIds.get(submitLabel);
    if (id === undefined) return []; // a refused submission (pinned in its tx result) gets no votes
    return admin.map((k, i) => ({ label: `gov vote ${label} by admin ${i}`, key: k, msgs: [govMsg('MsgVoteProposal', GTx.MsgVoteProposal, { proposalId: id, voter: k.address, option: vote, slash: '0' })] }));
  });
}

function accountWorkload(): void {
  // Accounts created by sends, a multi-send, names, keys, wallet links.
  once(2, { label: 'bank send creates fresh-0', key: users[0], msgs: [send(users[0], fresh[0].address, 10_000_000n)] });
  once(2, { label: 'bank multi-send creates fresh-1 and fresh-2', key: users[1], msgs: [multiSend(users[1], [[fresh[1].address, 3_000_000n], [fresh[2].address, 2_000_000n]])] });
  once(3, { label: 'bank send by a created account', key: fresh[0], msgs: [send(fresh[0], users[2].address, 1000n)] });
  once(3, { label: 'bank send two messages in one tx', key: users[2], msgs: [send(users[2], fresh[3].address, 4_000_000n), send(users[2], fresh[4].address, 5_000_000n)] });
  once(4, { label: 'accountid register name alice', key: users[0], msgs: [enc(AccountIdTypeUrls.registerName, AccTx.MsgRegisterName, { sender: users[0].address, name: 'alice' })] });
  once(4, { label: 'accountid register name bob.team', key: users[1], msgs: [enc(AccountIdTypeUrls.registerName, AccTx.MsgRegisterName, { sender: users[1].address, name: 'bob.team' })] });
  once(4, { label: 'accountid register invalid name (refused)', key: users[2], msgs: [enc(AccountIdTypeUrls.registerName, AccTx.MsgRegisterName, { sender: users[2].address, name: 'Bad' })] });
  once(5, { label: 'accountid register taken name (refused)', key: users[3], msgs: [enc(AccountIdTypeUrls.registerName, AccTx.MsgRegisterName, { sender: users[3].address, name: 'alice' })] });
  once(5, (g) => {
    const id = g.account(users[0].address)!.id;
    return {
      label: 'accountid add second key',
      key: users[0],
      msgs: [enc(AccountIdTypeUrls.addKey, AccTx.MsgAddKey, { sender: users[0].address, pubKey: Buffer.from(u0b.pub), signature: Buffer.from(signSecp256k1(u0b.priv, addKeyProofDigest(CHAIN_ID, id))) })],
    };
  });
  once(6, { label: 'bank send signed by the second key', key: u0b, msgs: [send(u0b, fresh[5].address, 1_000_000n)] });
  once(6, { label: 'bank send to a name', key: users[1], msgs: [send(users[1], 'alice', 7_000n)] });
  once(7, (g) => {
    const id = g.account(users[0].address)!.id;
    const { signature, recid } = nativeSecp.ecdsaSign(personalSignDigest(linkWalletText(CHAIN_ID, id, ethWallets[0])), ethKeys[0]);
    return { label: 'accountid link wallet', key: users[0], msgs: [enc(AccountIdTypeUrls.linkWallet, AccTx.MsgLinkWallet, { sender: users[0].address, wallet: ethWallets[0], signature: Buffer.concat([signature, Buffer.from([27 + recid])]) })] };
  });
  once(7, (g) => {
    const id = g.account(users[1].address)!.id;
    const { signature, recid } = nativeSecp.ecdsaSign(personalSignDigest(linkWalletText(CHAIN_ID, id, ethWallets[1])), ethKeys[1]);
    return { label: 'accountid link wallet 2', key: users[1], msgs: [enc(AccountIdTypeUrls.linkWallet, AccTx.MsgLinkWallet, { sender: users[1].address, wallet: ethWallets[1], signature: Buffer.concat([signature, Buffer.from([27 + recid])]) })] };
  });
  once(8, (g) => {
    const id = g.account(users[2].address)!.id;
    const { signature, recid } = nativeSecp.ecdsaSign(personalSignDigest(linkWalletText(CHAIN_ID, id + 1n, ethWallets[1])), ethKeys[1]);
    return { label: 'accountid link wallet with a proof for another account (refused)', key: users[2], msgs: [enc(AccountIdTypeUrls.linkWallet, AccTx.MsgLinkWallet, { sender: users[2].address, wallet: ethWallets[1], signature: Buffer.concat([signature, Buffer.from([27 + recid])]) })] };
  });
  once(9, { label: 'bank send to a linked wallet', key: users[3], msgs: [send(users[3], ethWallets[0], 11_000n)] });
  once(9, { label: 'accountid unlink wallet', key: users[1], msgs: [enc(AccountIdTypeUrls.unlinkWallet, AccTx.MsgUnlinkWallet, { sender: users[1].address, wallet: ethWallets[1] })] });
  once(10, { label: 'accountid transfer name bob.team', key: users[1], msgs: [enc(AccountIdTypeUrls.transferName, AccTx.MsgTransferName, { sender: users[1].address, to: fresh[1].address })] });
  once(11, { label: 'accountid remove second key', key: users[0], msgs: [enc(AccountIdTypeUrls.removeKey, AccTx.MsgRemoveKey, { sender: users[0].address, pubKey: Buffer.from(u0b.pub) })] });
  once(12, { label: 'accountid add key with a wrong proof (refused)', key: users[3], msgs: [enc(AccountIdTypeUrls.addKey, AccTx.MsgAddKey, { sender: users[3].address, pubKey: Buffer.from(fresh[6].pub), signature: Buffer.from(signSecp256k1(fresh[6].priv, addKeyProofDigest(CHAIN_ID, 999n))) })] });

  // Refused bank traffic, each its own code.
  once(13, { label: 'bank send above balance (refused)', key: fresh[2], msgs: [send(fresh[2], users[0].address, 999_000_000_000n)] });
  once(13, { label: 'bank send above the transfer cap (refused)', key: users[3], msgs: [send(users[3], users[0].address, 2_000_000_000_000n)] });
  once(14, { label: 'bank multi-send inputs differ from outputs (refused)', key: users[3], msgs: [multiSend(users[3], [[users[0].address, 5n]], 6n)] });
  once(14, { label: 'bank send with a fee below MIN_TX_FEE (refused)', key: users[0], msgs: [send(users[0], users[1].address, 1n)], fee: '1' });
  once(15, { label: 'bank send with a wrong sequence (refused)', key: users[1], msgs: [send(users[1], users[0].address, 1n)], sequenceSkew: 5n });
  once(15, { label: 'bank send signed for another chain (refused)', key: users[2], msgs: [send(users[2], users[0].address, 1n)], chainId: 'other-chain' });
  once(16, { label: 'bank send of zero (refused)', key: users[2], msgs: [send(users[2], users[0].address, 0n)] });
  once(16, { label: 'bank send by a removed key (refused)', key: u0b, msgs: [send(u0b, users[1].address, 1n)] });

  // Background traffic: sends and multi-sends among users and fresh accounts.
  const r = rng(20_261_207);
  let next = 7;
  for (let h = 30; h <= 490; h += 7) {
    const height = h;
    at(height, () => {
      const from = r.pick(users);
      const target = next < fresh.length && r.int(3) === 0 ? fresh[next++] : r.pick([...users, ...fresh.slice(0, Math.min(next, fresh.length))]);
      const amount = BigInt(1 + r.int(1_000_000));
      const steps: Step[] = [{ label: `bank background send h${height}`, key: from, msgs: [send(from, target.address, amount)] }];
      if (r.int(4) === 0) {
        const a = r.pick(fresh.slice(0, Math.min(next, fresh.length)));
        steps.push({ label: `bank background multi-send h${height}`, key: admin[1], msgs: [multiSend(admin[1], [[a.address, amount], [target.address, 2n * amount]])] });
      }
      return steps;
    });
  }
}

function governanceWorkload(): void {
  const P_ = (name: string, o: object) => gp(name, o);
  proposal(10, 'whitelist claim-councilor for user 1', P_('WhitelistAccountPermissionProposal', { address: users[1].address, permission: 3 }));
  proposal(10, 'assign validator role to operator 4', P_('AssignRoleToAccountProposal', { address: ops[4].address, roleIdentifier: 'validator' }));
  proposal(12, 'set MISCHANCE_RANK_DECREASE_AMOUNT 5', P_('SetNetworkPropertyProposal', { networkProperty: NetworkProperty.MISCHANCE_RANK_DECREASE_AMOUNT, value: { value: 5n, strValue: '' } }));
  proposal(14, 'create role auditor', P_('CreateRoleProposal', { roleSid: 'auditor', roleDescription: 'Auditor role', whitelistedPermissions: [66], blacklistedPermissions: [] }));
  proposal(24, 'whitelist 67 on auditor', P_('WhitelistRolePermissionProposal', { roleIdentifier: 'auditor', permission: 67 }));
  proposal(24, 'blacklist 3 on auditor', P_('BlacklistRolePermissionProposal', { roleIdentifier: 'auditor', permission: 3 }));
  proposal(32, 'remove whitelisted 67 from auditor', P_('RemoveWhitelistedRolePermissionProposal', { roleIdentifier: 'auditor', permission: 67 }));
  proposal(32, 'remove blacklisted 3 from auditor', P_('RemoveBlacklistedRolePermissionProposal', { roleIdentifier: 'auditor', permission: 3 }));
  proposal(40, 'assign auditor to user 2', P_('AssignRoleToAccountProposal', { address: users[2].address, roleIdentifier: 'auditor' }));
  proposal(30, 'blacklist claim-validator for user 3', P_('BlacklistAccountPermissionProposal', { address: users[3].address, permission: 2 }));
  proposal(50, 'remove blacklisted claim-validator of user 3', P_('RemoveBlacklistedAccountPermissionProposal', { address: users[3].address, permission: 2 }));
  proposal(60, 'unassign auditor from user 2', P_('UnassignRoleFromAccountProposal', { address: users[2].address, roleIdentifier: 'auditor' }));
  proposal(80, 'remove role auditor', P_('RemoveRoleProposal', { roleSid: 'auditor' }));
  proposal(90, 'set Text proposal duration', P_('SetProposalDurationsProposal', { typeofProposals: ['Text'], proposalDurations: [30n] }));
  proposal(95, 'text poll', P_('TextProposal', {}));
  proposal(100, 'remove whitelisted claim-councilor of user 1', P_('RemoveWhitelistedAccountPermissionProposal', { address: users[1].address, permission: 3 }));
  proposal(130, 'set MAX_MISCHANCE 50 (voted down)', P_('SetNetworkPropertyProposal', { networkProperty: NetworkProperty.MAX_MISCHANCE, value: { value: 50n, strValue: '' } }), VoteOption.VOTE_OPTION_NO);
  proposal(140, 'unjail a validator that is not jailed (refused)', P_('ProposalUnjailValidator', { proposer: admin[0].address, valAddr: ops[0].valAddr, reference: 'none' }));
  proposal(205, 'unjail operator 3', P_('ProposalUnjailValidator', { proposer: admin[0].address, valAddr: ops[3].valAddr, reference: 'golden-evidence-200' }));
  proposal(260, 'reset whole validator rank', content(RESET_RANK_TYPE_URL, ProposalResetWholeValidatorRank as never, { proposer: admin[0].address, description: 'golden reset' }));
  proposal(300, 'add notary era 3', () => {
    const era: Era = { index: 3, startTime: BigInt(ERA3_START), pay: '3000', notaries: E3.map((k, i) => ({ name: `c${i}`, pubKey: Buffer.from(k.pub) })) };
    return content(ADD_NOTARY_ERA_TYPE_URL, ProposalAddNotaryEra as never, { proposer: admin[0].address, description: 'era 3', era });
  });
  proposal(310, 'rebind payout of era-2 notary 0', content(REBIND_NOTARY_PAYOUT_TYPE_URL, ProposalRebindNotaryPayout as never, { proposer: admin[0].address, description: 'rebind', pubKey: Buffer.from(E2[0].pub), payout: users[3].address }));
  proposal(420, 'software upgrade', P_('SoftwareUpgradeProposal', { name: 'golden-upgrade', version: UPGRADE_VERSION, height: BigInt(UPGRADE_HEIGHT), info: 'golden' }));

  // Refused governance txs.
  once(18, { label: 'gov submit without permission (refused)', key: users[3], msgs: [govMsg('MsgSubmitProposal', GTx.MsgSubmitProposal, { proposer: users[3].address, title: 'nope', description: 'nope', content: P_('TextProposal', {}) })] });
  once(11, (g) => ({ label: 'gov vote without permission (refused)', key: users[3], msgs: [govMsg('MsgVoteProposal', GTx.MsgVoteProposal, { proposalId: g.proposalIds.get('gov submit assign validator role to operator 4')!, voter: users[3].address, option: VoteOption.VOTE_OPTION_YES, slash: '0' })] }));
  once(19, { label: 'gov vote on an unknown proposal (refused)', key: admin[1], msgs: [govMsg('MsgVoteProposal', GTx.MsgVoteProposal, { proposalId: 999n, voter: admin[1].address, option: VoteOption.VOTE_OPTION_YES, slash: '0' })] });

  // Councilors: user 1 claims once whitelisted, pauses, unpauses; a second claim is refused.
  once(20, { label: 'gov claim councilor', key: users[1], msgs: [govMsg('MsgClaimCouncilor', GTx.MsgClaimCouncilor, { sender: users[1].address, moniker: 'councilor-one', username: 'one', description: 'golden', social: '', contact: '', avatar: '' })] });
  once(21, { label: 'gov claim councilor again (refused)', key: users[1], msgs: [govMsg('MsgClaimCouncilor', GTx.MsgClaimCouncilor, { sender: users[1].address, moniker: 'councilor-one', username: 'one' })] });
  once(22, { label: 'gov councilor pause', key: users[1], msgs: [govMsg('MsgCouncilorPause', GTx.MsgCouncilorPause, { sender: users[1].address })] });
  once(23, { label: 'gov councilor activate while paused (refused)', key: users[1], msgs: [govMsg('MsgCouncilorActivate', GTx.MsgCouncilorActivate, { sender: users[1].address })] });
  once(26, { label: 'gov councilor unpause', key: users[1], msgs: [govMsg('MsgCouncilorUnpause', GTx.MsgCouncilorUnpause, { sender: users[1].address })] });
  once(96, { label: 'gov text poll vote by the councilor', key: users[1], msgs: [govMsg('MsgVoteProposal', GTx.MsgVoteProposal, { proposalId: 15n, voter: users[1].address, option: VoteOption.VOTE_OPTION_ABSTAIN, slash: '0' })] });
  once(240, { label: 'gov councilor activate an active councilor (refused)', key: users[1], msgs: [govMsg('MsgCouncilorActivate', GTx.MsgCouncilorActivate, { sender: users[1].address })] });
  // Direct permission and role messages of a sudo actor.
  once(110, { label: 'gov whitelist permission directly', key: admin[1], msgs: [govMsg('MsgWhitelistPermissions', GTx.MsgWhitelistPermissions, { proposer: admin[1].address, address: users[2].address, permission: 66 })] });
  once(111, { label: 'gov create role directly', key: admin[1], msgs: [govMsg('MsgCreateRole', GTx.MsgCreateRole, { proposer: admin[1].address, roleSid: 'observer', roleDescription: 'Observer' })] });
}

function validatorWorkload(): void {
  // Operator 4 claims a seat once governance gave it the validator role; user 3 may not.
  once(20, { label: 'staking claim validator', key: ops[4], msgs: [enc(StakingTypeUrls.claimValidator, StTx.MsgClaimValidator, { sender: ops[4].address, moniker: 'claimed-4', pubKey: Buffer.from(ops[4].consPub), commissionRate: '0.05' })] });
  at(21, (g) => {
    g.voters.add(4);
    return [];
  });
  once(21, { label: 'staking claim validator without permission (refused)', key: users[3], msgs: [enc(StakingTypeUrls.claimValidator, StTx.MsgClaimValidator, { sender: users[3].address, moniker: 'intruder', pubKey: Buffer.from(ed25519FromSeed(sha256(Buffer.from('golden intruder'))).pubkey), commissionRate: '0' })] });
  once(30, { label: 'staking init commission change', key: ops[0], msgs: [enc(StakingTypeUrls.initCommissionChange, StTx.MsgInitCommissionChange, { sender: ops[0].address, valKey: '', rate: '0.1' })] });
  once(35, { label: 'staking finalize commission change early (refused)', key: ops[0], msgs: [enc(StakingTypeUrls.finalizeCommissionChange, StTx.MsgFinalizeCommissionChange, { sender: ops[0].address, valKey: '' })] });
  once(480, { label: 'staking finalize commission change', key: ops[0], msgs: [enc(StakingTypeUrls.finalizeCommissionChange, StTx.MsgFinalizeCommissionChange, { sender: ops[0].address, valKey: '' })] });
  // Pause / unpause; a pause that would leave fewer than MIN_VALIDATORS active is refused.
  once(100, { label: 'slashing pause', key: ops[2], msgs: [enc(SlashingTypeUrls.pause, SlTx.MsgPause, { sender: ops[2].address, valKey: '' })] });
  once(104, { label: 'slashing pause below MIN_VALIDATORS (refused)', key: ops[0], msgs: [enc(SlashingTypeUrls.pause, SlTx.MsgPause, { sender: ops[0].address, valKey: '' })] });
  once(110, { label: 'slashing unpause', key: ops[2], msgs: [enc(SlashingTypeUrls.unpause, SlTx.MsgUnpause, { sender: ops[2].address, valKey: '' })] });
  once(112, { label: 'slashing unpause an active validator (refused)', key: ops[2], msgs: [enc(SlashingTypeUrls.unpause, SlTx.MsgUnpause, { sender: ops[2].address, valKey: '' })] });
  // Operator 1 goes dark (h 120–140): mischance, then INACTIVE; activate too early, then in time.
  once(131, { label: 'slashing activate before inactive_until (refused)', key: ops[1], msgs: [enc(SlashingTypeUrls.activate, SlTx.MsgActivate, { sender: ops[1].address, valKey: '' })] });
  once(150, { label: 'slashing activate', key: ops[1], msgs: [enc(SlashingTypeUrls.activate, SlTx.MsgActivate, { sender: ops[1].address, valKey: '' })] });
  // Operator 3 double-signs at h 200: jailed; its own unjail is refused (JAIL_PERIOD), the
  // governance unjail (proposal at 205) makes it INACTIVE, then it activates.
  once(202, { label: 'staking unjail within the jail period (refused)', key: ops[3], msgs: [enc(StakingTypeUrls.unjail, StTx.MsgUnjail, { sender: ops[3].address, valKey: '' })] });
  once(203, { label: 'slashing activate while jailed (refused)', key: ops[3], msgs: [enc(SlashingTypeUrls.activate, SlTx.MsgActivate, { sender: ops[3].address, valKey: '' })] });
  once(220, { label: 'slashing activate after the unjail proposal', key: ops[3], msgs: [enc(SlashingTypeUrls.activate, SlTx.MsgActivate, { sender: ops[3].address, valKey: '' })] });
}

/** Absent votes: operator 1 dark from 120 to 140; operator 2 misses every 13th block; operator 4 every 29th. */
function absentAt(h: number): number[] {
  const out: number[] = [];
  if (h >= 120 && h <= 140) out.push(1);
  if (h % 13 === 0) out.push(2);
  if (h % 29 === 0) out.push(4);
  return out;
}

function notarize(g: Golden, label: string, signers: Key[], opts: { height?: number; hash?: Uint8Array } = {}): Step {
  const height = opts.height ?? g.height; // the last committed height (this block is g.height + 1)
  const appHash = opts.hash ?? g.appHashAt(height);
  return {
    label,
    key: relayer,
    msgs: [
      enc(NotaryPayTypeUrls.notarize, MsgNotarize, {
        sender: relayer.address,
        height: BigInt(height),
        appHash: Buffer.from(appHash),
        signatures: signers.map((s) => ({ pubKey: Buffer.from(s.pub), signature: Buffer.from(signNotarization(s.priv, CHAIN_ID, height, appHash)) })),
      }),
    ],
  };
}

/** Notarizations go first in their block (x/notarypay pays only at index 0). */
const notaryHeights = new Map<number, StepFn>();
function notaryAt(h: number, fn: StepFn): void {
  notaryHeights.set(h, fn);
}

function notaryWorkload(): void {
  for (let h = 13, n = 0; h < 150; h += 10, n++) notaryAt(h, (g) => [notarize(g, `notarypay notarize era 1 h${h}`, [E1[n % 5], E1[(n + 1) % 5]])]);
  notaryAt(25, (g) => [notarize(g, 'notarypay notarize a wrong AppHash (refused)', [E1[0], E1[1]], { hash: new Uint8Array(32).fill(9) })]);
  notaryAt(27, (g) => [notarize(g, 'notarypay notarize with a duplicate signer (refused)', [E1[2], E1[2]])]);
  notaryAt(29, (g) => [notarize(g, 'notarypay notarize an already notarized height (refused)', [E1[3]], { height: 20 })]);
  // E1[0]'s pay account exists after its first pay (h 15); it binds a payout once.
  once(31, { label: 'notarypay set payout', key: E1[0], msgs: [enc(NotaryPayTypeUrls.setPubkey, MsgSetPubkey, { sender: E1[0].address, payout: users[2].address })], fee: '100' });
  once(33, { label: 'notarypay set payout twice (refused)', key: E1[0], msgs: [enc(NotaryPayTypeUrls.setPubkey, MsgSetPubkey, { sender: E1[0].address, payout: users[3].address })], fee: '100' });
  // Era 2 starts at h 150; the gap lasts 20 s (to h 154).
  notaryAt(152, (g) => [notarize(g, 'notarypay notarize in the era gap (refused)', [E2[0], E2[1]])]);
  notaryAt(157, (g) => [notarize(g, 'notarypay notarize by era-1 notaries in era 2 (refused)', [E1[0], E1[1]])]);
  for (let h = 163, n = 0; h < 360; h += 10, n++) notaryAt(h, (g) => [notarize(g, `notarypay notarize era 2 h${h}`, [E2[n % 5], E2[(n + 2) % 5]])]);
  // Era 3 (added by governance at 300) starts at h 360; gap to h 364.
  for (let h = 373, n = 0; h <= 500; h += 10, n++) notaryAt(h, (g) => [notarize(g, `notarypay notarize era 3 h${h}`, [E3[n % 5], E3[(n + 3) % 5], E3[(n + 4) % 5]])]);
}

function bridgeWorkload(): void {
  const attest = (k: Key, chain: string, eventId: bigint | ((g: Golden) => bigint), event: BridgeEvent, label: string, skewMs = 0n): StepFn => (g) => [
    { label, key: k, msgs: [bridgeMsg(BridgeTypeUrls.attest, BTx.MsgListenerAttest, { sender: k.address, chain, eventId: typeof eventId === 'function' ? eventId(g) : eventId, event, createdMs: msOf(g.height + 1) + skewMs })] },
  ];
  const approve = (k: Key, chain: string, id: bigint, label: string): StepFn => (g) => [
    { label, key: k, msgs: [bridgeMsg(BridgeTypeUrls.approve, BTx.MsgApprove, { sender: k.address, chain, actionId: id, signature: signBridgeBytes(k.priv, g.bridgePayload(chain, id)), createdMs: msOf(g.height + 1) })] },
  ];
  const processor = (chain: string, id: bigint, label: string): StepFn => (g) => [
    { label, key: P, msgs: [bridgeMsg(BridgeTypeUrls.processorApprove, BTx.MsgProcessorApprove, { sender: P.address, chain, actionId: id, signature: signBridgeBytes(P.priv, g.bridgePayload(chain, id)), createdMs: msOf(g.height + 1) })] },
  ];
  const withdraw = (k: Key, chain: string, asset: string, dest: string, amount: string, label: string): StepFn => () => [
    { label, key: k, msgs: [bridgeMsg(BridgeTypeUrls.withdraw, BTx.MsgWithdraw, { sender: k.address, chain, asset, destWallet: dest, amount })] },
  ];
  const ev0 = deposit(WALLET_U, [['usdc', '1000000'], ['wkex', '50000'], ['doge', '7']], [BU]);
  const ev1 = deposit(WALLET_V, [['usdc', '500000'], ['wkex', '20000']], [BV]);
  at(15, attest(L[0], 'ethereum', 0n, ev0, 'bridge attest deposit 0 by listener 0'));
  at(15, attest(L[1], 'ethereum', 0n, ev0, 'bridge attest deposit 0 by listener 1'));
  at(16, attest(users[3], 'ethereum', 1n, ev1, 'bridge attest by a non-listener (refused)'));
  at(16, attest(L[2], 'ethereum', 5n, ev1, 'bridge attest a wrong event id (refused)'));
  at(16, attest(L[2], 'ethereum', 1n, ev1, 'bridge attest 3 minutes in the future (refused)', 180_000n));
  at(17, attest(L[0], 'ethereum', 1n, ev1, 'bridge attest deposit 1 by listener 0'));
  at(17, attest(L[2], 'ethereum', 1n, ev1, 'bridge attest deposit 1 by listener 2'));
  at(18, withdraw(BU, 'ethereum', 'uusdc', '0xdest', '100000', 'bridge withdraw to ethereum'));
  at(18, withdraw(BV, 'ethereum', 'uatom', '0xdest', '1', 'bridge withdraw an unknown asset (refused)'));
  at(19, approve(A[0], 'ethereum', 0n, 'bridge approve action 0 by approver 0'));
  at(19, approve(A[1], 'ethereum', 0n, 'bridge approve action 0 by approver 1'));
  at(20, approve(L[0], 'ethereum', 0n, 'bridge approve by a non-approver (refused)'));
  at(21, processor('ethereum', 0n, 'bridge processor approves action 0'));
  at(23, attest(L[1], 'ethereum', 2n, { actionExecuted: { actionId: 0n } }, 'bridge attest action 0 executed by listener 1'));
  at(23, attest(L[2], 'ethereum', 2n, { actionExecuted: { actionId: 0n } }, 'bridge attest action 0 executed by listener 2'));
  // Solana holds no usdc: a withdrawal queues until a deposit covers it.
  at(26, withdraw(BU, 'solana', 'uusdc', 'SoDest', '600', 'bridge withdraw to solana (queued)'));
  at(27, attest(L[0], 'solana', 0n, deposit(WALLET_V, [['usdc', '620']], []), 'bridge attest solana deposit by listener 0'));
  at(27, attest(L[2], 'solana', 0n, deposit(WALLET_V, [['usdc', '620']], []), 'bridge attest solana deposit by listener 2'));
  // Hard override: skip a stuck transfer (refund), then replace another.
  at(45, withdraw(BU, 'ethereum', 'uusdc', '0xbad', '400000', 'bridge withdraw that gets stuck'));
  at(46, withdraw(BV, 'ethereum', 'uusdc', '0xv', '100', 'bridge withdraw of user v'));
  at(47, (g) => [{ label: 'bridge propose override skip', key: A[0], msgs: [bridgeMsg(BridgeTypeUrls.proposeOverride, BTx.MsgProposeOverride, { sender: A[0].address, chain: 'ethereum', actionId: 1n, skip: true, createdMs: msOf(g.height + 1) })] }]);
  at(48, (g) => [{ label: 'bridge confirm override by approver 1', key: A[1], msgs: [bridgeMsg(BridgeTypeUrls.confirmOverride, BTx.MsgConfirmOverride, { sender: A[1].address, chain: 'ethereum', overrideId: 0n, createdMs: msOf(g.height + 1) })] }]);
  at(48, (g) => [{ label: 'bridge confirm an unknown override (refused)', key: A[2], msgs: [bridgeMsg(BridgeTypeUrls.confirmOverride, BTx.MsgConfirmOverride, { sender: A[2].address, chain: 'ethereum', overrideId: 7n, createdMs: msOf(g.height + 1) })] }]);
  at(49, (g) => [{ label: 'bridge confirm override by the processor', key: P, msgs: [bridgeMsg(BridgeTypeUrls.confirmOverride, BTx.MsgConfirmOverride, { sender: P.address, chain: 'ethereum', overrideId: 0n, createdMs: msOf(g.height + 1) })] }]);
  at(51, (g) => {
    const old = g.bridgeActions('ethereum').find((a) => a.actionId === 2n)!;
    const replacement: ActionBody = { transfer: { ...old.body!.transfer!, destWallet: '0xfixed' } };
    return [{ label: 'bridge propose override replace', key: A[2], msgs: [bridgeMsg(BridgeTypeUrls.proposeOverride, BTx.MsgProposeOverride, { sender: A[2].address, chain: 'ethereum', actionId: 2n, skip: false, replacement, createdMs: msOf(g.height + 1) })] }];
  });
  at(52, (g) => [{ label: 'bridge confirm override replace by approver 1', key: A[1], msgs: [bridgeMsg(BridgeTypeUrls.confirmOverride, BTx.MsgConfirmOverride, { sender: A[1].address, chain: 'ethereum', overrideId: 1n, createdMs: msOf(g.height + 1) })] }]);
  at(53, (g) => [{ label: 'bridge confirm override replace by the processor', key: P, msgs: [bridgeMsg(BridgeTypeUrls.confirmOverride, BTx.MsgConfirmOverride, { sender: P.address, chain: 'ethereum', overrideId: 1n, createdMs: msOf(g.height + 1) })] }]);
  // Revert: a deposit is attested, then listeners and the processor revert it.
  const ev3 = deposit(WALLET_V, [['usdc', '300']], []);
  at(55, attest(L[0], 'ethereum', 3n, ev3, 'bridge attest deposit 3 by listener 0'));
  at(55, attest(L[1], 'ethereum', 3n, ev3, 'bridge attest deposit 3 by listener 1'));
  const revert = (k: Key, label: string, id = 3n): StepFn => (g) => [{ label, key: k, msgs: [bridgeMsg(BridgeTypeUrls.revertEvent, BTx.MsgRevertEvent, { sender: k.address, chain: 'ethereum', eventId: id, createdMs: msOf(g.height + 1) })] }];
  at(56, revert(L[0], 'bridge revert a non-last event (refused)', 0n));
  at(57, revert(L[0], 'bridge revert vote by listener 0'));
  at(57, revert(L[2], 'bridge revert vote by listener 2'));
  at(58, revert(P, 'bridge revert confirmed by the processor'));
  // Admin proposal: a new set with one approver needed; approved by listeners and the processor.
  const newSet = (): ValidatorSet => ({ processor: Buffer.from(P.pub), listeners: sortKeys(L.map((k) => k.pub)), neededListeners: 2, approvers: sortKeys(A.map((k) => k.pub)), neededApprovers: 1 });
  const payload: AdminPayload = { newSet: newSet() };
  const adminSig = (g: Golden, k: Key, p: AdminPayload) => signBridgeBytes(k.priv, adminBytes(CHAIN_ID, g.bridgeHistoryLength(), p));
  at(70, (g) => [{ label: 'bridge propose admin new set', key: L[0], msgs: [bridgeMsg(BridgeTypeUrls.proposeAdmin, BTx.MsgProposeAdmin, { sender: L[0].address, payload, signature: adminSig(g, L[0], payload), createdMs: msOf(g.height + 1) })] }]);
  at(70, (g) => {
    const bad: AdminPayload = { newSet: { ...newSet(), neededListeners: 4 } };
    return [{ label: 'bridge propose an invalid set (refused)', key: A[0], msgs: [bridgeMsg(BridgeTypeUrls.proposeAdmin, BTx.MsgProposeAdmin, { sender: A[0].address, payload: bad, signature: adminSig(g, A[0], bad), createdMs: msOf(g.height + 1) })] }];
  });
  const approveAdmin = (k: Key, label: string): StepFn => (g) => [{ label, key: k, msgs: [bridgeMsg(BridgeTypeUrls.approveAdmin, BTx.MsgApproveAdmin, { sender: k.address, proposalId: 0n, signature: adminSig(g, k, payload), createdMs: msOf(g.height + 1) })] }];
  at(71, approveAdmin(L[1], 'bridge approve admin by listener 1'));
  at(71, approveAdmin(A[0], 'bridge approve admin by approver 0'));
  at(72, approveAdmin(P, 'bridge approve admin by the processor'));
  // With one approver needed, action 2 (the replaced transfer) completes.
  at(75, approve(A[2], 'ethereum', 2n, 'bridge approve action 2 by approver 2'));
  at(76, processor('ethereum', 2n, 'bridge processor approves action 2'));
  // A listener replaces its own key; the new key attests.
  at(80, (g) => {
    const change = { role: Role.ROLE_LISTENER, current: Buffer.from(L[2].pub), replacement: Buffer.from(L2b.pub) };
    const sig = signBridgeBytes(L[2].priv, selfReplaceBytes(CHAIN_ID, g.bridgeHistoryLength(), change));
    return [{ label: 'bridge listener self-replace', key: L[2], msgs: [bridgeMsg(BridgeTypeUrls.selfReplace, BTx.MsgSelfReplace, { sender: L[2].address, role: Role.ROLE_LISTENER, replacement: Buffer.from(L2b.pub), signature: sig, createdMs: msOf(g.height + 1) })] }];
  });
  once(81, { label: 'bank send funds the replacement listener', key: users[0], msgs: [send(users[0], L2b.address, 1_000_000n)] });
  const nextEvent = (g: Golden) => g.bridgeChain('ethereum').nextEventId;
  const ev = deposit(WALLET_U, [['usdc', '5']], []);
  at(83, attest(L[0], 'ethereum', nextEvent, ev, 'bridge attest deposit by listener 0'));
  at(83, attest(L2b, 'ethereum', nextEvent, ev, 'bridge attest deposit by the replacement listener'));
  at(84, attest(L[2], 'ethereum', nextEvent, ev, 'bridge attest by the replaced listener (refused)'));
  at(90, withdraw(BU, 'ethereum', 'uusdc', '0xlater', '2500', 'bridge withdraw after the new set'));
  // Actions 3 and 4 are the new-set actions of the admin change and the self-replace; 5 the withdrawal.
  for (const id of [3n, 4n, 5n]) {
    at(91, approve(A[1], 'ethereum', id, `bridge approve action ${id}`));
    at(92, processor('ethereum', id, `bridge processor approves action ${id}`));
  }
  at(93, processor('ethereum', 5n, 'bridge processor approves an action twice (refused)'));
}

function buildSchedule(): void {
  schedule.clear();
  notaryHeights.clear();
  accountWorkload();
  governanceWorkload();
  validatorWorkload();
  notaryWorkload();
  bridgeWorkload();
}

// ------------------------------------------------------------------ fixture

function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeysDeep(o[k])]));
  }
  return v;
}

const stable = (v: unknown) => `${JSON.stringify(sortKeysDeep(JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)))), null, 2)}\n`;

function firstDifference(expected: unknown, actual: unknown, path = '$'): string | undefined {
  if (JSON.stringify(expected) === JSON.stringify(actual)) return undefined;
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object' && Array.isArray(expected) === Array.isArray(actual)) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const keys = Array.isArray(expected) ? Array.from({ length: Math.max((expected as unknown[]).length, (actual as unknown[]).length) }, (_, i) => String(i)) : [...new Set([...Object.keys(e), ...Object.keys(a)])].sort();
    for (const k of keys) {
      const d = firstDifference(e[k], a[k], Array.isArray(expected) ? `${path}[${k}]` : `${path}.${k}`);
      if (d) return d;
    }
  }
  const show = (x: unknown) => (x === undefined ? '(missing)' : JSON.stringify(x, null, 2).slice(0, 2000));
  return `${path}\n  expected: ${show(expected)}\n  actual:   ${show(actual)}`;
}

// ------------------------------------------------------------------ the test

async function run(): Promise<{ files: Record<string, string>; g: Golden; exported: Record<string, unknown> }> {
  buildSchedule();
  const dir = mkdtempSync(join(tmpdir(), 'sekai-golden-'));
  const open = (codeVersion?: string) => createApp({ dbDir: join(dir, 'state'), pruning: { strategy: 'nothing' }, base: codeVersion ? { codeVersion } : {} });
  const g = new Golden(await open(), dir);
  try {
    const init = g.sekai.app.initChain({
      time: timeOf(0),
      chainId: CHAIN_ID,
      consensusParams: undefined,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(appState())),
      initialHeight: 1n,
    });
    const initRecord = { app_hash: hex(init.appHash), validators: init.validators.map((v) => `${Buffer.from(v.pubKey?.ed25519 ?? new Uint8Array()).toString('base64')}:${v.power}`) };
    let upgradeRefusal = '';
    for (let h = 1; h <= BLOCKS; h++) {
      if (h === UPGRADE_HEIGHT) {
        // The old binary must stop at the plan's height; the new one carries on from disk.
        try {
          g.sekai.app.finalizeBlock(g.finalizeRequest([], {}));
          upgradeRefusal = 'executed';
        } catch (err) {
          upgradeRefusal = (err as Error).message;
        }
        await g.sekai.app.close();
        g.sekai = await open(UPGRADE_VERSION);
      }
      const steps: Step[] = [];
      const notary = notaryHeights.get(h);
      if (notary) steps.push(...notary(g));
      for (const fn of schedule.get(h) ?? []) steps.push(...fn(g));
      await g.block(steps, { absent: absentAt(h), doubleSigners: h === 200 ? [3] : [] });
    }
    const exported = g.sekai.app.exportGenesis();
    const appHashes: { height: number; app_hash: string }[] = [];
    for (const [h, hash] of g.hashes) if (h % HASH_EVERY === 0 || h === BLOCKS) appHashes.push({ height: h, app_hash: hash });
    const files = {
      'app-hashes.json': stable({ init_chain: initRecord, upgrade_refusal: upgradeRefusal, heights: appHashes }),
      'tx-results.json': stable(g.txs),
      'block-events.json': stable(g.blocks),
      'export.json': stable(exported),
    };
    return { files, g, exported };
  } finally {
    await g.sekai.app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the 500-block golden workload reproduces the pinned AppHashes, tx results, block events and export', async () => {
  const { files, g, exported } = await run();
  if (process.env.GOLDEN_DEBUG) writeFileSync(process.env.GOLDEN_DEBUG, JSON.stringify(g.txs.map((t) => `${t.height} ${t.label} => ${t.codespace}/${t.code} ${t.log}`), null, 1));

  // The workload is not trivial: every module did real work, and refusals are pinned too.
  const ok = (prefix: string) => g.txs.filter((t) => t.code === 0 && t.events.some((e) => e.attributes.some((a) => a.startsWith(`action=${prefix}`)))).length;
  const counts = {
    accountid: ok('/sekai.accountid.'),
    bank: ok('/cosmos.bank.'),
    gov: ok('/sekai.gov.'),
    staking: ok('/sekai.staking.'),
    slashing: ok('/sekai.slashing.'),
    notarypay: ok('/sekai.notarypay.'),
    bridge: ok('/sekai.bridge.'),
  };
  const minimum = { accountid: 6, bank: 40, gov: 50, staking: 2, slashing: 4, notarypay: 30, bridge: 30 };
  const short = Object.entries(minimum).filter(([m, n]) => counts[m as keyof typeof counts] < n);
  expect({ short, counts }).toEqual({ short: [], counts });
  const refused = g.txs.filter((t) => t.code !== 0);
  expect(refused.length).toBeGreaterThanOrEqual(30);
  expect(new Set(refused.map((t) => t.codespace)).size).toBeGreaterThanOrEqual(6);
  for (const t of g.txs) expect({ label: t.label, refused: t.label.includes('(refused)') }).toEqual({ label: t.label, refused: t.code !== 0 });
  // Every proposal type the app registers was enacted.
  const enacted = (exported.customgov as { proposals: { content: { typeUrl: string }; execResult?: string }[] }).proposals.filter((p) => p.execResult === 'executed successfully');
  expect(new Set(enacted.map((p) => p.content.typeUrl)).size).toBe(20);
  for (const section of ['accountid', 'bank', 'customgov', 'customstaking', 'customslashing', 'notarypay', 'bridge']) {
    const s = exported[section] as Record<string, unknown> | undefined;
    expect({ section, present: s !== undefined && Object.values(s).some((v) => (Array.isArray(v) ? v.length > 0 : v !== null && v !== undefined && v !== '')) }).toEqual({ section, present: true });
  }

  if (UPDATE) {
    mkdirSync(FIXTURE_DIR, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(FIXTURE_DIR, name), text);
    return;
  }
  for (const [name, text] of Object.entries(files)) {
    const path = join(FIXTURE_DIR, name);
    if (!existsSync(path)) throw new Error(`missing fixture ${path}: run GOLDEN_UPDATE=1 npx jest test/app/golden.test.ts`);
    const expected = readFileSync(path, 'utf8');
    if (expected === text) continue;
    const want = JSON.parse(expected) as unknown;
    const diff = firstDifference(want, JSON.parse(text)) ?? '(same JSON, different bytes)';
    // Tx results and block events: name the tx or block the first difference is in.
    const hit = /^\$\[(\d+)\]/.exec(diff);
    const entry = hit && Array.isArray(want) ? (want[Number(hit[1])] as { height?: number; label?: string } | undefined) : undefined;
    const where = entry ? ` (height ${entry.height}${entry.label ? `, tx "${entry.label}"` : ''})` : '';
    throw new Error(`golden fixture ${name} differs${where} at ${diff}\nA refactor must leave it byte-identical; regenerate (GOLDEN_UPDATE=1) only for a deliberate behaviour change.`);
  }
});
