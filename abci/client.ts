/**
 * An ABCI socket client that behaves like CometBFT v0.38's (`abci/client/socket_client.go`):
 * requests are pipelined on one connection and answered in order, writes are buffered
 * until a Flush is sent (or the buffer fills, like Go's 4 KiB bufio writer), every
 * response must carry the oneof of the oldest outstanding request, and a
 * `ResponseException` or a mismatched response stops the client.
 *
 * Tests drive the server through it exactly as CometBFT does; tools use it to talk to a
 * running application.
 */
import * as net from 'node:net';
import type { DeepPartial } from 'cosmjs-types/helpers';
import {
  Request,
  type RequestApplySnapshotChunk,
  type RequestCheckTx,
  type RequestExtendVote,
  type RequestFinalizeBlock,
  type RequestInfo,
  type RequestInitChain,
  type RequestLoadSnapshotChunk,
  type RequestOfferSnapshot,
  type RequestPrepareProposal,
  type RequestProcessProposal,
  type RequestQuery,
  type RequestVerifyVoteExtension,
  Response,
  type ResponseApplySnapshotChunk,
  type ResponseCheckTx,
  type ResponseCommit,
  type ResponseEcho,
  type ResponseExtendVote,
  type ResponseFinalizeBlock,
  type ResponseInfo,
  type ResponseInitChain,
  type ResponseListSnapshots,
  type ResponseLoadSnapshotChunk,
  type ResponseOfferSnapshot,
  type ResponsePrepareProposal,
  type ResponseProcessProposal,
  type ResponseQuery,
  type ResponseVerifyVoteExtension,
} from 'cosmjs-types/tendermint/abci/types';
import { parseAbciAddress } from './address';
import { type CodedError } from '../types/errors';
import { ErrApplicationException, ErrConnectionClosed, ErrUnexpectedResponse } from './errors';
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder } from './framing';
import { type AbciMethod, decodeResponse, encodeRequestFrame, requestMethod, responseMethod } from './messages';

export interface AbciClientOptions {
  maxFrameBytes?: number;
  /**
   * Buffered request bytes written before any Flush; default 4096, the size of the Go
   * `bufio.Writer` CometBFT's socket client uses. Set it high to hold everything until
   * `flush()`.
   */
  writeBufferBytes?: number;
  /**
   * Send a Flush this long after an unflushed async request (CometBFT: 20 ms for the
   * mempool connection). 0 (default) = only explicit flushes.
   */
  flushThrottleMs?: number;
  /** Stop the client on `ResponseException`, as CometBFT does (default true). */
  stopOnException?: boolean;
}

interface Pending {
  method: AbciMethod;
  resolve(res: Response): void;
  reject(err: Error): void;
}

/** Responses to requests sent with `send`, by method. */
type Answers = {
  echo: ResponseEcho;
  info: ResponseInfo;
  initChain: ResponseInitChain;
  query: ResponseQuery;
  checkTx: ResponseCheckTx;
  commit: ResponseCommit;
  listSnapshots: ResponseListSnapshots;
  offerSnapshot: ResponseOfferSnapshot;
  loadSnapshotChunk: ResponseLoadSnapshotChunk;
  applySnapshotChunk: ResponseApplySnapshotChunk;
  prepareProposal: ResponsePrepareProposal;
  processProposal: ResponseProcessProposal;
  extendVote: ResponseExtendVote;
  verifyVoteExtension: ResponseVerifyVoteExtension;
  finalizeBlock: ResponseFinalizeBlock;
};

export class AbciClient {
  private readonly maxFrameBytes: number;
  private readonly writeBufferBytes: number;
  private readonly flushThrottleMs: number;
  private readonly stopOnException: boolean;
  private socket: net.Socket | undefined;
  private decoder: FrameDecoder;
  private readonly fifo: Pending[] = [];
  private fifoHead = 0;
  private out: Buffer[] = [];
  private outBytes = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private failure: CodedError | undefined;
  private closedPromise: Promise<void> = Promise.resolve();

  constructor(opts: AbciClientOptions = {}) {
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.writeBufferBytes = opts.writeBufferBytes ?? 4096;
    this.flushThrottleMs = opts.flushThrottleMs ?? 0;
    this.stopOnException = opts.stopOnException ?? true;
    this.decoder = new FrameDecoder(this.maxFrameBytes);
  }

  /** Connects to `tcp://host:port` or `unix://path`. */
  async connect(address: string): Promise<void> {
    if (this.socket) throw ErrConnectionClosed.wrap('client is already connected');
    const addr = parseAbciAddress(address);
    const socket = addr.kind === 'unix' ? net.connect(addr.path) : net.connect(addr.port, addr.host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve();
      });
      socket.once('error', reject);
    });
    if (addr.kind === 'tcp') socket.setNoDelay(true);
    this.socket = socket;
    this.failure = undefined;
    this.decoder = new FrameDecoder(this.maxFrameBytes);
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(ErrConnectionClosed.wrap(err.message)));
    socket.once('close', () => this.fail(ErrConnectionClosed.wrap('socket closed')));
  }

  /** Requests sent and not yet answered. */
  get pending(): number {
    return this.fifo.length - this.fifoHead;
  }

  /** Why the client stopped, if it did. */
  get error(): CodedError | undefined {
    return this.failure;
  }

  /**
   * Queues a request without flushing (CometBFT's `*Async`); resolves with its response.
   * Rejects with `ErrApplicationException` on `ResponseException`.
   */
  send(req: Request): Promise<Response> {
    const method = requestMethod(req);
    const socket = this.socket;
    if (this.failure || !socket) return Promise.reject(this.failure ?? ErrConnectionClosed.wrap('client is not connected'));
    const promise = new Promise<Response>((resolve, reject) => this.fifo.push({ method, resolve, reject }));
    const frame = encodeRequestFrame(req);
    this.out.push(frame);
    this.outBytes += frame.length;
    if (method === 'flush') {
      this.writeOut();
    } else {
      if (this.outBytes >= this.writeBufferBytes) this.writeOut();
      if (this.flushThrottleMs > 0 && !this.flushTimer) {
        this.flushTimer = setTimeout(() => {
          this.flushTimer = undefined;
          if (!this.failure && this.socket) this.flush().catch(() => undefined);
        }, this.flushThrottleMs);
      }
    }
    return promise;
  }

  /** Queues a request, then a Flush, and resolves with the request's response (CometBFT's sync calls). */
  request(req: Request): Promise<Response> {
    const res = this.send(req);
    this.flush().catch(() => undefined);
    return res;
  }

  /** Sends a Flush (writing everything buffered) and waits for ResponseFlush. */
  async flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    await this.send({ flush: {} });
  }

  /** Closes the connection; outstanding requests fail with `ErrConnectionClosed`. */
  async close(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    this.fail(ErrConnectionClosed.wrap('client closed'));
    await this.closedPromise;
  }

  echo(message: string): Promise<ResponseEcho> {
    return this.call('echo', { echo: { message } });
  }
  info(req: DeepPartial<RequestInfo> = {}): Promise<ResponseInfo> {
    return this.call('info', { info: req });
  }
  initChain(req: DeepPartial<RequestInitChain>): Promise<ResponseInitChain> {
    return this.call('initChain', { initChain: req });
  }
  query(req: DeepPartial<RequestQuery>): Promise<ResponseQuery> {
    return this.call('query', { query: req });
  }
  checkTx(req: DeepPartial<RequestCheckTx>): Promise<ResponseCheckTx> {
    return this.call('checkTx', { checkTx: req });
  }
  /** Queues a CheckTx without flushing; resolves when its response arrives. */
  checkTxAsync(req: DeepPartial<RequestCheckTx>): Promise<ResponseCheckTx> {
    return this.call('checkTx', { checkTx: req }, false);
  }
  commit(): Promise<ResponseCommit> {
    return this.call('commit', { commit: {} });
  }
  prepareProposal(req: DeepPartial<RequestPrepareProposal>): Promise<ResponsePrepareProposal> {
    return this.call('prepareProposal', { prepareProposal: req });
  }
  processProposal(req: DeepPartial<RequestProcessProposal>): Promise<ResponseProcessProposal> {
    return this.call('processProposal', { processProposal: req });
  }
  extendVote(req: DeepPartial<RequestExtendVote>): Promise<ResponseExtendVote> {
    return this.call('extendVote', { extendVote: req });
  }
  verifyVoteExtension(req: DeepPartial<RequestVerifyVoteExtension>): Promise<ResponseVerifyVoteExtension> {
    return this.call('verifyVoteExtension', { verifyVoteExtension: req });
  }
  finalizeBlock(req: DeepPartial<RequestFinalizeBlock>): Promise<ResponseFinalizeBlock> {
    return this.call('finalizeBlock', { finalizeBlock: req });
  }
  listSnapshots(): Promise<ResponseListSnapshots> {
    return this.call('listSnapshots', { listSnapshots: {} });
  }
  offerSnapshot(req: DeepPartial<RequestOfferSnapshot>): Promise<ResponseOfferSnapshot> {
    return this.call('offerSnapshot', { offerSnapshot: req });
  }
  loadSnapshotChunk(req: DeepPartial<RequestLoadSnapshotChunk>): Promise<ResponseLoadSnapshotChunk> {
    return this.call('loadSnapshotChunk', { loadSnapshotChunk: req });
  }
  applySnapshotChunk(req: DeepPartial<RequestApplySnapshotChunk>): Promise<ResponseApplySnapshotChunk> {
    return this.call('applySnapshotChunk', { applySnapshotChunk: req });
  }

  private async call<M extends keyof Answers>(method: M, partial: DeepPartial<Request>, flush = true): Promise<Answers[M]> {
    const req = Request.fromPartial(partial);
    const res = await (flush ? this.request(req) : this.send(req));
    // onData has checked that the oneof matches, so the field is present.
    return res[method] as Answers[M];
  }

  private writeOut(): void {
    if (this.out.length === 0 || !this.socket) return;
    const data = this.out.length === 1 ? this.out[0] : Buffer.concat(this.out, this.outBytes);
    this.out = [];
    this.outBytes = 0;
    this.socket.write(data);
  }

  private onData(chunk: Buffer): void {
    if (this.failure) return;
    try {
      for (const body of this.decoder.push(chunk)) {
        const res = decodeResponse(body);
        const got = responseMethod(res);
        const head = this.fifo[this.fifoHead];
        if (!head) throw ErrUnexpectedResponse.wrap(`${got} response with no request outstanding`);
        this.fifo[this.fifoHead++] = undefined as unknown as Pending;
        if (this.fifoHead === this.fifo.length) {
          this.fifo.length = 0;
          this.fifoHead = 0;
        }
        if (got === 'exception') {
          const err = ErrApplicationException.wrap(`${head.method}: ${res.exception!.error}`);
          head.reject(err);
          if (this.stopOnException) throw err;
          continue;
        }
        if (got !== head.method) {
          const err = ErrUnexpectedResponse.wrap(`${got} response to the ${head.method} request`);
          head.reject(err);
          throw err;
        }
        head.resolve(res);
      }
    } catch (e) {
      this.fail(e as CodedError);
    }
  }

  /** Stops the client: every outstanding request fails with `err`, the socket closes. */
  private fail(err: CodedError): void {
    if (this.failure) return;
    this.failure = err;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const pending = this.fifo.slice(this.fifoHead);
    this.fifo.length = 0;
    this.fifoHead = 0;
    this.out = [];
    this.outBytes = 0;
    for (const p of pending) p.reject(err);
    this.socket?.destroy();
  }
}
