/**
 * The page's only link to the chain: CometBFT JSON-RPC over HTTP POST (abci_query for every
 * module query, status, blocks, txs) and its WebSocket for `NewBlock` events. The endpoint is
 * `/rpc` on the page's own origin when the node serves the page (no CORS needed); a page
 * hosted elsewhere names any node's RPC with `?rpc=https://…` or the `sekai-rpc` meta tag.
 */

export class RpcError extends Error {
  constructor(
    message: string,
    /** ABCI code for a failed query, 0 for transport and JSON-RPC errors. */
    readonly code = 0,
    readonly codespace = '',
  ) {
    super(message);
  }
}

/** The node could not be reached at all (network error, proxy 502). */
export class UnreachableError extends RpcError {}

export interface NewBlockHeader {
  height: number;
  time: string;
}

type Listener = (header: NewBlockHeader) => void;
type ConnectionListener = (connected: boolean) => void;

export function rpcEndpoint(loc: Location = location): string {
  const fromQuery = new URLSearchParams(loc.search).get('rpc');
  if (fromQuery) return fromQuery.replace(/\/+$/, '');
  const meta = document.querySelector<HTMLMetaElement>('meta[name="sekai-rpc"]')?.content;
  return (meta || '/rpc').replace(/\/+$/, '');
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export class Rpc {
  private nextId = 1;
  private ws?: WebSocket;
  private listeners = new Set<Listener>();
  private connectionListeners = new Set<ConnectionListener>();
  private retryMs = 500;
  private closed = false;

  constructor(readonly endpoint: string) {}

  async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method, params }),
      });
    } catch (err) {
      throw new UnreachableError(`cannot reach the node at ${this.endpoint}: ${(err as Error).message}`);
    }
    if (res.status === 502 || res.status === 503 || res.status === 504) throw new UnreachableError(`cannot reach the node at ${this.endpoint} (HTTP ${res.status})`);
    const body = (await res.json().catch(() => undefined)) as { result?: T; error?: { message: string; data?: string } } | undefined;
    if (!body) throw new RpcError(`${method}: the node answered HTTP ${res.status} without JSON`);
    if (body.error) throw new RpcError(`${method}: ${body.error.data || body.error.message}`);
    return body.result as T;
  }

  /** A module query (`/sekai.staking.v1.Query/Validators`…) with protobuf bytes in and out. */
  async query(path: string, data: Uint8Array, height?: number): Promise<Uint8Array> {
    return (await this.queryWithHeight(path, data, height)).value;
  }

  /** A module query and the height of the state that answered it. */
  async queryWithHeight(path: string, data: Uint8Array, height?: number): Promise<{ value: Uint8Array; height: number }> {
    const params: Record<string, unknown> = { path, data: hex(data), prove: false };
    if (height !== undefined) params.height = String(height);
    const r = await this.call<{ response: { code: number; log: string; value: string | null; codespace: string; height: string } }>('abci_query', params);
    if (r.response.code !== 0) throw new RpcError(r.response.log || `query ${path} failed with code ${r.response.code}`, r.response.code, r.response.codespace);
    return { value: r.response.value ? fromBase64(r.response.value) : new Uint8Array(0), height: Number(r.response.height) };
  }

  /** Calls `fn` with each new block's header; (re)connects the WebSocket as needed. */
  onNewBlock(fn: Listener): () => void {
    this.listeners.add(fn);
    this.connect();
    return () => this.listeners.delete(fn);
  }

  onConnection(fn: ConnectionListener): () => void {
    this.connectionListeners.add(fn);
    return () => this.connectionListeners.delete(fn);
  }

  close(): void {
    this.closed = true;
    this.ws?.close();
  }

  private wsUrl(): string {
    const url = new URL(`${this.endpoint}/websocket`, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
  }

  private connect(): void {
    if (this.ws || this.closed) return;
    const ws = new WebSocket(this.wsUrl());
    this.ws = ws;
    ws.onopen = () => {
      this.retryMs = 500;
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'blocks', method: 'subscribe', params: { query: "tm.event='NewBlock'" } }));
      for (const l of this.connectionListeners) l(true);
    };
    ws.onmessage = (ev: MessageEvent<string>) => {
      const msg = JSON.parse(ev.data) as { result?: { data?: { value?: { block?: { header?: { height: string; time: string } } } } } };
      const header = msg.result?.data?.value?.block?.header;
      if (!header) return;
      const h = { height: Number(header.height), time: header.time };
      for (const l of this.listeners) l(h);
    };
    ws.onclose = () => {
      this.ws = undefined;
      for (const l of this.connectionListeners) l(false);
      if (this.closed) return;
      // Back off to at most 10 s between attempts while the node is away.
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
  }
}

export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export { toBase64 };
