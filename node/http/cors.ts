/**
 * The node's one CORS rule, shared by every HTTP server it runs (CometBFT RPC, REST, gRPC-web,
 * metrics):
 *  - closed by default: no origin list, no `Access-Control-Allow-*` headers, so a browser page
 *    on another origin cannot read any answer;
 *  - the origins listed in app.toml `[api] cors-allowed-origins` (and, for CometBFT
 *    compatibility, config.toml `[rpc] cors_allowed_origins`) may call every server;
 *  - `[api] enabled-unsafe-cors = true` allows any origin (`*`).
 * Each server only says which methods and headers it accepts and which it exposes.
 */
import type http from 'node:http';

/** The origins allowed to read the node's answers from a browser; `*` allows any. */
export interface CorsPolicy {
  readonly origins: readonly string[];
}

/** What one server accepts and exposes cross-origin. */
export interface CorsRoutes {
  methods: readonly string[];
  allowHeaders: readonly string[];
  exposeHeaders?: readonly string[];
}

/** The closed policy: no cross-origin reads. */
export const CLOSED_CORS: CorsPolicy = { origins: [] };

/**
 * The node's policy from its config files: `unsafe` opens it to every origin, otherwise the
 * union of the configured lists (empty entries dropped), closed when both are empty.
 */
export function corsPolicy(opts: { unsafe: boolean; origins?: readonly string[]; rpcOrigins?: readonly string[] }): CorsPolicy {
  if (opts.unsafe) return { origins: ['*'] };
  const all = [...(opts.origins ?? []), ...(opts.rpcOrigins ?? [])].map((o) => o.trim()).filter((o) => o !== '');
  return { origins: [...new Set(all)] };
}

/** The Access-Control-Allow-Origin value for `origin`, or undefined when it is not allowed. */
export function allowedOrigin(policy: CorsPolicy, origin: string | undefined): string | undefined {
  if (!origin || policy.origins.length === 0) return undefined;
  if (policy.origins.includes('*')) return '*';
  return policy.origins.includes(origin) ? origin : undefined;
}

/**
 * Sets the CORS headers of one response. Answers a preflight (OPTIONS) with 204 itself and
 * returns true; the caller then stops. A preflight from an origin that is not allowed gets a
 * 204 without Allow headers, which the browser treats as a refusal.
 */
export function applyCors(policy: CorsPolicy, routes: CorsRoutes, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  res.setHeader('Vary', 'Origin');
  const allow = allowedOrigin(policy, req.headers.origin);
  if (allow) {
    res.setHeader('Access-Control-Allow-Origin', allow);
    if (routes.exposeHeaders?.length) res.setHeader('Access-Control-Expose-Headers', routes.exposeHeaders.join(', '));
  }
  if (req.method !== 'OPTIONS') return false;
  if (allow) {
    res.setHeader('Access-Control-Allow-Methods', [...routes.methods, 'OPTIONS'].join(', '));
    res.setHeader('Access-Control-Allow-Headers', routes.allowHeaders.join(', '));
    // Browsers cache the preflight this long (10 minutes; Chromium caps it at 2 hours).
    res.setHeader('Access-Control-Max-Age', '600');
  }
  res.writeHead(204).end();
  return true;
}
