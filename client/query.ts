/** ABCI queries over the node's RPC (`abci_query`), with typed errors for non-zero codes. */
import { ErrQueryFailed, withMessage } from './errors';
import type { NodeConnection } from './rpc';

export interface QueryOptions {
  /** Query the state at this height (0 or undefined: latest). */
  height?: number;
  prove?: boolean;
}

/** The response value of `path` (a gRPC method path such as /cosmos.bank.v1beta1.Query/Balance). */
export async function abciQuery(conn: NodeConnection, path: string, data: Uint8Array, opts: QueryOptions = {}): Promise<Uint8Array> {
  const res = await conn.call((c) => c.abciQuery({ path, data, height: opts.height || undefined, prove: opts.prove }));
  if ((res.code ?? 0) !== 0) {
    const where = res.codespace ? ` (${res.codespace} ${res.code})` : ` (code ${res.code})`;
    throw withMessage(ErrQueryFailed, `query ${path} failed${where}: ${res.log || 'no log'}`);
  }
  return res.value;
}
