/**
 * The ABCI 2.0 (CometBFT v0.38) application contract.
 *
 * The socket server, the embedded single-node engine and tests all drive an
 * `AbciApplication`; the wire types are the `tendermint.abci` messages from
 * cosmjs-types, so the bytes we speak are those of an independent codec.
 *
 * Calls on one connection never overlap: the caller awaits each before sending the next.
 * Calls on different connections may interleave (CheckTx and Query run while a block
 * executes), so the application keeps separate check, execution and query states.
 *
 * Rejections are answers, not throws: CheckTx and Query report failures through
 * `code`/`codespace`/`log`. A handler that throws is answered with `ResponseException`,
 * on which CometBFT stops the node — right for a bug in block execution, never for a bad
 * transaction. Optional fields may be left out of a response; protobuf defaults fill them.
 * `echo` is optional: without it the server echoes the message itself.
 */
import type {
  RequestApplySnapshotChunk,
  RequestCheckTx,
  RequestEcho,
  RequestExtendVote,
  RequestFinalizeBlock,
  RequestInfo,
  RequestInitChain,
  RequestLoadSnapshotChunk,
  RequestOfferSnapshot,
  RequestPrepareProposal,
  RequestProcessProposal,
  RequestQuery,
  RequestVerifyVoteExtension,
  ResponseApplySnapshotChunk,
  ResponseCheckTx,
  ResponseCommit,
  ResponseEcho,
  ResponseExtendVote,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseListSnapshots,
  ResponseLoadSnapshotChunk,
  ResponseOfferSnapshot,
  ResponsePrepareProposal,
  ResponseProcessProposal,
  ResponseQuery,
  ResponseVerifyVoteExtension,
} from 'cosmjs-types/tendermint/abci/types';

type Answer<T> = T | Promise<T>;

export interface AbciApplication {
  echo?(req: RequestEcho): Answer<ResponseEcho>;
  info(req: RequestInfo): Answer<ResponseInfo>;
  query(req: RequestQuery): Answer<ResponseQuery>;

  checkTx(req: RequestCheckTx): Answer<ResponseCheckTx>;

  initChain(req: RequestInitChain): Answer<ResponseInitChain>;
  prepareProposal(req: RequestPrepareProposal): Answer<ResponsePrepareProposal>;
  processProposal(req: RequestProcessProposal): Answer<ResponseProcessProposal>;
  extendVote(req: RequestExtendVote): Answer<ResponseExtendVote>;
  verifyVoteExtension(req: RequestVerifyVoteExtension): Answer<ResponseVerifyVoteExtension>;
  finalizeBlock(req: RequestFinalizeBlock): Answer<ResponseFinalizeBlock>;
  commit(): Answer<ResponseCommit>;

  listSnapshots(): Answer<ResponseListSnapshots>;
  offerSnapshot(req: RequestOfferSnapshot): Answer<ResponseOfferSnapshot>;
  loadSnapshotChunk(req: RequestLoadSnapshotChunk): Answer<ResponseLoadSnapshotChunk>;
  applySnapshotChunk(req: RequestApplySnapshotChunk): Answer<ResponseApplySnapshotChunk>;
}
