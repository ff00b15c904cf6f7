/**
 * Event subscriptions for WebSocket clients (CometBFT's event bus as the RPC sees it).
 *
 * After each committed block the hub publishes, in CometBFT's order, NewBlock, NewBlockHeader,
 * then one Tx event per tx, each with its flat event map; between blocks, a signed TxFailed
 * notice for each tx the mempool refuses or drops (node/notices/txFailed.ts). A subscription
 * receives the events whose map matches its query. Blocks are published strictly in height
 * order even when the engine reports them faster than they are read back.
 */
import type { NodeHandle } from '../types';
import { blockIdJson, blockJson, finalizeBlockJson, headerJson, toBase64, txResultJson, type Json } from './encoding';
import { ErrSubscription } from './errors';
import { matchesQuery, parseQuery, type EventMap, type Query } from './query';
import { blockEventMap, txEventMap } from './search';
import { TX_FAILED_EVENT, type SignedTxFailedNotice } from '../notices/txFailed';

export interface PublishedEvent {
  data: { type: string; value: Json };
  events: EventMap;
}

export interface Subscriber {
  /** Called with each matching event; the JSON-RPC id of the subscribe call and its query. */
  deliver(id: string | number, query: string, event: PublishedEvent): void;
  /** Called before each block's events: a client still holding the last block's events is slow. */
  beforeBlock?(): void;
}

/** CometBFT's max_subscriptions_per_client and max_subscription_clients defaults. */
export const MAX_SUBSCRIPTIONS_PER_CLIENT = 5;
export const MAX_SUBSCRIPTION_CLIENTS = 100;

interface Subscription {
  id: string | number;
  query: Query;
}

export class SubscriptionHub {
  private readonly clients = new Map<Subscriber, Map<string, Subscription>>();
  private published: number;
  private chain: Promise<void> = Promise.resolve();
  private readonly onBlock = (height: number) => {
    this.chain = this.chain.then(() => this.publishUpTo(height)).catch(() => undefined);
  };

  private readonly maxClients: number;
  private readonly maxPerClient: number;

  constructor(
    private readonly node: NodeHandle,
    limits: { maxClients?: number; maxPerClient?: number } = {},
  ) {
    this.maxClients = limits.maxClients ?? MAX_SUBSCRIPTION_CLIENTS;
    this.maxPerClient = limits.maxPerClient ?? MAX_SUBSCRIPTIONS_PER_CLIENT;
    this.published = node.blocks.height();
    node.events.on('block', this.onBlock);
    node.events.on('txFailed', this.onTxFailed);
  }

  private readonly onTxFailed = (s: SignedTxFailedNotice) => {
    if (this.clients.size === 0) return;
    const n = s.notice;
    this.dispatch({
      data: { type: `sekai/event/${TX_FAILED_EVENT}`, value: s as unknown as Json },
      events: {
        'tm.event': [TX_FAILED_EVENT],
        'tx.hash': [n.tx_hash],
        'tx_failed.stage': [n.stage],
        'tx_failed.code': [String(n.code)],
        'tx_failed.codespace': [n.codespace],
      },
    });
  };

  close(): void {
    this.node.events.off('block', this.onBlock);
    this.node.events.off('txFailed', this.onTxFailed);
    this.clients.clear();
  }

  subscribe(client: Subscriber, id: string | number, queryText: string): void {
    const query = parseQuery(queryText);
    let subs = this.clients.get(client);
    if (!subs) {
      if (this.clients.size >= this.maxClients) throw ErrSubscription.wrap(`max_subscription_clients ${this.maxClients} reached`);
      subs = new Map();
    }
    if (subs.has(queryText)) throw ErrSubscription.wrap('already subscribed');
    if (subs.size >= this.maxPerClient) throw ErrSubscription.wrap(`max_subscriptions_per_client ${this.maxPerClient} reached`);
    subs.set(queryText, { id, query });
    this.clients.set(client, subs);
  }

  unsubscribe(client: Subscriber, queryText: string): void {
    const subs = this.clients.get(client);
    if (!subs || !subs.delete(queryText)) throw ErrSubscription.wrap('subscription not found');
    if (subs.size === 0) this.clients.delete(client);
  }

  unsubscribeAll(client: Subscriber): void {
    const subs = this.clients.get(client);
    if (!subs || subs.size === 0) throw ErrSubscription.wrap('subscription not found');
    this.clients.delete(client);
  }

  /** Drops a disconnected client without an error. */
  remove(client: Subscriber): void {
    this.clients.delete(client);
  }

  get subscriptionCount(): number {
    let n = 0;
    for (const subs of this.clients.values()) n += subs.size;
    return n;
  }

  private async publishUpTo(height: number): Promise<void> {
    while (this.published < height) {
      const h = this.published + 1;
      this.published = h;
      if (this.clients.size > 0) await this.publishBlock(h);
    }
  }

  private async publishBlock(height: number): Promise<void> {
    const stored = await this.node.blocks.block(height);
    const results = await this.node.blocks.results(height);
    if (!stored || !results) return;
    for (const client of [...this.clients.keys()]) client.beforeBlock?.();
    const { block, blockId } = stored;
    this.dispatch({
      data: {
        type: 'tendermint/event/NewBlock',
        value: { block: blockJson(block), block_id: blockIdJson(blockId), result_finalize_block: finalizeBlockJson(results) },
      },
      events: blockEventMap(height, results, 'NewBlock', false),
    });
    this.dispatch({
      data: { type: 'tendermint/event/NewBlockHeader', value: { header: headerJson(block.header) } },
      events: { 'tm.event': ['NewBlockHeader'] },
    });
    block.data.txs.forEach((tx, index) => {
      const result = results.txResults[index];
      if (!result) return;
      this.dispatch({
        data: {
          type: 'tendermint/event/Tx',
          value: { TxResult: { height: String(height), index, tx: toBase64(tx), result: txResultJson(result) } },
        },
        events: txEventMap(height, tx, result, false),
      });
    });
  }

  private dispatch(event: PublishedEvent): void {
    for (const [client, subs] of this.clients) {
      for (const [text, sub] of subs) {
        if (matchesQuery(sub.query, event.events)) client.deliver(sub.id, text, event);
      }
    }
  }
}
