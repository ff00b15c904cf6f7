/**
 * CometBFT's event query language (libs/pubsub/query), used by tx_search, block_search and
 * websocket subscriptions:
 *
 *   condition  = tag op operand | tag 'EXISTS'
 *   op         = '=' | '<' | '<=' | '>' | '>=' | 'CONTAINS'
 *   operand    = 'string' | number | DATE yyyy-mm-dd | TIME rfc3339
 *   query      = condition { 'AND' condition }
 *
 * A query matches an event map (composite key `type.attribute` to all its values) when every
 * condition holds for at least one value of its tag. Numbers compare exactly as decimals;
 * when the operand is a number, the first number found in the event value is compared (so
 * `transfer.amount>5` matches "10ukex"), as CometBFT does.
 */
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import { registerError } from '../../types/errors';

export const ErrInvalidQuery = registerError('query', 2, 'invalid query');

export type Operator = '=' | '<' | '<=' | '>' | '>=' | 'CONTAINS' | 'EXISTS';

export type Operand =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: string }
  | { kind: 'time'; value: number };

export interface Condition {
  tag: string;
  op: Operator;
  operand?: Operand;
}

export interface Query {
  text: string;
  conditions: Condition[];
}

/**
 * Limits on what a client may ask: the longest query, the most conditions and the longest
 * operand. A query's cost is then bounded before it runs (a 900 000-digit operand used to pin
 * the CPU for minutes). No real query comes near them: a bech32 address is 43 characters, a tx
 * hash 64, an amount under 80 digits.
 */
export const QUERY_LIMITS = { maxLength: 2048, maxConditions: 16, maxOperandLength: 512, maxNumberDigits: 80 };

const TAG = /^[A-Za-z0-9_.\-/:@]+/;
const NUMBER = /^-?[0-9]+(\.[0-9]+)?/;

/** Parses a query; throws ErrInvalidQuery with the position of the problem. */
export function parseQuery(text: string): Query {
  const conditions: Condition[] = [];
  if (text.length > QUERY_LIMITS.maxLength) {
    throw ErrInvalidQuery.wrap(`query is ${text.length} characters long; the limit is ${QUERY_LIMITS.maxLength}`);
  }
  let rest = text.trim();
  const where = () => `at position ${text.length - rest.length} of "${text}"`;
  if (rest === '') throw ErrInvalidQuery.wrap('empty query');
  for (;;) {
    const tag = TAG.exec(rest);
    if (tag === null) throw ErrInvalidQuery.wrap(`expected an event tag ${where()}`);
    rest = rest.slice(tag[0].length).trimStart();
    let op: Operator;
    if (/^EXISTS\b/.test(rest)) op = 'EXISTS';
    else if (/^CONTAINS\b/.test(rest)) op = 'CONTAINS';
    else {
      const m = /^(<=|>=|=|<|>)/.exec(rest);
      if (m === null) throw ErrInvalidQuery.wrap(`expected an operator ${where()}`);
      op = m[1] as Operator;
    }
    rest = rest.slice(op.length).trimStart();
    let operand: Operand | undefined;
    if (op !== 'EXISTS') {
      operand = parseOperand();
      if (op === 'CONTAINS' && operand.kind !== 'string') throw ErrInvalidQuery.wrap(`CONTAINS needs a quoted string ${where()}`);
    }
    conditions.push({ tag: tag[0], op, operand });
    if (conditions.length > QUERY_LIMITS.maxConditions) {
      throw ErrInvalidQuery.wrap(`more than ${QUERY_LIMITS.maxConditions} conditions`);
    }
    rest = rest.trimStart();
    if (rest === '') break;
    if (!/^AND\b/.test(rest)) throw ErrInvalidQuery.wrap(`expected AND ${where()}`);
    rest = rest.slice(3).trimStart();
  }
  return { text, conditions };

  function parseOperand(): Operand {
    if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end < 0) throw ErrInvalidQuery.wrap(`unterminated string ${where()}`);
      const value = rest.slice(1, end);
      if (value.length > QUERY_LIMITS.maxOperandLength) {
        throw ErrInvalidQuery.wrap(`string operand of ${value.length} characters; the limit is ${QUERY_LIMITS.maxOperandLength}`);
      }
      rest = rest.slice(end + 1);
      return { kind: 'string', value };
    }
    const dt = /^(DATE|TIME)\s+(\S+)/.exec(rest);
    if (dt !== null) {
      const ms = Date.parse(dt[1] === 'DATE' ? `${dt[2]}T00:00:00Z` : dt[2]);
      if (Number.isNaN(ms)) throw ErrInvalidQuery.wrap(`bad ${dt[1]} ${dt[2]} ${where()}`);
      rest = rest.slice(dt[0].length);
      return { kind: 'time', value: ms };
    }
    const n = NUMBER.exec(rest);
    if (n === null) throw ErrInvalidQuery.wrap(`expected a quoted string, number, DATE or TIME ${where()}`);
    if (n[0].length > QUERY_LIMITS.maxNumberDigits) {
      throw ErrInvalidQuery.wrap(`number operand of ${n[0].length} characters; the limit is ${QUERY_LIMITS.maxNumberDigits}`);
    }
    rest = rest.slice(n[0].length);
    return { kind: 'number', value: n[0] };
  }
}

/**
 * Exact comparison of two decimal strings (optional sign, integer and fraction digits) on
 * the digits themselves: no padding to a common scale and no BigInt, so the cost is linear in
 * the shorter significant part, whatever either side's written length.
 */
export function compareDecimal(a: string, b: string): number {
  const negA = a.startsWith('-');
  const negB = b.startsWith('-');
  const magnitude = compareMagnitude(negA ? a.slice(1) : a, negB ? b.slice(1) : b);
  if (magnitude === 0) return 0;
  const signA = negA ? -1 : 1;
  const signB = negB ? -1 : 1;
  if (signA !== signB) return signA; // "-0" and "0" compare equal above
  return magnitude * signA;
}

function compareMagnitude(a: string, b: string): number {
  const [intA, fracA = ''] = a.split('.', 2);
  const [intB, fracB = ''] = b.split('.', 2);
  const ia = stripLeadingZeros(intA);
  const ib = stripLeadingZeros(intB);
  if (ia.length !== ib.length) return ia.length < ib.length ? -1 : 1;
  if (ia !== ib) return ia < ib ? -1 : 1;
  const fa = stripTrailingZeros(fracA);
  const fb = stripTrailingZeros(fracB);
  // Same-length digit strings compare as numbers; a fraction that is a prefix of the other is smaller.
  if (fa === fb) return 0;
  return fa < fb ? -1 : 1;
}

function stripLeadingZeros(s: string): string {
  let i = 0;
  while (i < s.length - 1 && s[i] === '0') i++;
  return s.slice(i);
}

function stripTrailingZeros(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '0') end--;
  return s.slice(0, end);
}

function ordered(cmp: number, op: Operator): boolean {
  switch (op) {
    case '=':
      return cmp === 0;
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
    default:
      return false;
  }
}

const FIRST_NUMBER = /-?[0-9]+(\.[0-9]+)?/;

/** Whether one event value satisfies a condition. */
export function matchesValue(cond: Condition, value: string): boolean {
  const operand = cond.operand;
  if (cond.op === 'EXISTS' || operand === undefined) return true;
  switch (operand.kind) {
    case 'string':
      if (cond.op === 'CONTAINS') return value.includes(operand.value);
      return ordered(value < operand.value ? -1 : value > operand.value ? 1 : 0, cond.op);
    case 'number': {
      const m = FIRST_NUMBER.exec(value);
      return m !== null && ordered(compareDecimal(m[0], operand.value), cond.op);
    }
    case 'time': {
      const t = Date.parse(value);
      return !Number.isNaN(t) && ordered(t < operand.value ? -1 : t > operand.value ? 1 : 0, cond.op);
    }
  }
}

/** Whether `events` (composite key to values) satisfies every condition of `query`. */
export function matchesQuery(query: Query | string, events: Record<string, readonly string[]>): boolean {
  const q = typeof query === 'string' ? parseQuery(query) : query;
  return q.conditions.every((c) => {
    const values = Object.prototype.hasOwnProperty.call(events, c.tag) ? events[c.tag] : undefined;
    return values !== undefined && values.some((v) => matchesValue(c, v));
  });
}

function addEvents(map: Record<string, string[]>, events: readonly Event[], indexedOnly: boolean): void {
  for (const ev of events) {
    if (ev.type === '') continue;
    for (const attr of ev.attributes) {
      if (attr.key === '' || (indexedOnly && !attr.index)) continue;
      const key = `${ev.type}.${attr.key}`;
      (map[key] ??= []).push(attr.value);
    }
  }
}

/**
 * The event map of a tx as CometBFT publishes it: tm.event=Tx, tx.hash (upper-case hex),
 * tx.height, and `type.key` for each attribute (only those with index=true when
 * `indexedOnly`, which is what the kv indexer stores).
 */
export function txEventMap(
  height: number,
  hash: Uint8Array,
  events: readonly Event[],
  opts: { indexedOnly?: boolean } = {},
): Record<string, string[]> {
  const map: Record<string, string[]> = {
    'tm.event': ['Tx'],
    'tx.hash': [Buffer.from(hash).toString('hex').toUpperCase()],
    'tx.height': [String(height)],
  };
  addEvents(map, events, opts.indexedOnly ?? false);
  return map;
}

/** The event map of a block (NewBlock events, and the block indexer's entries). */
export function blockEventMap(
  height: number,
  events: readonly Event[],
  opts: { indexedOnly?: boolean; eventType?: string } = {},
): Record<string, string[]> {
  const map: Record<string, string[]> = { 'tm.event': [opts.eventType ?? 'NewBlock'], 'block.height': [String(height)] };
  addEvents(map, events, opts.indexedOnly ?? false);
  return map;
}
