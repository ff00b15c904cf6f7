/**
 * Events in the Cosmos/CometBFT shape: a type and string attributes, each marked for
 * CometBFT's tx indexer. Attributes are indexed unless a module says otherwise, as the
 * Cosmos SDK does with an empty `index-events` list, so `tx_search` finds
 * `message.sender='kira1…'` and module events alike.
 */
import type { Event, EventAttribute } from 'cosmjs-types/tendermint/abci/types';

export type { Event, EventAttribute };

/** Attributes as ordered pairs (order is part of the block result) or, for short events, an object. */
export type EventAttributes = readonly (readonly [key: string, value: string])[] | Readonly<Record<string, string>>;

/** Builds one event. Object attributes keep their declaration order (string keys, never numeric-like). */
export function makeEvent(type: string, attributes: EventAttributes, index = true): Event {
  const pairs: (readonly [string, string])[] = Array.isArray(attributes)
    ? (attributes as readonly (readonly [string, string])[]).slice()
    : // eslint-disable-next-line no-restricted-syntax -- an object literal's order is its source order, the same on every node
      Object.entries(attributes as Record<string, string>);
  return { type, attributes: pairs.map(([key, value]) => ({ key, value, index })) };
}

/**
 * Events as the tx indexer should see them under app.toml `index-events`: an attribute is
 * indexed when "{type}.{key}" is listed. With no list, the events are returned as they are
 * (every attribute indexed unless its module said otherwise). Only the index flags change, and
 * they are no part of any consensus hash, so nodes may differ in them.
 */
export function markIndexed(events: Event[], indexed: ReadonlySet<string> | undefined): Event[] {
  if (indexed === undefined || indexed.size === 0) return events;
  return events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: indexed.has(`${e.type}.${a.key}`) })) }));
}

/** Collects the events of one execution scope (a tx, a block hook) in emission order. */
export class EventManager {
  private readonly list: Event[] = [];

  /** Appends an event. */
  emit(type: string, attributes: EventAttributes, index = true): void {
    this.list.push(makeEvent(type, attributes, index));
  }

  /** Appends already-built events (e.g. those of a nested scope that succeeded). */
  emitEvents(events: readonly Event[]): void {
    for (const e of events) this.list.push(e);
  }

  /** The events so far, in emission order. */
  events(): Event[] {
    return this.list.slice();
  }
}

/** Event types and attribute keys the runtime emits (Cosmos SDK names). */
export const EventTypes = {
  tx: 'tx',
  message: 'message',
  upgrade: 'upgrade',
} as const;

export const AttributeKeys = {
  fee: 'fee',
  feePayer: 'fee_payer',
  accSeq: 'acc_seq',
  signature: 'signature',
  action: 'action',
  sender: 'sender',
  module: 'module',
  msgIndex: 'msg_index',
} as const;
