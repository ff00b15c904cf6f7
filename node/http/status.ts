/**
 * The status vocabulary shared by the node's query servers: gRPC codes (google.rpc.Code), the
 * HTTP status grpc-gateway gives each, the status of a failed ABCI query, and the one function
 * that turns anything a handler throws into a status and a message (gRPC-web answers it in
 * trailers, REST as the gateway's `{code, message, details}`).
 */
import type { Logger } from 'pino';

/** gRPC status codes (google.rpc.Code). */
export const GrpcStatus = {
  OK: 0,
  Canceled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
} as const;

/** The height a query ran at (request and answer), as the Cosmos SDK's servers name it. */
export const BLOCK_HEIGHT_HEADER = 'x-cosmos-block-height';

/** HTTP status of each gRPC code, as grpc-gateway maps them. */
export const HTTP_STATUS: Record<number, number> = {
  [GrpcStatus.OK]: 200,
  [GrpcStatus.Canceled]: 499,
  [GrpcStatus.Unknown]: 500,
  [GrpcStatus.InvalidArgument]: 400,
  [GrpcStatus.DeadlineExceeded]: 504,
  [GrpcStatus.NotFound]: 404,
  [GrpcStatus.AlreadyExists]: 409,
  [GrpcStatus.PermissionDenied]: 403,
  [GrpcStatus.ResourceExhausted]: 429,
  [GrpcStatus.FailedPrecondition]: 400,
  [GrpcStatus.Aborted]: 409,
  [GrpcStatus.OutOfRange]: 400,
  [GrpcStatus.Unimplemented]: 501,
  [GrpcStatus.Internal]: 500,
  [GrpcStatus.Unavailable]: 503,
  [GrpcStatus.DataLoss]: 500,
  [GrpcStatus.Unauthenticated]: 401,
};

/** A failure with its gRPC status: thrown by a handler to answer with that status. */
export class StatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Cosmos SDK root codespace codes and the gRPC status its gRPC server reports for them. */
const SDK_CODES: Record<number, number> = {
  2: GrpcStatus.InvalidArgument, // tx parse error
  4: GrpcStatus.PermissionDenied, // unauthorized
  5: GrpcStatus.InvalidArgument, // insufficient funds
  6: GrpcStatus.Unimplemented, // unknown request
  7: GrpcStatus.InvalidArgument, // invalid address
  18: GrpcStatus.InvalidArgument, // invalid request
  22: GrpcStatus.NotFound, // key not found
  26: GrpcStatus.InvalidArgument, // invalid height
  38: GrpcStatus.NotFound, // not found
};

/**
 * Module errors with a gRPC status of their own: the caller's bad input (a malformed account
 * reference, address or query) is InvalidArgument, as the SDK's query servers answer it.
 */
const MODULE_CODES: Record<string, number> = {
  'accountid/9': GrpcStatus.InvalidArgument, // invalid account reference
  'crypto/4': GrpcStatus.InvalidArgument, // invalid bech32 string
  'crypto/5': GrpcStatus.InvalidArgument, // wrong bech32 prefix
  'crypto/6': GrpcStatus.InvalidArgument, // invalid address length
  'customstaking/17': GrpcStatus.InvalidArgument, // invalid validator address
  'customstaking/19': GrpcStatus.InvalidArgument, // invalid validator query
  'customslashing/11': GrpcStatus.InvalidArgument, // invalid consensus address
  'multistaking/2': GrpcStatus.FailedPrecondition, // before the multistaking upgrade
  'multistaking/13': GrpcStatus.NotFound, // account not found
  'multistaking/14': GrpcStatus.InvalidArgument, // invalid validator address
};

/** The grpc-status for a failed ABCI query. */
export function grpcStatusOf(code: number, codespace: string, log: string): number {
  const m = /rpc error: code = (\w+)/.exec(log);
  if (m && m[1] in GrpcStatus) return GrpcStatus[m[1] as keyof typeof GrpcStatus];
  if (codespace === 'sdk' && code in SDK_CODES) return SDK_CODES[code];
  if (`${codespace}/${code}` in MODULE_CODES) return MODULE_CODES[`${codespace}/${code}`];
  return GrpcStatus.Unknown;
}

/**
 * Anything thrown at a server's boundary as a status and a message: a StatusError keeps its
 * own; anything else is Internal with its message, and logged at warn as `<server> call failed`.
 */
export function statusOfThrown(err: unknown, server: string, path: string, log?: Pick<Logger, 'warn'>): { status: number; message: string } {
  if (err instanceof StatusError) return { status: err.status, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  log?.warn({ path, err: message }, `${server} call failed`);
  return { status: GrpcStatus.Internal, message };
}
