/**
 * Test harness for customgov over the runtime's BaseApp: the ledger fixture's accounts
 * (account number = AccountID), a small `ranks` module standing in for x/customslashing's
 * rank store, and txs signed by cosmjs wallets.
 */
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { Bip39, EnglishMnemonic } from '@cosmjs/crypto';
import { DirectSecp256k1HdWallet, encodePubkey, makeAuthInfoBytes, makeSignDoc } from '@cosmjs/proto-signing';
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Context } from '../../runtime/context';
import type { AppModule } from '../../runtime/module';
import type { BaseAppOptions } from '../../runtime/baseapp';
import type { DefinedModule } from '../../runtime/module';
import { UpgradeKeeper } from '../../runtime/upgrade';
import { govModule, type GovKeeper } from '../../x/gov';
import { resetWholeValidatorRankProposal } from '../../x/customslashing';
import type { GovAccountKeeper, StoreReader } from '../../x/gov/types/expectedKeepers';
import { CHAIN_ID, openTestApp, time, type TestApp } from '../fixtures/runtimeApp';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** GovAccountKeeper over the ledger fixture's `acc` store. */
export function fixtureAccounts(): GovAccountKeeper {
  const scan = (ctx: StoreReader) => {
    const out: { address: string; id: bigint }[] = [];
    for (const [k, v] of ctx.store('acc').iterator(enc.encode('a/'), enc.encode('a0'))) {
      out.push({ address: toBech32('kira', k.slice(2)), id: BigInt((JSON.parse(dec.decode(v)) as { number: string }).number) });
    }
    return out;
  };
  const byAddress = (ctx: StoreReader, ref: string) => {
    const data = fromBech32(ref, 90).data;
    const raw = ctx.store('acc').get(Uint8Array.from([...enc.encode('a/'), ...data]));
    return raw ? BigInt((JSON.parse(dec.decode(raw)) as { number: string }).number) : undefined;
  };
  return {
    tryResolve: (ctx, ref) => (/^\d+$/.test(ref) ? scan(ctx).find((a) => a.id === BigInt(ref))?.id : byAddress(ctx, ref)),
    resolveOrCreate: (ctx, ref) => {
      const found = /^\d+$/.test(ref) ? scan(ctx).find((a) => a.id === BigInt(ref))?.id : byAddress(ctx, ref);
      if (found !== undefined) return found;
      const store = ctx.store('acc');
      const n = store.get(enc.encode('n'));
      const id = n ? BigInt(dec.decode(n)) : 0n;
      store.set(enc.encode('n'), enc.encode((id + 1n).toString()));
      store.set(Uint8Array.from([...enc.encode('a/'), ...fromBech32(ref, 90).data]), enc.encode(JSON.stringify({ number: id.toString(), sequence: '0', pubKeys: [] })));
      return id;
    },
    addressOf: (ctx, id) => {
      const a = scan(ctx).find((x) => x.id === id);
      if (!a) throw new Error(`no account ${id}`);
      return a.address;
    },
  };
}

/** Validator ranks in a store of their own, reset as x/customslashing resets them. */
export const RANKS_STORE = 'ranks';
export const ranksModule: AppModule = {
  name: 'ranks',
  storeKeys: [RANKS_STORE],
  genesis: {
    defaultGenesis: () => ({}),
    validateGenesis: () => undefined,
    initGenesis: (ctx, json) => {
      const g = json as Record<string, string>;
      for (const k of Object.keys(g).sort()) ctx.store(RANKS_STORE).set(enc.encode(k), enc.encode(g[k]));
    },
    exportGenesis: () => ({}),
  },
};

export function rankOf(t: TestApp, validator: string): string {
  return dec.decode(t.store.readerAt(RANKS_STORE, t.store.lastCommitId().version).get(enc.encode(validator))!);
}

export const slashingKeeper = {
  resetWholeValidatorRank(ctx: Context): void {
    const s = ctx.store(RANKS_STORE);
    const keys = [...s.iterator()].map(([k]) => k);
    for (const k of keys) s.set(k, enc.encode('0'));
  },
};

export interface GovTestApp extends TestApp {
  gov: DefinedModule<GovKeeper>;
}

export async function openGovApp(dir: string, options: Partial<BaseAppOptions> = {}): Promise<GovTestApp> {
  const gov = govModule({ accounts: fixtureAccounts(), upgrades: new UpgradeKeeper() });
  // Each module registers its own proposal types; the reset of every rank is x/customslashing's.
  gov.keeper.proposals.registerAll([...gov.module.proposals!, resetWholeValidatorRankProposal(slashingKeeper)]);
  const t = await openTestApp(dir, { modules: [ranksModule, gov.module], options: { feeParams: gov.keeper, ...options } });
  return { ...t, gov };
}

export async function wallet(i: number): Promise<DirectSecp256k1HdWallet> {
  const mnemonic = Bip39.encode(new Uint8Array(16).fill(i + 40)).toString();
  return DirectSecp256k1HdWallet.fromMnemonic(new EnglishMnemonic(mnemonic).toString(), { prefix: 'kira' });
}

export interface Signer {
  wallet: DirectSecp256k1HdWallet;
  address: string;
  accountNumber: bigint;
  sequence: bigint;
}

export interface EncodedMsg {
  typeUrl: string;
  value: Uint8Array;
}

/** Signs msgs as a cosmjs wallet does (SIGN_MODE_DIRECT); does not advance the sequence. */
export async function signTx(s: Signer, msgs: EncodedMsg[], fee = '100'): Promise<Uint8Array> {
  const [acc] = await s.wallet.getAccounts();
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: msgs })).finish();
  const authInfoBytes = makeAuthInfoBytes(
    [{ pubkey: encodePubkey(encodeSecp256k1Pubkey(acc.pubkey)), sequence: Number(s.sequence) }],
    [{ denom: 'ukex', amount: fee }],
    400_000,
    undefined,
    undefined,
    SignMode.SIGN_MODE_DIRECT,
  );
  const doc = makeSignDoc(bodyBytes, authInfoBytes, CHAIN_ID, Number(s.accountNumber));
  const { signature } = await s.wallet.signDirect(acc.address, doc);
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [Buffer.from(signature.signature, 'base64')] }).finish();
}

/** Executes one block at `seconds` and commits it. */
export async function block(t: TestApp, seconds: number, txs: Uint8Array[] = []) {
  const height = Number(t.app.info({} as never).lastBlockHeight) + 1;
  const res = t.app.finalizeBlock({
    txs,
    decidedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: new Uint8Array(32),
    height: BigInt(height),
    time: time(seconds),
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  });
  await t.app.commit();
  return res;
}
