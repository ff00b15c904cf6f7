/**
 * The ante pipeline: every check a tx passes before its messages run, as separate
 * stages in a fixed order. A stage throws a registered error; the caller discards the
 * branch the stages wrote to, so a rejected tx changes nothing.
 *
 * Stages: tx size → (decode) → validateBasic → signer set → timeout height and timestamp
 * (no unordered txs) → memo →
 * gas limit (within the block's max gas) and intrinsic gas (per tx, per byte, per message) →
 * signer public keys → signatures (bound to chain-id and account number through the
 * SignDoc) → sequences → fee bounds (MIN_TX_FEE, and more for a large gas limit) → fee
 * deduction.
 */
import { checkMempoolFeeFloor, type MempoolFeeFloor } from './mempoolFees';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import type { SignerInfo } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { Coins } from '../types/coins';
import { CodedError } from '../types/errors';
import type { Context } from './context';
import {
  ErrInvalidCoins,
  ErrInvalidGasLimit,
  ErrInvalidPubKey,
  ErrInvalidRequest,
  ErrInvalidSignature,
  ErrInsufficientFee,
  ErrMemoTooLarge,
  ErrNoSignatures,
  ErrNotSupported,
  ErrOutOfGas,
  ErrTooManySignatures,
  ErrTxTimeout,
  ErrTxTimeoutHeight,
  ErrTxTooLarge,
  ErrUnauthorized,
  ErrUnknownAddress,
  ErrWrongSequence,
} from './errors';
import { AttributeKeys, EventTypes } from './events';
import type { AccountKeeper, BankKeeper, FeeParamsKeeper, RuntimeAccount } from './expectedKeepers';
import { FEE_COLLECTOR } from './expectedKeepers';
import { BasicGasMeter, GAS_PER_MIN_FEE, InfiniteGasMeter, MAX_GAS, requiredFee, TxGas, type GasMeter } from './gas';
import type { SignerRef } from './module';
import { isLowS } from '../crypto/secp256k1';
import { directSignDigest, sha256, type DecodedTx } from './tx';
import { legacyAminoSignBytes, type AminoEncoder } from './amino';

export const SECP256K1_PUBKEY_TYPE = '/cosmos.crypto.secp256k1.PubKey';

/** Verifies one secp256k1 signature (64-byte r||s, low-S) over a 32-byte digest. */
export type VerifySignature = (pub33: Uint8Array, hash32: Uint8Array, sig64: Uint8Array) => boolean;

export interface AnteParams {
  /**
   * Largest accepted tx. 64 KiB holds any realistic message batch and bounds the work an
   * unpaid CheckTx can cause; raise it if a module needs large payloads (e.g. proofs).
   */
  maxTxBytes: number;
  /** Memo limit in characters (Cosmos SDK default 256). */
  maxMemoChars: number;
  /** Signatures per tx (Cosmos SDK default TxSigLimit 7). */
  txSigLimit: number;
}

export const DEFAULT_ANTE_PARAMS: AnteParams = { maxTxBytes: 65_536, maxMemoChars: 256, txSigLimit: 7 };

export interface AnteDeps {
  accounts: AccountKeeper;
  bank: BankKeeper;
  feeParams: FeeParamsKeeper;
  verify: VerifySignature;
  params: AnteParams;
  /** This node's mempool fee floor (app.toml), applied in CheckTx only. */
  feeFloor?: MempoolFeeFloor;
  /** Amino JSON of each message, for SIGN_MODE_LEGACY_AMINO_JSON; without it that mode is refused. */
  amino?: AminoEncoder;
  /** consensus_params.block.max_gas (-1: none); CheckTx refuses a tx asking for more. */
  blockMaxGas?: () => bigint;
}

/** What the ante pipeline established about a tx. */
export interface AnteResult {
  /** Signer accounts in signer order (after sequence increment). */
  signers: RuntimeAccount[];
  /** Each signer reference with the address it resolved to. */
  addressOf: Map<SignerRef, string>;
  gasWanted: number;
  /** The meter the messages continue to charge. */
  gasMeter: GasMeter;
}

/** Stage 1: size, before anything is decoded. */
export function checkTxSize(bytes: Uint8Array, params: AnteParams): void {
  if (bytes.length > params.maxTxBytes) {
    throw ErrTxTooLarge.wrap(`tx is ${bytes.length} bytes, the limit is ${params.maxTxBytes}`);
  }
}

/** Stage 3: each message's stateless checks. */
export function validateMsgs(tx: DecodedTx): void {
  for (const m of tx.msgs) m.route.validateBasic?.(m.value);
}

/** The distinct signers of all messages, in order of first appearance (fee payer first). */
export function txSigners(tx: DecodedTx): SignerRef[] {
  const seen = new Set<SignerRef>();
  const out: SignerRef[] = [];
  for (const m of tx.msgs) {
    for (const s of m.route.signers(m.value)) {
      if (!seen.has(s)) {
        seen.add(s);
        out.push(s);
      }
    }
  }
  return out;
}

/** Stage: signature and signer counts agree. */
export function checkSignerCounts(tx: DecodedTx, signers: readonly SignerRef[], params: AnteParams): void {
  const sigs = tx.raw.signatures.length;
  if (sigs === 0) throw ErrNoSignatures.wrap('the tx carries no signature');
  if (sigs > params.txSigLimit) throw ErrTooManySignatures.wrap(`${sigs} signatures, the limit is ${params.txSigLimit}`);
  if (sigs !== signers.length || tx.authInfo.signerInfos.length !== signers.length) {
    throw ErrUnauthorized.wrap(
      `wrong number of signers; expected ${signers.length}, got ${sigs} signatures and ${tx.authInfo.signerInfos.length} signer infos`,
    );
  }
}

/** Stage: the tx must be included at or before its timeout height (0 = none). */
export function checkTimeoutHeight(ctx: Context, tx: DecodedTx): void {
  const timeout = tx.body.timeoutHeight;
  if (timeout > 0n && BigInt(ctx.height) > timeout) {
    throw ErrTxTimeoutHeight.wrap(`block height ${ctx.height} is past the tx timeout height ${timeout}`);
  }
}

/**
 * Stage: unordered txs (replay protection by timestamp instead of sequence) are not
 * supported; a tx with a timeout timestamp must be included no later than it.
 */
export function checkOrdering(ctx: Context, tx: DecodedTx): void {
  if (tx.body.unordered) throw ErrNotSupported.wrap('unordered transactions are not supported; use account sequences');
  const ts = tx.body.timeoutTimestamp;
  if (ts && (ts.seconds > 0n || ts.nanos > 0)) {
    const t = ctx.time;
    if (t.seconds > ts.seconds || (t.seconds === ts.seconds && t.nanos > ts.nanos)) {
      throw ErrTxTimeout.wrap(`block time ${t.seconds}.${t.nanos}s is past the tx timeout timestamp ${ts.seconds}.${ts.nanos}s`);
    }
  }
}

/** Stage: memo length in characters. */
export function checkMemo(tx: DecodedTx, params: AnteParams): void {
  const chars = [...tx.body.memo].length;
  if (chars > params.maxMemoChars) {
    throw ErrMemoTooLarge.wrap(`memo has ${chars} characters, the limit is ${params.maxMemoChars}`);
  }
}

/**
 * The gas a tx costs before any store is touched: `TxGas.perTx`, its bytes, and each
 * message's flat gas (its route's `gas`, else `TxGas.perMsg`).
 */
export function intrinsicGas(tx: DecodedTx, simulate = false): number {
  let gas = TxGas.perTx + TxGas.txSizeCostPerByte * (tx.bytes.length + (simulate ? missingSignatureBytes(tx) : 0));
  for (const m of tx.msgs) gas += m.route.gas ?? TxGas.perMsg;
  return gas;
}

/** A secp256k1 signature's length: what a wallet's unsigned simulation leaves out per signer. */
const SIMULATED_SIGNATURE_BYTES = 64;

/**
 * The bytes a simulated tx lacks against the same tx signed: wallets simulate with empty
 * signatures, and the estimate must still cover the signed tx's size gas, so that a wallet
 * that asks for exactly the simulated gas is not refused for a few hundred gas.
 */
function missingSignatureBytes(tx: DecodedTx): number {
  let missing = 0;
  for (const sig of tx.raw.signatures) missing += Math.max(0, SIMULATED_SIGNATURE_BYTES - sig.length);
  return missing;
}

/**
 * Stage: gas meter from the fee's gas limit (infinite when simulating), then the intrinsic
 * gas. A limit above the block's max gas (`blockMaxGas` > 0) could never be included.
 * The intrinsic gas is charged here, in CheckTx too, so a tx whose limit cannot even
 * cover it never reaches the mempool; the refusal names the gas it needs.
 */
export function setUpGas(ctx: Context, tx: DecodedTx, blockMaxGas = -1n): GasMeter {
  let meter: GasMeter;
  if (ctx.isSimulate) {
    meter = new InfiniteGasMeter();
  } else {
    const limit = tx.authInfo.fee?.gasLimit ?? 0n;
    if (limit === 0n || limit > BigInt(MAX_GAS)) {
      throw ErrInvalidGasLimit.wrap(`gas limit ${limit} must be between 1 and ${MAX_GAS}`);
    }
    if (blockMaxGas > 0n && limit > blockMaxGas) {
      throw ErrInvalidGasLimit.wrap(`gas limit ${limit} exceeds the block max gas ${blockMaxGas}; split the tx`);
    }
    meter = new BasicGasMeter(Number(limit));
  }
  const gas = intrinsicGas(tx, ctx.isSimulate);
  if (gas > meter.limit) {
    throw ErrOutOfGas.wrap(`gas limit ${meter.limit} is below the ${gas} gas this tx costs before execution (${tx.msgs.length} messages, ${tx.bytes.length} bytes); raise the gas limit (simulate for the full amount)`);
  }
  meter.consume(gas, 'intrinsic');
  return meter;
}

/**
 * The `key` of an encoded secp256k1 PubKey. Wallets send exactly one field, `0a 21` and 33
 * bytes, which is read in place (a view of the tx bytes, which are never written to); any
 * other encoding goes to the generated decoder, which gives the same key for this form.
 */
function pubKeyBytes(value: Uint8Array): Uint8Array {
  if (value.length === 35 && value[0] === 0x0a && value[1] === 0x21) return value.subarray(2);
  return PubKey.decode(value).key;
}

/** The compressed secp256k1 key a signer info carries, or undefined when omitted. */
export function signerPubKey(info: SignerInfo, index: number): Uint8Array | undefined {
  const any = info.publicKey;
  if (!any) return undefined;
  if (any.typeUrl !== SECP256K1_PUBKEY_TYPE) {
    throw ErrInvalidPubKey.wrap(`signer ${index}: unsupported public key type ${JSON.stringify(any.typeUrl)}`);
  }
  let key: Uint8Array;
  try {
    key = pubKeyBytes(any.value);
  } catch {
    throw ErrInvalidPubKey.wrap(`signer ${index}: malformed secp256k1 public key`);
  }
  if (key.length !== 33 || (key[0] !== 2 && key[0] !== 3)) {
    throw ErrInvalidPubKey.wrap(`signer ${index}: a secp256k1 public key must be 33 bytes, compressed`);
  }
  return key;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

/**
 * Stage: resolve each signer and the key it signs with; the key must be one of the
 * account's keys, or becomes its first key when it has none.
 */
export function resolveSignerKeys(
  ctx: Context,
  tx: DecodedTx,
  refs: readonly SignerRef[],
  accounts: AccountKeeper,
): { account: RuntimeAccount; pubKey: Uint8Array }[] {
  return refs.map((ref, i) => {
    let account = accounts.resolveSigner(ctx, ref);
    if (!account) throw ErrUnknownAddress.wrap(`account ${ref} does not exist`);
    const info = tx.authInfo.signerInfos[i];
    const given = signerPubKey(info, i);
    let pubKey: Uint8Array;
    if (!given) {
      if (account.pubKeys.length !== 1) {
        throw ErrInvalidPubKey.wrap(`signer ${i} (${account.address}) must include its public key`);
      }
      pubKey = account.pubKeys[0];
    } else if (account.pubKeys.some((k) => sameBytes(k, given))) {
      pubKey = given;
    } else if (account.pubKeys.length === 0) {
      account = accounts.bindFirstPubKey(ctx, account, given);
      pubKey = given;
    } else {
      throw ErrInvalidPubKey.wrap(`public key of signer ${i} does not belong to account ${account.address}`);
    }
    return { account, pubKey };
  });
}

/**
 * Stage: signatures. Skipped in simulation (cosmjs sends SIGN_MODE_UNSPECIFIED with an
 * empty signature) and in RECHECK (the signature was verified when the tx entered the
 * mempool and the bytes cannot have changed), as the Cosmos SDK does. Gas is charged in
 * every mode so simulation estimates the real cost.
 */
export function verifySignatures(
  ctx: Context,
  tx: DecodedTx,
  signers: readonly { account: RuntimeAccount; pubKey: Uint8Array }[],
  verify: VerifySignature,
  aminoEncoder?: AminoEncoder,
): void {
  for (let i = 0; i < signers.length; i++) {
    ctx.gasMeter.consume(TxGas.sigVerifyCostSecp256k1, 'ante verify: secp256k1');
    if (ctx.isSimulate || ctx.isReCheckTx) continue;
    const info = tx.authInfo.signerInfos[i];
    if (info.modeInfo?.multi) throw ErrNotSupported.wrap(`signer ${i}: multisig is not supported`);
    const mode = info.modeInfo?.single?.mode;
    const amino = mode === SignMode.SIGN_MODE_LEGACY_AMINO_JSON ? aminoEncoder : undefined;
    if (mode !== SignMode.SIGN_MODE_DIRECT && !amino) {
      throw ErrNotSupported.wrap(`signer ${i}: sign mode ${mode ?? 'none'} is not supported; use SIGN_MODE_DIRECT or SIGN_MODE_LEGACY_AMINO_JSON`);
    }
    const sig = tx.raw.signatures[i];
    if (sig.length !== 64) throw ErrInvalidSignature.wrap(`signature ${i} is ${sig.length} bytes, expected 64 (r||s)`);
    if (!isLowS(sig)) throw ErrInvalidSignature.wrap(`signature ${i} has a high S value (malleable form)`);
    const { account, pubKey } = signers[i];
    const digest = amino ? aminoDigest(tx, ctx.chainId, account.accountNumber, info.sequence, amino, i) : directSignDigest(tx, ctx.chainId, account.accountNumber);
    if (!verify(pubKey, digest, sig)) {
      throw ErrUnauthorized.wrap(
        `signature verification failed; please verify account number (${account.accountNumber}), sequence (${info.sequence}) and chain-id (${ctx.chainId})`,
      );
    }
  }
}

/** sha256 of the StdSignDoc a LEGACY_AMINO_JSON signer signed; a message without amino form refuses the tx. */
function aminoDigest(tx: DecodedTx, chainId: string, accountNumber: bigint, sequence: bigint, amino: AminoEncoder, i: number): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = legacyAminoSignBytes(tx, chainId, accountNumber, sequence, amino);
  } catch (err) {
    throw ErrNotSupported.wrap(`signer ${i}: the tx cannot be signed in amino JSON: ${err instanceof Error ? err.message : String(err)}; use SIGN_MODE_DIRECT`);
  }
  return sha256(bytes);
}

/** Stage: replay protection. Each signer's sequence must match, then increments. */
export function checkAndIncrementSequences(
  ctx: Context,
  tx: DecodedTx,
  signers: readonly { account: RuntimeAccount }[],
  accounts: AccountKeeper,
): RuntimeAccount[] {
  return signers.map(({ account }, i) => {
    const got = tx.authInfo.signerInfos[i].sequence;
    if (got !== account.sequence) {
      throw ErrWrongSequence.wrap(`account sequence mismatch, expected ${account.sequence}, got ${got}`);
    }
    const next = account.sequence + 1n;
    accounts.setSequence(ctx, account, next);
    ctx.events.emit(EventTypes.tx, [[AttributeKeys.accSeq, `${account.address}/${account.sequence}`]]);
    return { ...account, sequence: next };
  });
}

/** Stage: fee bounds (skipped in simulation, where cosmjs sends an empty fee). */
export function checkFee(ctx: Context, tx: DecodedTx, feeParams: FeeParamsKeeper): Coins {
  const fee = tx.authInfo.fee;
  if (fee && (fee.payer !== '' || fee.granter !== '')) {
    throw ErrNotSupported.wrap('fee payer and fee granter are not supported; the first signer pays');
  }
  let coins: Coins;
  try {
    coins = Coins.fromProto(fee?.amount ?? []);
  } catch (err) {
    throw ErrInvalidCoins.wrap(`fee: ${err instanceof CodedError ? err.message : 'malformed amount'}`);
  }
  if (ctx.isSimulate) return coins;
  const bounds = feeParams.feeBounds(ctx);
  for (const c of coins.toArray()) {
    if (c.denom !== bounds.denom) throw ErrInsufficientFee.wrap(`fees are paid in ${bounds.denom}, not ${c.denom}`);
  }
  const paid = coins.amountOf(bounds.denom);
  const gasLimit = fee?.gasLimit ?? 0n;
  const required = requiredFee(bounds.minTxFee, gasLimit);
  if (paid < required) {
    throw ErrInsufficientFee.wrap(
      required === bounds.minTxFee
        ? `fee ${paid}${bounds.denom} is below the minimum ${bounds.minTxFee}${bounds.denom}`
        : `fee ${paid}${bounds.denom} is below the ${required}${bounds.denom} required for gas limit ${gasLimit} (MIN_TX_FEE ${bounds.minTxFee}${bounds.denom} per ${GAS_PER_MIN_FEE} gas)`,
    );
  }
  if (paid > bounds.maxTxFee) {
    throw ErrInvalidRequest.wrap(`fee ${paid}${bounds.denom} exceeds the maximum ${bounds.maxTxFee}${bounds.denom}`);
  }
  return coins;
}

/**
 * Stage: the fee payer (first signer) pays the fee collector before any message runs.
 * Simulation gets an empty fee from cosmjs; it still pays `simulatedFee` (the minimum fee)
 * on its throw-away branch, so the gas estimate includes the fee transfer (about 12k gas,
 * a quarter of a send), which the 1.3–1.4 margins of wallets do not otherwise cover.
 */
export function deductFee(ctx: Context, payer: RuntimeAccount, fee: Coins, bank: BankKeeper, simulatedFee?: Coins): void {
  const paid = ctx.isSimulate && fee.isZero() && simulatedFee ? simulatedFee : fee;
  if (!paid.isZero()) bank.sendCoinsFromAccountToModule(ctx, payer, FEE_COLLECTOR, paid);
  ctx.events.emit(EventTypes.tx, [
    [AttributeKeys.fee, fee.toString()],
    [AttributeKeys.feePayer, payer.address],
  ]);
}

/**
 * Runs the pipeline after decoding on `ctx` (a branch the caller writes back only on
 * success). Returns the signers and the gas meter that the messages keep charging;
 * `progress.gasMeter` is set as soon as the meter exists.
 */
export function runAnte(ctx: Context, tx: DecodedTx, deps: AnteDeps, progress: { gasMeter?: GasMeter } = {}): AnteResult {
  validateMsgs(tx);
  const refs = txSigners(tx);
  checkSignerCounts(tx, refs, deps.params);
  checkTimeoutHeight(ctx, tx);
  checkOrdering(ctx, tx);
  checkMemo(tx, deps.params);
  // The block gas limit is a mempool and proposal rule (ProcessProposal refuses a block over
  // it); FinalizeBlock executes what consensus decided without it.
  const gasMeter = setUpGas(ctx, tx, ctx.isCheckTx ? deps.blockMaxGas?.() : undefined);
  // Lets the caller report the gas used so far when a later stage fails.
  progress.gasMeter = gasMeter;
  const gctx = ctx.withGasMeter(gasMeter);
  const keyed = resolveSignerKeys(gctx, tx, refs, deps.accounts);
  verifySignatures(gctx, tx, keyed, deps.verify, deps.amino);
  const signers = checkAndIncrementSequences(gctx, tx, keyed, deps.accounts);
  const fee = checkFee(gctx, tx, deps.feeParams);
  if (deps.feeFloor && ctx.isCheckTx) checkMempoolFeeFloor(deps.feeFloor, fee, tx.authInfo.fee?.gasLimit ?? 0n);
  const bounds = ctx.isSimulate ? deps.feeParams.feeBounds(gctx) : undefined;
  deductFee(gctx, signers[0], fee, deps.bank, bounds && Coins.from([{ denom: bounds.denom, amount: bounds.minTxFee }]));
  for (const sig of tx.raw.signatures) {
    gctx.events.emit(EventTypes.tx, [[AttributeKeys.signature, Buffer.from(sig.buffer, sig.byteOffset, sig.length).toString('base64')]]);
  }
  const addressOf = new Map<SignerRef, string>();
  refs.forEach((r, i) => addressOf.set(r, signers[i].address));
  return { signers, addressOf, gasWanted: gasMeter.limit, gasMeter };
}
