/**
 * CometBFT's event query language (libs/pubsub/query, v0.38), used by `subscribe`,
 * `tx_search` and `block_search`:
 *
 *   tm.event = 'Tx' AND transfer.sender = 'kira1…' AND tx.height > 5
 *
 * Conditions are joined by AND. Operators: =, <, <=, >, >=, CONTAINS, EXISTS. Operands:
 * 'string' (single quotes, no escapes), numbers (integer or decimal), TIME <RFC3339>,
 * DATE <YYYY-MM-DD>. A condition holds when some value of its key satisfies it; numeric
 * comparisons read the leading number of the value ("100ukex" compares as 100), exactly,
 * without floating point.
 */
import { ErrInvalidQuery } from './errors';

export type Operator = '=' | '<' | '<=' | '>' | '>=' | 'CONTAINS' | 'EXISTS';

export type Operand =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: string }
  | { kind: 'time'; value: number }
  | { kind: 'none' };

export interface Condition {
  key: string;
  op: Operator;
  operand: Operand;
}

export interface Query {
  /** The text as given (echoed back in subscription events). */
  text: string;
  conditions: Condition[];
}

/** Events as a flat map `type.key` → values, CometBFT's `map[string][]string`. */
export type EventMap = Record<string, string[]>;

const NUMBER = /^-?\d+(\.\d+)?/;

/** Parses a query; an empty or malformed query is an ErrInvalidQuery with the position. */
export function parseQuery(text: string): Query {
  let pos = 0;
  const fail = (what: string): never => {
    throw ErrInvalidQuery.wrap(`${what} at position ${pos + 1} of ${JSON.stringify(text)}`);
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const conditions: Condition[] = [];
  skipSpace();
  if (pos >= text.length) fail('empty query');
  for (;;) {
    skipSpace();
    const keyMatch = /^[^\s=<>!'"]+/.exec(text.slice(pos));
    if (!keyMatch) fail('expected a key');
    const key = keyMatch![0];
    pos += key.length;
    skipSpace();
    const rest = text.slice(pos);
    const opMatch = /^(<=|>=|=|<|>|CONTAINS\b|EXISTS\b)/.exec(rest);
    if (!opMatch) fail(`expected an operator after ${JSON.stringify(key)}`);
    const op = opMatch![1] as Operator;
    pos += op.length;
    let operand: Operand = { kind: 'none' };
    if (op !== 'EXISTS') {
      skipSpace();
      const r = text.slice(pos);
      if (r.startsWith("'")) {
        const end = text.indexOf("'", pos + 1);
        if (end < 0) fail('unterminated string');
        operand = { kind: 'string', value: text.slice(pos + 1, end) };
        pos = end + 1;
      } else if (/^(TIME|DATE)\s/.test(r)) {
        const m = /^(TIME|DATE)\s+(\S+)/.exec(r)!;
        const iso = m[1] === 'DATE' ? `${m[2]}T00:00:00Z` : m[2];
        const ms = m[1] === 'DATE' && !/^\d{4}-\d{2}-\d{2}$/.test(m[2]) ? NaN : Date.parse(iso);
        if (Number.isNaN(ms)) fail(`invalid ${m[1]} ${JSON.stringify(m[2])}`);
        operand = { kind: 'time', value: ms };
        pos += m[0].length;
      } else {
        const m = /^-?\d+(\.\d+)?(?=$|\s)/.exec(r);
        if (!m) fail('expected a quoted string, a number, TIME or DATE');
        operand = { kind: 'number', value: m![0] };
        pos += m![0].length;
      }
      if (op === 'CONTAINS' && operand.kind !== 'string') fail('CONTAINS needs a quoted string');
    }
    conditions.push({ key, op, operand });
    skipSpace();
    if (pos >= text.length) break;
    if (!text.startsWith('AND', pos) || (pos + 3 < text.length && !/\s/.test(text[pos + 3]))) fail('expected AND');
    pos += 3;
  }
  return { text, conditions };
}

/** Compares two decimal strings exactly (no floating point). */
export function compareDecimal(a: string, b: string): number {
  const [ai, af = ''] = a.split('.');
  const [bi, bf = ''] = b.split('.');
  const scale = Math.max(af.length, bf.length);
  // Scaled to the same number of decimals: "-0.5" becomes -5 and keeps its sign.
  const av = BigInt(ai + af.padEnd(scale, '0'));
  const bv = BigInt(bi + bf.padEnd(scale, '0'));
  return av < bv ? -1 : av > bv ? 1 : 0;
}

function holds(order: number, op: Operator): boolean {
  switch (op) {
    case '=':
      return order === 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    default:
      return false;
  }
}

function valueSatisfies(value: string, c: Condition): boolean {
  const { op, operand } = c;
  if (op === 'EXISTS') return true;
  if (op === 'CONTAINS') return operand.kind === 'string' && value.includes(operand.value);
  switch (operand.kind) {
    case 'string':
      return op === '=' ? value === operand.value : holds(value < operand.value ? -1 : value > operand.value ? 1 : 0, op);
    case 'number': {
      const m = NUMBER.exec(value);
      return m !== null && holds(compareDecimal(m[0], operand.value), op);
    }
    case 'time': {
      const t = Date.parse(value);
      return !Number.isNaN(t) && holds(t < operand.value ? -1 : t > operand.value ? 1 : 0, op);
    }
    default:
      return false;
  }
}

/** True when every condition holds for some value of its key. */
export function matchesQuery(query: Query | string, events: EventMap): boolean {
  const q = typeof query === 'string' ? parseQuery(query) : query;
  return q.conditions.every((c) => {
    const values = events[c.key];
    return values !== undefined && values.some((v) => valueSatisfies(v, c));
  });
}

/**
 * The height range a query allows for `key` (tx.height or block.height), used to narrow
 * scans: [min, max] inclusive, unbounded ends as undefined.
 */
export function heightBounds(q: Query, key: string): { min?: number; max?: number } {
  let min: number | undefined;
  let max: number | undefined;
  for (const c of q.conditions) {
    if (c.key !== key || c.operand.kind !== 'number' || c.operand.value.includes('.')) continue;
    const n = Number(c.operand.value);
    const lo = (v: number) => (min = min === undefined ? v : Math.max(min, v));
    const hi = (v: number) => (max = max === undefined ? v : Math.min(max, v));
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
  const c = q.conditions.find((x) => x.key === key && x.op === '=' && x.operand.kind === 'string');
  return c && c.operand.kind === 'string' ? c.operand.value : undefined;
}
