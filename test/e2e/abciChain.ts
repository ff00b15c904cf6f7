/**
 * CometBFT's side of the consensus connection, for end-to-end ABCI tests: it proposes,
 * finalizes and commits heights over an `AbciClient` with the requests a single-validator
 * CometBFT v0.38 node would send (real block hashes, a signed last commit, the genesis
 * validator in decided_last_commit from the second height on), and signs Cosmos txs with
 * `@cosmjs/proto-signing` as a wallet does.
 */
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { fromBase64 } from '@cosmjs/encoding';
import { encodePubkey, makeAuthInfoBytes, makeSignDoc, type DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import {
  ResponseProcessProposal_ProposalStatus as ProposalStatus,
  type CommitInfo,
  type ExtendedCommitInfo,
  type ResponseFinalizeBlock,
  type ResponseInitChain,
} from 'cosmjs-types/tendermint/abci/types';
import type { Block } from 'cosmjs-types/tendermint/types/block';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { SignedMsgType, type BlockID, type Commit } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import type { AbciClient } from '../../abci/client';
import { BLOCK_PROTOCOL, maxDataBytes } from '../../node/engine/engine';
import type { GenesisDoc } from '../../node/engine/genesis';
import { blockId as computeBlockId, commitHash, consensusParamsHash, dataHash, evidenceHash, resultsHash, validatorSetHash } from '../../node/consensus/hashes';
import { merkleRoot } from '../../node/consensus/merkle';
import { PrivValidator, STEP_PRECOMMIT, voteSignBytes } from '../../node/consensus/signing';
import { applyValidatorUpdates, fromUpdate, sortValidators } from '../../node/consensus/validatorSet';
import type { NodeValidator } from '../../node/types';

/** CometBFT 0.38's RequestInfo fields (version/version.go, proxy/version.go). */
export const COMETBFT_INFO = { version: '0.38.17', blockVersion: 11n, p2pVersion: 8n, abciVersion: '2.0.0' } as const;

const emptyBlockId = (): BlockID => ({ hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } });

/** A block proposed at one height, kept so that the same block can be finalized again after a crash. */
export interface Proposal {
  height: number;
  block: Block;
  blockId: BlockID;
  voteTime: Timestamp;
}

/**
 * The chain state CometBFT keeps between heights. The driver survives app restarts (the
 * test swaps `consensus` for a new connection), as CometBFT's state survives the app's.
 */
export class ConsensusDriver {
  /** AppHash returned by FinalizeBlock, by height. */
  readonly appHashes = new Map<number, Uint8Array>();
  readonly results = new Map<number, ResponseFinalizeBlock>();
  private readonly valsAt = new Map<number, NodeValidator[]>();
  private lastHeight: number;
  private lastBlockId: BlockID = emptyBlockId();
  private lastCommit: Commit = { height: 0n, round: 0, blockId: emptyBlockId(), signatures: [] };
  private lastTime: Timestamp;
  private appHash: Uint8Array = new Uint8Array();
  private lastResultsHash: Uint8Array = merkleRoot([]);
  private params: ConsensusParams;

  constructor(
    public consensus: AbciClient,
    readonly genesis: GenesisDoc,
    private readonly pv: PrivValidator,
  ) {
    this.lastHeight = Number(genesis.initialHeight) - 1;
    this.lastTime = genesis.genesisTime;
    this.params = genesis.consensusParams;
  }

  get height(): number {
    return this.lastHeight;
  }

  /** InitChain with the genesis document's fields, exactly as CometBFT's handshake sends them. */
  async initChain(): Promise<ResponseInitChain> {
    const g = this.genesis;
    const res = await this.consensus.initChain({
      time: g.genesisTime,
      chainId: g.chainId,
      consensusParams: g.consensusParams,
      validators: g.validators.map((v) => ({ pubKey: { ed25519: v.pubKey }, power: v.power })),
      appStateBytes: g.appStateBytes,
      initialHeight: g.initialHeight,
    });
    const vals = sortValidators(res.validators.length > 0 ? res.validators.map(fromUpdate) : g.validators);
    const first = this.lastHeight + 1;
    this.valsAt.set(first, vals);
    this.valsAt.set(first + 1, vals);
    this.appHash = res.appHash.length > 0 ? res.appHash : g.appHash;
    return res;
  }

  validators(height: number): NodeValidator[] {
    const v = this.valsAt.get(height);
    if (!v) throw new Error(`no validator set for height ${height}`);
    return v;
  }

  /** Who signed the previous block: every validator of height-1 with its CommitSig flag. */
  private commitInfo(height: number): CommitInfo {
    if (height <= Number(this.genesis.initialHeight)) return { round: 0, votes: [] };
    const vals = this.validators(height - 1);
    return {
      round: this.lastCommit.round,
      votes: vals.map((v, i) => ({ validator: { address: v.address, power: v.power }, blockIdFlag: this.lastCommit.signatures[i].blockIdFlag })),
    };
  }

  /** PrepareProposal with the mempool's txs, then the block CometBFT would build from the answer, then ProcessProposal. */
  async propose(mempoolTxs: Uint8Array[]): Promise<Proposal> {
    const height = this.lastHeight + 1;
    const vals = this.validators(height);
    const nextVals = this.validators(height + 1);
    // Block time: genesis time for the first block, then one second per height (BFT time).
    const time: Timestamp = height === Number(this.genesis.initialHeight) ? this.genesis.genesisTime : { seconds: this.lastTime.seconds + 1n, nanos: 0 };
    const info = this.commitInfo(height);
    const extended: ExtendedCommitInfo = {
      round: info.round,
      votes: info.votes.map((v) => ({ validator: v.validator, voteExtension: new Uint8Array(), extensionSignature: new Uint8Array(), blockIdFlag: v.blockIdFlag })),
    };
    const proposer = this.pv.address;
    const prepared = await this.consensus.prepareProposal({
      maxTxBytes: BigInt(maxDataBytes(this.params, vals.length)),
      txs: mempoolTxs,
      localLastCommit: extended,
      misbehavior: [],
      height: BigInt(height),
      time,
      nextValidatorsHash: validatorSetHash(nextVals),
      proposerAddress: proposer,
    });
    const block: Block = {
      header: {
        version: { block: BLOCK_PROTOCOL, app: 0n },
        chainId: this.genesis.chainId,
        height: BigInt(height),
        time,
        lastBlockId: this.lastBlockId,
        lastCommitHash: commitHash(this.lastCommit),
        dataHash: dataHash(prepared.txs),
        validatorsHash: validatorSetHash(vals),
        nextValidatorsHash: validatorSetHash(nextVals),
        consensusHash: consensusParamsHash(this.params),
        appHash: this.appHash,
        lastResultsHash: this.lastResultsHash,
        evidenceHash: evidenceHash(),
        proposerAddress: proposer,
      },
      data: { txs: prepared.txs },
      evidence: { evidence: [] },
      lastCommit: this.lastCommit,
    };
    const { blockId } = computeBlockId(block);
    const processed = await this.consensus.processProposal({
      txs: block.data.txs,
      proposedLastCommit: info,
      misbehavior: [],
      hash: blockId.hash,
      height: BigInt(height),
      time,
      nextValidatorsHash: block.header.nextValidatorsHash,
      proposerAddress: proposer,
    });
    if (processed.status !== ProposalStatus.ACCEPT) throw new Error(`ProcessProposal rejected height ${height}: status ${processed.status}`);
    return { height, block, blockId, voteTime: { seconds: time.seconds, nanos: 500_000_000 } };
  }

  /** FinalizeBlock of a proposal (may be sent again for the same proposal after an app crash). */
  async finalize(p: Proposal): Promise<ResponseFinalizeBlock> {
    const h = p.block.header;
    const res = await this.consensus.finalizeBlock({
      txs: p.block.data.txs,
      decidedLastCommit: this.commitInfo(p.height),
      misbehavior: [],
      hash: p.blockId.hash,
      height: h.height,
      time: h.time,
      nextValidatorsHash: h.nextValidatorsHash,
      proposerAddress: h.proposerAddress,
    });
    if (res.txResults.length !== p.block.data.txs.length) {
      throw new Error(`expected tx results length to match size of transactions in block: ${res.txResults.length} != ${p.block.data.txs.length}`);
    }
    return res;
  }

  /** Records the decided block (signing our precommit for it) and sends Commit. */
  async commit(p: Proposal, res: ResponseFinalizeBlock): Promise<void> {
    const vals = this.validators(p.height);
    const signBytes = voteSignBytes(this.genesis.chainId, {
      type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT,
      height: BigInt(p.height),
      round: 0,
      blockId: p.blockId,
      timestamp: p.voteTime,
    });
    const signature = this.pv.sign(BigInt(p.height), 0, STEP_PRECOMMIT, signBytes);
    this.lastCommit = {
      height: BigInt(p.height),
      round: 0,
      blockId: p.blockId,
      signatures: vals.map((v) =>
        Buffer.from(v.address).equals(Buffer.from(this.pv.address))
          ? { blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT, validatorAddress: v.address, timestamp: p.voteTime, signature }
          : { blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT, validatorAddress: new Uint8Array(), timestamp: { seconds: -62135596800n, nanos: 0 }, signature: new Uint8Array() },
      ),
    };
    // Validator updates returned at H apply from H+2 (CometBFT state.updateState).
    this.valsAt.set(p.height + 2, applyValidatorUpdates(this.validators(p.height + 1), res.validatorUpdates));
    this.lastHeight = p.height;
    this.lastBlockId = p.blockId;
    this.lastTime = p.block.header.time;
    this.appHash = res.appHash;
    this.lastResultsHash = resultsHash(res.txResults);
    this.appHashes.set(p.height, res.appHash);
    this.results.set(p.height, res);
    await this.consensus.commit();
  }

  /** One whole height: Prepare, Process, Finalize, Commit. */
  async runHeight(txs: Uint8Array[]): Promise<ResponseFinalizeBlock> {
    const p = await this.propose(txs);
    const res = await this.finalize(p);
    await this.commit(p, res);
    return res;
  }
}

export interface SendTx {
  from: string;
  to: string;
  amount: bigint;
  sequence: bigint;
  accountNumber: bigint;
  chainId: string;
  /** Default 100ukex, the chain's minimum. */
  fee?: bigint;
  memo?: string;
}

export interface SignOptions {
  sequence: bigint;
  accountNumber: bigint;
  chainId: string;
  /** Default 100ukex, the chain's minimum. */
  fee?: bigint;
  memo?: string;
  /** Sign with this wallet's key while naming the first wallet's key in AuthInfo (a wrong-key tx). */
  signAs?: DirectSecp256k1HdWallet;
}

/** Any messages in a TxRaw signed SIGN_MODE_DIRECT by the wallet's first account, as a wallet does. */
export async function signMsgs(wallet: DirectSecp256k1HdWallet, msgs: Array<{ typeUrl: string; value: Uint8Array }>, o: SignOptions): Promise<Uint8Array> {
  const [account] = await wallet.getAccounts();
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: msgs, memo: o.memo ?? '' })).finish();
  const authInfoBytes = makeAuthInfoBytes(
    [{ pubkey: encodePubkey(encodeSecp256k1Pubkey(account.pubkey)), sequence: Number(o.sequence) }],
    [{ denom: 'ukex', amount: (o.fee ?? 100n).toString() }],
    200_000,
    undefined,
    undefined,
  );
  const signer = o.signAs ?? wallet;
  const [signerAccount] = await signer.getAccounts();
  const signed = await signer.signDirect(signerAccount.address, makeSignDoc(bodyBytes, authInfoBytes, o.chainId, Number(o.accountNumber)));
  return TxRaw.encode({ bodyBytes: signed.signed.bodyBytes, authInfoBytes: signed.signed.authInfoBytes, signatures: [fromBase64(signed.signature.signature)] }).finish();
}

/** A bank MsgSend of ukex signed by the wallet. */
export function signSend(wallet: DirectSecp256k1HdWallet, tx: SendTx, signAs?: DirectSecp256k1HdWallet): Promise<Uint8Array> {
  const msg = { typeUrl: MsgSend.typeUrl, value: MsgSend.encode({ fromAddress: tx.from, toAddress: tx.to, amount: [{ denom: 'ukex', amount: tx.amount.toString() }] }).finish() };
  return signMsgs(wallet, [msg], { ...tx, signAs });
}

const SECP256K1_N = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');

/** The same tx with its signature's S replaced by n - S: still a valid ECDSA signature, but malleable. */
export function highSTwin(txBytes: Uint8Array): Uint8Array {
  const raw = TxRaw.decode(txBytes);
  const sig = raw.signatures[0];
  const s = BigInt('0x' + Buffer.from(sig.subarray(32)).toString('hex'));
  const twin = new Uint8Array(sig);
  twin.set(Buffer.from((SECP256K1_N - s).toString(16).padStart(64, '0'), 'hex'), 32);
  return TxRaw.encode({ ...raw, signatures: [twin] }).finish();
}
