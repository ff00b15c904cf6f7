/**
 * The ABCI 2.0 socket server CometBFT v0.38 connects to (`proxy_app = "tcp://…"` or
 * `"unix://…"`).
 *
 * CometBFT opens four connections (query, snapshot, mempool, consensus) with no
 * handshake, so every connection is served alike: frames are decoded in arrival order,
 * each Request is answered only after the application's handler for it settled, and
 * responses are buffered and written to the socket when a Flush arrives (CometBFT sends
 * Flush after every synchronous call and on a 20 ms timer for pipelined CheckTx).
 * Connections are independent: CheckTx and Query run while a block executes.
 *
 * A frame that is not a decodable Request carrying exactly one method closes its
 * connection (after the requests before it were served): the stream can no longer be
 * trusted. The Go server would answer an unknown method with an exception instead; either
 * way CometBFT stops, and here nothing undecodable ever reaches the application.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import pino, { type Logger } from 'pino';
import type { DeepPartial } from 'cosmjs-types/helpers';
import { Request, Response } from 'cosmjs-types/tendermint/abci/types';
import type { AbciApplication } from './application';
import { type AbciAddress, formatAbciAddress, parseAbciAddress } from './address';
import { ErrInvalidAddress } from './errors';
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder } from './framing';
import { type AbciMethod, CONSENSUS_METHODS, decodeRequest, encodeResponseFrame, requestMethod } from './messages';

export interface AbciServerOptions {
  logger?: Logger;
  /** Largest accepted frame body; default `DEFAULT_MAX_FRAME_BYTES` (128 MiB). */
  maxFrameBytes?: number;
  /** How long `close()` waits for in-flight requests before dropping connections; default 10 s. */
  closeTimeoutMs?: number;
  /** Most open connections; default MAX_ABCI_CONNECTIONS. */
  maxConnections?: number;
}

/**
 * CometBFT opens four ABCI connections (query, snapshot, mempool, consensus); 16 leaves room
 * for a restarting CometBFT whose old sockets have not closed yet, and bounds what anyone
 * else reaching the port can hold open.
 */
export const MAX_ABCI_CONNECTIONS = 16;

/**
 * Decoded-but-unanswered frames at which a connection stops reading from its socket.
 * CometBFT pipelines CheckTx by the thousand between flushes; 4096 small frames keep the
 * handler busy for many milliseconds while bounding memory when the app is slower than
 * the mempool. TCP flow control then pushes back on CometBFT.
 */
const QUEUE_HIGH_WATER = 4096;
const QUEUE_LOW_WATER = 1024;

/**
 * Buffered response bytes written out even before a Flush arrives. CometBFT reads its
 * socket continuously (the Go server's bufio writer also spills every 4 KiB), so writing
 * early is correct; it only bounds what a long pipeline makes us hold.
 */
const OUT_HIGH_WATER = 64 * 1024;

const FLUSH_FRAME = encodeResponseFrame(Response.fromPartial({ flush: {} }));

/** Human names for log lines, as CometBFT spells the methods. */
function methodName(m: AbciMethod): string {
  return m[0].toUpperCase() + m.slice(1);
}

export class AbciServer {
  private readonly app: AbciApplication;
  private readonly logger: Logger;
  private readonly maxFrameBytes: number;
  private readonly closeTimeoutMs: number;
  private readonly maxConnections: number;
  private readonly connections = new Set<AbciConnection>();
  private server: net.Server | undefined;
  private bound: AbciAddress | undefined;
  private nextConnectionId = 1;
  private closing: Promise<void> | undefined;

  constructor(app: AbciApplication, opts: AbciServerOptions = {}) {
    this.app = app;
    this.logger = (opts.logger ?? pino({ level: 'silent' })).child({ module: 'abci' });
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.closeTimeoutMs = opts.closeTimeoutMs ?? 10_000;
    this.maxConnections = opts.maxConnections ?? MAX_ABCI_CONNECTIONS;
    // Validate once here rather than on the first connection.
    new FrameDecoder(this.maxFrameBytes);
  }

  /**
   * Starts accepting on `tcp://host:port` (port 0 picks a free port; see `address()`) or
   * `unix://path`. A stale unix socket file left by a crashed process is replaced; a live
   * one is an error.
   */
  async listen(address: string): Promise<void> {
    if (this.server) throw ErrInvalidAddress.wrap(`already listening on ${this.address()}`);
    const addr = parseAbciAddress(address);
    if (addr.kind === 'unix') await removeStaleSocket(addr.path);
    const server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const done = () => {
        server.off('error', reject);
        resolve();
      };
      if (addr.kind === 'unix') server.listen(addr.path, done);
      else server.listen(addr.port, addr.host, done);
    });
    server.on('error', (err) => this.logger.error({ err }, 'ABCI listener error'));
    this.server = server;
    if (addr.kind === 'tcp') {
      const info = server.address() as net.AddressInfo;
      this.bound = { kind: 'tcp', host: addr.host, port: info.port };
    } else {
      this.bound = addr;
    }
    this.logger.info({ address: this.address() }, 'ABCI server listening');
  }

  /** The bound address in `proxy_app` form, with the real port when listening on port 0. */
  address(): string {
    if (!this.bound) throw ErrInvalidAddress.wrap('server is not listening');
    return formatAbciAddress(this.bound);
  }

  /** Connections currently open. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Stops accepting, lets every connection finish the requests it already received and
   * write their responses, then closes the connections. Connections still busy after
   * `closeTimeoutMs` are dropped.
   */
  close(): Promise<void> {
    if (!this.closing) this.closing = this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    const conns = [...this.connections];
    const finished = Promise.all(conns.map((c) => c.shutdown()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.closeTimeoutMs);
    });
    const late = await Promise.race([finished.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      this.logger.warn({ open: this.connections.size }, 'ABCI close timed out; dropping busy connections');
      for (const c of this.connections) c.destroy();
    }
    await stopped;
    this.logger.info('ABCI server closed');
  }

  private accept(socket: net.Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    if (this.connections.size >= this.maxConnections) {
      this.logger.warn({ open: this.connections.size, max: this.maxConnections }, 'ABCI connection refused: too many open connections');
      socket.destroy();
      return;
    }
    const id = this.nextConnectionId++;
    const conn = new AbciConnection(socket, this.maxFrameBytes, this.logger.child({ conn: id }), (m, r) => this.dispatch(m, r, id));
    this.connections.add(conn);
    socket.once('close', () => this.connections.delete(conn));
  }

  /** Runs one request through the application; a throw becomes `ResponseException`. */
  private async dispatch(method: AbciMethod, req: Request, conn: number): Promise<Response> {
    let result: unknown;
    try {
      result = await this.call(method, req);
      if (result === undefined || result === null) throw new Error(`application returned no ${methodName(method)} response`);
      // fromPartial fills fields the handler left out with protobuf defaults, so encoding cannot trip on them.
      const partial = { [method]: result } as DeepPartial<Response>;
      return Response.fromPartial(partial);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const name = methodName(method);
      if (CONSENSUS_METHODS.has(method)) {
        this.logger.error({ err, method: name, conn }, `application failed in ${name}: answering ResponseException, which halts CometBFT`);
      } else if (method === 'checkTx' || method === 'query') {
        this.logger.error(
          { err, method: name, conn },
          `application threw in ${name} instead of returning a non-zero code: answering ResponseException, which stops CometBFT`,
        );
      } else {
        this.logger.error({ err, method: name, conn }, `application threw in ${name}: answering ResponseException`);
      }
      return { exception: { error: err.message } };
    }
  }

  private call(method: AbciMethod, req: Request): unknown {
    const app = this.app;
    switch (method) {
      case 'echo':
        return app.echo ? app.echo(req.echo!) : { message: req.echo!.message };
      case 'flush':
        throw new Error('Flush is answered by the connection');
      case 'info':
        return app.info(req.info!);
      case 'initChain':
        return app.initChain(req.initChain!);
      case 'query':
        return app.query(req.query!);
      case 'checkTx':
        return app.checkTx(req.checkTx!);
      case 'commit':
        return app.commit();
      case 'listSnapshots':
        return app.listSnapshots();
      case 'offerSnapshot':
        return app.offerSnapshot(req.offerSnapshot!);
      case 'loadSnapshotChunk':
        return app.loadSnapshotChunk(req.loadSnapshotChunk!);
      case 'applySnapshotChunk':
        return app.applySnapshotChunk(req.applySnapshotChunk!);
      case 'prepareProposal':
        return app.prepareProposal(req.prepareProposal!);
      case 'processProposal':
        return app.processProposal(req.processProposal!);
      case 'extendVote':
        return app.extendVote(req.extendVote!);
      case 'verifyVoteExtension':
        return app.verifyVoteExtension(req.verifyVoteExtension!);
      case 'finalizeBlock':
        return app.finalizeBlock(req.finalizeBlock!);
    }
  }
}

type Dispatch = (method: AbciMethod, req: Request) => Promise<Response>;

/** One client connection: a strictly sequential request loop over a frame queue. */
class AbciConnection {
  private readonly decoder: FrameDecoder;
  // Frames decoded but not yet handled, then possibly the framing error that ended the
  // stream; `head` avoids O(n) shifts on long pipelines.
  private queue: Array<Uint8Array | Error> = [];
  private head = 0;
  private running = false;
  private paused = false;
  private out: Buffer[] = [];
  private outBytes = 0;
  /** No further frame is handled (protocol error, peer gone or shutting down). */
  private stopped = false;
  private stopping = false;
  /** The byte stream hit a framing error: nothing after it can be read. */
  private broken = false;
  private readonly closed: Promise<void>;

  constructor(
    private readonly socket: net.Socket,
    maxFrameBytes: number,
    private readonly logger: Logger,
    private readonly dispatch: Dispatch,
  ) {
    this.decoder = new FrameDecoder(maxFrameBytes);
    // We batch responses ourselves; Nagle would add delayed-ACK stalls to every Flush.
    if (socket.remoteAddress !== undefined) socket.setNoDelay(true);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.logger.debug({ err }, 'ABCI connection error'));
    socket.once('close', () => {
      this.stopped = true;
      this.decoder.release();
      this.logger.debug('ABCI connection closed');
    });
    this.logger.debug({ remote: socket.remoteAddress ?? 'unix' }, 'ABCI connection opened');
  }

  private onData(chunk: Buffer): void {
    if (this.stopped || this.stopping || this.broken) return;
    const frames: Uint8Array[] = [];
    let err: Error | undefined;
    try {
      this.decoder.push(chunk, frames);
    } catch (e) {
      err = e as Error;
    }
    for (const f of frames) this.queue.push(f);
    if (err) {
      // Frames before the bad prefix are still served, in order; the error comes after them.
      this.broken = true;
      this.socket.pause();
      this.queue.push(err);
    }
    if (this.queue.length - this.head >= QUEUE_HIGH_WATER && !this.paused) {
      this.paused = true;
      this.socket.pause();
      this.logger.debug({ queued: this.queue.length - this.head }, 'ABCI connection paused reading until the application catches up');
    }
    if (!this.running && this.queue.length > this.head) void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (!this.stopped && this.head < this.queue.length) {
        const item = this.queue[this.head];
        this.queue[this.head++] = EMPTY;
        if (this.head === this.queue.length) {
          this.queue = [];
          this.head = 0;
        }
        if (item instanceof Error) {
          this.abort(item);
          break;
        }
        if (this.paused && !this.stopping && !this.broken && this.queue.length - this.head <= QUEUE_LOW_WATER) {
          this.paused = false;
          this.socket.resume();
        }
        await this.handle(item);
      }
    } catch (e) {
      // handle() catches application errors itself; reaching here is a bug in this file.
      this.logger.error({ err: e }, 'ABCI connection loop failed');
      this.destroy();
    } finally {
      this.running = false;
    }
    if (this.stopping && !this.stopped) await this.finish();
  }

  private async handle(body: Uint8Array): Promise<void> {
    let req: Request;
    let method: AbciMethod;
    try {
      req = decodeRequest(body);
      method = requestMethod(req);
    } catch (e) {
      this.abort(e as Error);
      return;
    }
    if (method === 'flush') {
      this.enqueue(FLUSH_FRAME);
      await this.flush();
      return;
    }
    const res = await this.dispatch(method, req);
    let frame: Buffer;
    try {
      frame = encodeResponseFrame(res);
    } catch (e) {
      // The handler's result had a value of the wrong type somewhere inside.
      this.logger.error({ err: e, method: methodName(method) }, 'cannot encode the application response: answering ResponseException');
      frame = encodeResponseFrame({ exception: { error: `cannot encode ${methodName(method)} response: ${(e as Error).message}` } });
    }
    this.enqueue(frame);
    if (this.outBytes >= OUT_HIGH_WATER) await this.flush();
  }

  private enqueue(frame: Buffer): void {
    this.out.push(frame);
    this.outBytes += frame.length;
  }

  /** Writes buffered responses; waits for the kernel to take them when the socket is backed up. */
  private async flush(): Promise<void> {
    if (this.out.length === 0 || this.socket.destroyed) return;
    const data = this.out.length === 1 ? this.out[0] : Buffer.concat(this.out, this.outBytes);
    this.out = [];
    this.outBytes = 0;
    if (this.socket.write(data)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** A protocol error: the stream position is lost, so drop this connection only. */
  private abort(err: Error): void {
    if (this.stopped) return;
    this.logger.warn({ err: err.message, remote: this.socket.remoteAddress ?? 'unix' }, 'closing ABCI connection after a protocol error');
    this.destroy();
  }

  destroy(): void {
    this.stopped = true;
    this.queue = [];
    this.head = 0;
    this.socket.destroy();
  }

  /** Graceful close: handle what was received, write the answers, then end the socket. */
  shutdown(): Promise<void> {
    if (!this.stopping && !this.stopped) {
      this.stopping = true;
      this.socket.pause();
      if (!this.running) void this.finish();
    }
    return this.closed;
  }

  private async finish(): Promise<void> {
    await this.flush();
    this.stopped = true;
    // Keep reading (and discarding) until the peer closes: closing with unread input
    // would make the kernel send RST, which can destroy responses still in flight.
    this.socket.end();
    this.socket.resume();
  }
}

const EMPTY = new Uint8Array(0);

/** Removes a unix socket file nobody listens on (left by a crashed process). */
async function removeStaleSocket(path: string): Promise<void> {
  let st: fs.Stats;
  try {
    st = await fs.promises.lstat(path);
  } catch {
    return;
  }
  if (!st.isSocket()) throw ErrInvalidAddress.wrap(`${path} exists and is not a socket`);
  const live = await new Promise<boolean>((resolve) => {
    const probe = net.connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) throw ErrInvalidAddress.wrap(`another process is serving ${path}`);
  await fs.promises.unlink(path);
}
