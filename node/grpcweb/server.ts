/**
 * gRPC-web server (grpc/grpc doc/PROTOCOL-WEB.md) over HTTP/1.1 for the app's gRPC query
 * services. Each unary call `POST /<pkg>.<Service>/<Method>` becomes an ABCI Query with that
 * path and the request message bytes, which is how the app routes gRPC queries (as the
 * Cosmos SDK's BaseApp does); the ABCI answer's value is the response message.
 *
 * - Content types: application/grpc-web, application/grpc-web+proto, and the base64 text
 *   variants application/grpc-web-text(+proto). Compressed frames are refused.
 * - `x-cosmos-block-height` selects the query height and is returned in the response headers.
 * - A non-zero ABCI code becomes a grpc-status: the code named in a `rpc error: code = X`
 *   log when present, else a mapping of the Cosmos SDK's error codes, else Unknown.
 * - `grpc-timeout` is honoured (DeadlineExceeded).
 * - CORS: the node's rule (node/http/cors.ts); POST, the gRPC-web request headers allowed,
 *   grpc-status, grpc-message and x-cosmos-block-height exposed.
 */
import type http from 'node:http';
import type { Logger } from 'pino';
import type { NodeHandle } from '../types';
import { applyCors, type CorsPolicy, type CorsRoutes } from '../http/cors';
import { BodyTooLargeError, readBody } from '../http/limits';
import { startHttpServer, type ListeningServer } from '../http/server';
import { BLOCK_HEIGHT_HEADER, GrpcStatus, grpcStatusOf, StatusError, statusOfThrown } from '../http/status';

export interface GrpcWebServerOptions {
  /** Default tcp://127.0.0.1:9091 (the Cosmos SDK's gRPC-web port). */
  laddr?: string;
  /** Origins allowed by the CORS rule (node/http/cors.ts); `*` allows any; empty (default) is closed. */
  corsAllowedOrigins?: string[];
  logger?: Pick<Logger, 'info' | 'warn' | 'debug' | 'error'>;
  /** Largest accepted request body (default 4 MiB, gRPC's default max message size). */
  maxBodyBytes?: number;
  /** Most open connections (default 900, as CometBFT's grpc_max_open_connections). */
  maxOpenConnections?: number;
  metrics?: { recordQuery(path: string, ms: number): void };
  /** Methods the node serves itself (the tx service's broadcast and lookups), tried before the app. */
  services?: NodeService;
}

/** A node-side gRPC method: the response bytes, or undefined when `path` is not one of them. */
export type NodeService = (path: string, data: Uint8Array) => Promise<Uint8Array | undefined>;

export type GrpcWebServer = ListeningServer;


const GRPC_WEB_CORS: CorsRoutes = {
  methods: ['POST'],
  allowHeaders: ['content-type', 'x-grpc-web', 'x-user-agent', 'grpc-timeout', BLOCK_HEIGHT_HEADER],
  exposeHeaders: ['grpc-status', 'grpc-message', BLOCK_HEIGHT_HEADER],
};

/** grpc-message is percent-encoded outside printable ASCII (and '%' itself). */
export function encodeGrpcMessage(msg: string): string {
  return Array.from(Buffer.from(msg, 'utf8'))
    .map((b) => (b >= 0x20 && b <= 0x7e && b !== 0x25 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

/** One gRPC frame: flag byte, 4-byte big-endian length, payload. */
export function frame(flag: number, payload: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + payload.length);
  out[0] = flag;
  out.writeUInt32BE(payload.length, 1);
  out.set(payload, 5);
  return out;
}

function trailersFrame(status: number, message: string): Buffer {
  let text = `grpc-status:${status}\r\n`;
  if (message) text += `grpc-message:${encodeGrpcMessage(message)}\r\n`;
  return frame(0x80, Buffer.from(text, 'latin1'));
}

/** Decodes base64 that may be several padded segments concatenated (one per frame). */
function decodeText(body: Buffer): Buffer {
  const text = body.toString('latin1').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/=]*$/.test(text)) throw new StatusError(GrpcStatus.InvalidArgument, 'request body is not base64');
  const parts = text.split(/(?<==)(?=[^=])/);
  return Buffer.concat(parts.map((p) => Buffer.from(p, 'base64')));
}

/** The single message of a unary request. */
function unaryMessage(bytes: Buffer): Buffer {
  if (bytes.length < 5) throw new StatusError(GrpcStatus.InvalidArgument, 'request must contain exactly one message frame');
  const flag = bytes[0];
  const len = bytes.readUInt32BE(1);
  if (flag & 0x01) throw new StatusError(GrpcStatus.Unimplemented, 'compressed messages are not supported');
  if (flag !== 0) throw new StatusError(GrpcStatus.InvalidArgument, `unexpected frame flag ${flag}`);
  if (5 + len !== bytes.length) throw new StatusError(GrpcStatus.InvalidArgument, 'request must contain exactly one message frame');
  return bytes.subarray(5);
}

/** grpc-timeout: digits and a unit (H, M, S, m, u, n), as milliseconds. */
function timeoutMs(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const m = /^(\d{1,8})([HMSmun])$/.exec(header);
  if (!m) throw new StatusError(GrpcStatus.InvalidArgument, `invalid grpc-timeout ${JSON.stringify(header)}`);
  const n = Number(m[1]);
  const unit: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 };
  return n * unit[m[2]];
}

export async function startGrpcWebServer(node: Pick<NodeHandle, 'query'>, opts: GrpcWebServerOptions = {}): Promise<GrpcWebServer> {
  const cors: CorsPolicy = { origins: opts.corsAllowedOrigins ?? [] };
  const maxBody = opts.maxBodyBytes ?? 4 * 1024 * 1024;
  const log = opts.logger;

  /** The request body; one over maxBody answers ResourceExhausted. */
  async function body(req: http.IncomingMessage): Promise<Buffer> {
    try {
      return await readBody(req, maxBody);
    } catch (e) {
      if (e instanceof BodyTooLargeError) throw new StatusError(GrpcStatus.ResourceExhausted, `request larger than ${maxBody} bytes`);
      throw e;
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (applyCors(cors, GRPC_WEB_CORS, req, res)) return;
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const isText = contentType === 'application/grpc-web-text' || contentType === 'application/grpc-web-text+proto';
    const isBinary = contentType === 'application/grpc-web' || contentType === 'application/grpc-web+proto';
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST, OPTIONS', 'Content-Type': 'text/plain' }).end('gRPC-web calls are POST requests\n');
      return;
    }
    if (!isText && !isBinary) {
      res.writeHead(415, { 'Content-Type': 'text/plain' }).end(`unsupported content type ${JSON.stringify(contentType)}: expected application/grpc-web[-text][+proto]\n`);
      return;
    }
    const respType = isText ? 'application/grpc-web-text+proto' : 'application/grpc-web+proto';
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const reply = (body: Buffer, height?: bigint) => {
      const headers: Record<string, string> = { 'Content-Type': respType };
      if (height !== undefined) headers[BLOCK_HEIGHT_HEADER] = String(height);
      const out = isText ? Buffer.from(body.toString('base64'), 'latin1') : body;
      headers['Content-Length'] = String(out.length);
      res.writeHead(200, headers).end(out);
    };
    let height: bigint | undefined;
    try {
      if (path.length > 256 || !/^\/[A-Za-z_][\w.]*\.[A-Za-z_]\w*\/[A-Za-z_]\w*$/.test(path)) {
        throw new StatusError(GrpcStatus.Unimplemented, `unknown method ${path}`);
      }
      const heightHeader = req.headers[BLOCK_HEIGHT_HEADER];
      if (typeof heightHeader === 'string' && heightHeader !== '') {
        if (!/^\d{1,18}$/.test(heightHeader)) {
          throw new StatusError(GrpcStatus.InvalidArgument, `invalid ${BLOCK_HEIGHT_HEADER} ${JSON.stringify(heightHeader)}: expected a non-negative integer`);
        }
        height = BigInt(heightHeader);
      }
      const deadline = timeoutMs(req.headers['grpc-timeout'] as string | undefined);
      const bytes = await body(req);
      const message = unaryMessage(isText ? decodeText(bytes) : bytes);
      const started = performance.now();
      const own = opts.services ? await opts.services(path, new Uint8Array(message)) : undefined;
      if (own) {
        reply(Buffer.concat([frame(0, own), trailersFrame(GrpcStatus.OK, '')]));
        return;
      }
      const query = node.query({ path, data: new Uint8Array(message), height: height ?? 0n, prove: false });
      let timer: NodeJS.Timeout | undefined;
      const result = await (deadline === undefined
        ? query
        : Promise.race([
            query,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new StatusError(GrpcStatus.DeadlineExceeded, 'deadline exceeded')), deadline);
            }),
          ]).finally(() => clearTimeout(timer)));
      opts.metrics?.recordQuery(path, performance.now() - started);
      height = result.height;
      if (result.code !== 0) {
        const status = grpcStatusOf(result.code, result.codespace, result.log);
        reply(trailersFrame(status, result.log || `query failed with code ${result.code}`), height);
        return;
      }
      reply(Buffer.concat([frame(0, result.value), trailersFrame(GrpcStatus.OK, '')]), height);
    } catch (e) {
      const { status, message } = statusOfThrown(e, 'grpc-web', path, log);
      reply(trailersFrame(status, message), height);
    }
  }

  return startHttpServer(
    { laddr: opts.laddr ?? 'tcp://127.0.0.1:9091', maxOpenConnections: opts.maxOpenConnections ?? 900, requestTimeoutMs: 30_000, logger: log, name: 'grpc-web', announce: true },
    handle,
  );
}
