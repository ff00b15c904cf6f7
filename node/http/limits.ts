/**
 * Limits shared by the node's HTTP servers (RPC, gRPC-web, metrics, REST): connection caps
 * inside one process-wide descriptor budget, idle and per-request timeouts, bounded body
 * reads, and a cancellation signal that fires when the client leaves or the time is up.
 *
 * The descriptor budget exists because every accepted socket is a file descriptor: with the
 * open-file limit at 1024, 1 100 idle connections to the RPC port made the engine's next
 * `priv_validator_state.json` write fail with EMFILE and the node stop. Servers together
 * never hold more than (soft limit − descriptors open at start − DESCRIPTOR_RESERVE)
 * client sockets, so the engine's own files always have room.
 */
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';

/** Descriptors kept free for the engine (state files, LevelDB tables and logs, the ABCI socket). */
export const DESCRIPTOR_RESERVE = 256;

/** The soft open-file limit of this process (Linux /proc), or undefined where unknown. */
export function openFileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m && m[1] !== 'unlimited' ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function openDescriptors(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return 64;
  }
}

/** Client sockets the servers of this process may hold together. */
class DescriptorBudget {
  private held = 0;
  private limit: number | undefined;

  private capacity(): number {
    if (this.limit === undefined) {
      const soft = openFileLimit();
      this.limit = soft === undefined ? Number.MAX_SAFE_INTEGER : Math.max(16, soft - openDescriptors() - DESCRIPTOR_RESERVE);
    }
    return this.limit;
  }

  tryTake(): boolean {
    if (this.held >= this.capacity()) return false;
    this.held++;
    return true;
  }

  release(): void {
    this.held--;
  }

  get inUse(): number {
    return this.held;
  }
}

export const descriptorBudget = new DescriptorBudget();

export interface ServerLimits {
  /** Most open connections (CometBFT's max_open_connections); 0 = only the descriptor budget. */
  maxOpenConnections: number;
  /** Longest time for one request, headers to response end (default 30 s). */
  requestTimeoutMs?: number;
  /** A keep-alive connection with no request for this long is closed (default 30 s). */
  idleTimeoutMs?: number;
  /** Longest time to receive the request headers (default 10 s, slowloris). */
  headersTimeoutMs?: number;
  logger?: Pick<Logger, 'warn' | 'error'>;
  /** Names the server in log lines. */
  name: string;
}

/**
 * An http.Server that refuses connections over its cap or over the process budget (closed
 * right after accept, logged at most once a minute), and times requests and idle sockets out.
 */
export function createLimitedServer(limits: ServerLimits, handler: http.RequestListener): http.Server {
  const server = http.createServer(
    {
      requestTimeout: limits.requestTimeoutMs ?? 30_000,
      headersTimeout: limits.headersTimeoutMs ?? 10_000,
      keepAliveTimeout: 5_000,
      maxHeaderSize: 1024 * 1024,
    },
    handler,
  );
  server.maxHeadersCount = 100;
  const idle = limits.idleTimeoutMs ?? 30_000;
  server.setTimeout(idle, (socket: Socket) => socket.destroy());
  let open = 0;
  let lastWarn = 0;
  server.on('connection', (socket: Socket) => {
    if ((limits.maxOpenConnections > 0 && open >= limits.maxOpenConnections) || !descriptorBudget.tryTake()) {
      socket.destroy();
      const now = Date.now();
      if (now - lastWarn > 60_000) {
        lastWarn = now;
        limits.logger?.warn(
          { server: limits.name, open, max: limits.maxOpenConnections, processWide: descriptorBudget.inUse },
          'connection refused: too many open connections',
        );
      }
      return;
    }
    open++;
    socket.once('close', () => {
      open--;
      descriptorBudget.release();
    });
  });
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

export function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`request body too large (max ${maxBytes} bytes)`);
  }
}

/**
 * Reads a request body of at most `maxBytes`. A larger body is read to its end and thrown
 * away (up to 16 × maxBytes, then the connection is dropped) so the client receives the
 * error response instead of a TCP reset, then rejects with BodyTooLargeError.
 */
export function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > maxBytes;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        if (size > 16 * maxBytes) {
          req.destroy();
          reject(new BodyTooLargeError(maxBytes));
        }
        return;
      }
      if (!tooLarge) chunks.push(c);
    });
    req.on('end', () => (tooLarge ? reject(new BodyTooLargeError(maxBytes)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/**
 * A signal that aborts when the client goes away before the response is complete, or after
 * `timeoutMs`; `done()` releases the timer. Handlers check it between units of work.
 */
export function requestSignal(req: http.IncomingMessage, res: http.ServerResponse, timeoutMs: number): { signal: AbortSignal; done(): void } {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new Error(`request took longer than ${timeoutMs} ms`)), timeoutMs);
  const onClose = () => {
    if (!res.writableFinished) ctl.abort(new Error('client disconnected'));
  };
  res.once('close', onClose);
  req.once('aborted', onClose);
  return {
    signal: ctl.signal,
    done() {
      clearTimeout(timer);
      res.off('close', onClose);
    },
  };
}

/** Whether a parsed JSON value nests deeper than `max` arrays/objects (iterative: no stack overflow). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
