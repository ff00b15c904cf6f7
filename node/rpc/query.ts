/**
 * The event query language as the RPC uses it. Parsing and matching are the block store's
 * (node/blockstore/query.ts), so subscriptions, tx_search and block_search share one grammar;
 * this module adds the helpers that narrow a search when the reader has no event index.
 */
import type { Query } from '../blockstore/query';

export { compareDecimal, ErrInvalidQuery, matchesQuery, parseQuery } from '../blockstore/query';
export type { Condition, Operand, Operator, Query } from '../blockstore/query';

/** Events as a flat map `type.key` → values, CometBFT's `map[string][]string`. */
export type EventMap = Record<string, string[]>;

/**
 * The height range a query allows for `key` (tx.height or block.height), used to narrow
 * scans: [min, max] inclusive, unbounded ends as undefined.
 */
export function heightBounds(q: Query, key: string): { min?: number; max?: number } {
  let min: number | undefined;
  let max: number | undefined;
  const lo = (v: number) => (min = min === undefined ? v : Math.max(min, v));
  const hi = (v: number) => (max = max === undefined ? v : Math.min(max, v));
  for (const c of q.conditions) {
    if (c.tag !== key || c.operand?.kind !== 'number' || c.operand.value.includes('.')) continue;
    const n = Number(c.operand.value);
    if (c.op === '=') {
      lo(n);
      hi(n);
    } else if (c.op === '>') lo(n + 1);
    else if (c.op === '>=') lo(n);
    else if (c.op === '<') hi(n - 1);
    else if (c.op === '<=') hi(n);
  }
  return { min, max };
}

/** The value of a `key = 'string'` condition, if the query has one. */
export function equalsString(q: Query, key: string): string | undefined {
  const c = q.conditions.find((x) => x.tag === key && x.op === '=' && x.operand?.kind === 'string');
  return c?.operand?.kind === 'string' ? c.operand.value : undefined;
}
