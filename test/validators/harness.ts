/**
 * A BaseApp with the real x/customstaking and x/customslashing modules over the IAVL
 * multistore, driven block by block through FinalizeBlock/Commit with chosen
 * decided_last_commit votes, and txs signed as a Cosmos wallet signs them.
 */
import { rmSync } from 'node:fs';
import { encodePubkey, makeAuthInfoBytes } from '@cosmjs/proto-signing';
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MisbehaviorType, type ExecTxResult, type ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import type { Context } from '../../runtime/context';
import type { AppModule } from '../../runtime/module';
import { consAddressFromEd25519, addressToBech32, addressFromBech32 } from '../../crypto/address';
import { sha256 } from '../../crypto/hash';
import { ed25519FromSeed, ed25519ToCosmosJson } from '../../crypto/keys';
import { signSecp256k1 } from '../../crypto/secp256k1';
import type { KVReader } from '../../store/types';
import { stakingModule, fixedProperties, type AccountResolver, type ValidatorProperties } from '../../x/customstaking';
import { slashingModule } from '../../x/customslashing';
import type { Validator } from '../../proto/gen/sekai/staking/v1/staking';
import { QueryValidatorRequest, QueryValidatorResponse } from '../../proto/gen/sekai/staking/v1/query';
import { QuerySigningInfoRequest, QuerySigningInfoResponse } from '../../proto/gen/sekai/slashing/v1/query';
import type { ValidatorSigningInfo } from '../../proto/gen/sekai/slashing/v1/slashing';
import { CHAIN_ID, genesisFor, openTestApp, rawKey, tempDir, time, type RawKey, type TestApp } from '../fixtures/runtimeApp';
import type { AccountsKeeper } from '../fixtures/ledger';

export const GENESIS_TIME = 1_700_000_000;

export interface Operator {
  key: RawKey;
  valKeyBytes: Uint8Array;
  address: string;
  valAddr: string;
  consPub: Uint8Array;
  consAddr: Uint8Array;
  consBech: string;
  accountNumber: bigint;
  sequence: bigint;
}

export function operator(i: number, accountNumber: bigint): Operator {
  const key = rawKey(1000 + i);
  const cons = ed25519FromSeed(sha256(Buffer.from(`validator consensus key ${i}`)));
  const consAddr = consAddressFromEd25519(cons.pubkey);
  return {
    key,
    valKeyBytes: addressFromBech32('account', key.address),
    address: key.address,
    valAddr: addressToBech32('validator', addressFromBech32('account', key.address)),
    consPub: cons.pubkey,
    consAddr,
    consBech: addressToBech32('consensus', consAddr),
    accountNumber,
    sequence: 0n,
  };
}

/** x/accountid's resolver contract over the test `acc` module (account number = AccountID). */
export function accountsResolver(accounts: AccountsKeeper): AccountResolver {
  const tryResolve = (ctx: { store(key: string): KVReader }, ref: string) => {
    try {
      return accounts.get(ctx as Context, ref)?.accountNumber;
    } catch {
      return undefined;
    }
  };
  return {
    tryResolve,
    resolveOrCreate: (ctx, ref) => accounts.ensure(ctx, ref).accountNumber,
    addressOf(ctx, id) {
      for (const [k, v] of ctx.store('acc').iterator(Buffer.from('a/'), Buffer.from('a0'))) {
        if (BigInt((JSON.parse(Buffer.from(v).toString()) as { number: string }).number) === id) return addressToBech32('account', k.slice(2));
      }
      throw new Error(`no account ${id}`);
    },
  };
}

export interface Harness {
  t: TestApp;
  ops: Operator[];
  /** Accounts allowed PermClaimValidator. */
  allowed: Set<string>;
  height: number;
  now: number;
  staking: ReturnType<typeof stakingModule>;
  slashing: ReturnType<typeof slashingModule>;
  close(): Promise<void>;
}

/**
 * Opens an app whose genesis seats `genesisValidators` of `n` operators (all with funds);
 * the others may claim later (when allowed).
 */
export async function openHarness(
  n: number,
  genesisValidators: number,
  props: Partial<ValidatorProperties> = {},
  extra: (m: { staking: ReturnType<typeof stakingModule>; slashing: ReturnType<typeof slashingModule> }) => AppModule[] = () => [],
): Promise<Harness> {
  const dir = tempDir('validators');
  const ops = Array.from({ length: n }, (_, i) => operator(i, BigInt(i)));
  const allowed = new Set<string>();
  const ref: { accounts?: AccountsKeeper } = {};
  const lazyResolver: AccountResolver = {
    tryResolve: (c, r) => accountsResolver(ref.accounts!).tryResolve(c, r),
    resolveOrCreate: (c, r) => accountsResolver(ref.accounts!).resolveOrCreate(c, r),
    addressOf: (c, id) => accountsResolver(ref.accounts!).addressOf(c, id),
  };
  const properties = fixedProperties(props);
  const staking = stakingModule({ accounts: lazyResolver, permissions: { isAllowed: (_c, a, p) => p === 2 && allowed.has(a) }, properties });
  const slashing = slashingModule({ staking: staking.keeper, properties });
  const t = await openTestApp(dir, { modules: [staking.module, slashing.module, ...extra({ staking, slashing })], options: { invariantCheckPeriod: 1 } as never });
  ref.accounts = t.accounts;
  const appState = JSON.parse(Buffer.from(genesisFor(ops.map((o) => o.address))).toString()) as Record<string, unknown>;
  appState.customstaking = {
    validators: ops.slice(0, genesisValidators).map((o, i) => ({
      val_key: o.valAddr,
      pub_key: ed25519ToCosmosJson(o.consPub),
      status: 'ACTIVE',
      rank: '0',
      streak: '0',
      moniker: `genesis-${i}`,
    })),
  };
  const init = t.app.initChain({
    time: time(GENESIS_TIME),
    chainId: CHAIN_ID,
    consensusParams: undefined,
    validators: [],
    appStateBytes: Buffer.from(JSON.stringify(appState)),
    initialHeight: 1n,
  });
  const h: Harness = {
    t,
    ops,
    allowed,
    height: 0,
    now: GENESIS_TIME,
    staking,
    slashing,
    async close() {
      await t.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  (h as Harness & { initValidators: typeof init.validators }).initValidators = init.validators;
  return h;
}

export interface BlockOptions {
  /** Votes of the previous block: operator index → present (true) or absent (false). */
  votes?: ReadonlyMap<number, boolean> | readonly [number, boolean][];
  txs?: Uint8Array[];
  /** Seconds the block time advances (default 5). */
  dt?: number;
  /** Operator indexes with double-sign evidence in this block. */
  doubleSigners?: number[];
}

export async function block(h: Harness, o: BlockOptions = {}): Promise<ResponseFinalizeBlock> {
  h.height += 1;
  h.now += o.dt ?? 5;
  const votes = [...(o.votes ?? [])].map(([i, present]) => ({
    validator: { address: h.ops[i].consAddr, power: 1n },
    blockIdFlag: present ? BlockIDFlag.BLOCK_ID_FLAG_COMMIT : BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
  }));
  const res = h.t.app.finalizeBlock({
    txs: o.txs ?? [],
    decidedLastCommit: { round: 0, votes },
    misbehavior: (o.doubleSigners ?? []).map((i) => ({
      type: MisbehaviorType.DUPLICATE_VOTE,
      validator: { address: h.ops[i].consAddr, power: 1n },
      height: BigInt(h.height - 1),
      time: time(h.now - 5),
      totalVotingPower: 1n,
    })),
    hash: new Uint8Array(32),
    height: BigInt(h.height),
    time: time(h.now),
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  });
  await h.t.app.commit();
  if ((o.txs ?? []).length > 0) syncSequences(h);
  return res;
}

/** Reads every operator's sequence back (a tx refused before the ante pipeline leaves it unchanged). */
export function syncSequences(h: Harness): void {
  for (const op of h.ops) {
    const r = h.t.app.query({ path: '/cosmos.auth.v1beta1.Query/Account', data: QueryAccountRequest.encode({ address: op.address }).finish(), height: 0n, prove: false });
    if (r.code !== 0) continue;
    op.sequence = BaseAccount.decode(QueryAccountResponse.decode(r.value).account!.value).sequence;
  }
}

/** Signs a tx of `msgs` by operator `i` (sequence tracked; bump only when the tx will be included). */
export function tx(h: Harness, i: number, msgs: { typeUrl: string; value: Uint8Array }[]): Uint8Array {
  const op = h.ops[i];
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: msgs })).finish();
  const authInfoBytes = makeAuthInfoBytes(
    [{ pubkey: encodePubkey(encodeSecp256k1Pubkey(op.key.pub)), sequence: Number(op.sequence) }],
    [{ denom: 'ukex', amount: '100' }],
    200_000,
    undefined,
    undefined,
    SignMode.SIGN_MODE_DIRECT,
  );
  const signBytes = SignDoc.encode({ bodyBytes, authInfoBytes, chainId: CHAIN_ID, accountNumber: op.accountNumber }).finish();
  const sig = signSecp256k1(op.key.priv, sha256(signBytes));
  op.sequence += 1n; // several txs of one operator in one block; synced after the block
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [sig] }).finish();
}

/** Runs one block carrying the txs; returns their results. */
export async function deliver(h: Harness, txs: Uint8Array[], o: BlockOptions = {}): Promise<ExecTxResult[]> {
  return (await block(h, { ...o, txs })).txResults;
}

export function validatorOf(h: Harness, i: number): Validator {
  const res = h.t.app.query({ path: '/sekai.staking.v1.Query/Validator', data: QueryValidatorRequest.encode(QueryValidatorRequest.fromPartial({ valAddr: h.ops[i].valAddr })).finish(), height: 0n, prove: false });
  if (res.code !== 0) throw new Error(`validator query failed: ${res.log}`);
  return QueryValidatorResponse.decode(res.value).validator!;
}

export function signingInfoOf(h: Harness, i: number): ValidatorSigningInfo {
  const res = h.t.app.query({ path: '/sekai.slashing.v1.Query/SigningInfo', data: QuerySigningInfoRequest.encode({ consAddress: h.ops[i].consBech }).finish(), height: 0n, prove: false });
  if (res.code !== 0) throw new Error(`signing info query failed: ${res.log}`);
  return QuerySigningInfoResponse.decode(res.value).info!;
}

/** The validator updates of a block as `index:power` strings (by consensus key). */
export function updatesOf(h: Harness, res: ResponseFinalizeBlock): string[] {
  return res.validatorUpdates.map((u) => {
    const i = h.ops.findIndex((o) => Buffer.from(o.consPub).equals(Buffer.from(u.pubKey!.ed25519 ?? new Uint8Array())));
    return `${i}:${u.power}`;
  });
}

/** Votes map: every listed index with the same flag. */
export function votes(indexes: number[], present: boolean): [number, boolean][] {
  return indexes.map((i) => [i, present]);
}
