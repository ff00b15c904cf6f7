/** The guestbook keeper: one entry per account, signed by the account, cleared by governance. */
import type { Context } from '../../../runtime/context';
import type { StoreReader } from '../../../runtime/schema';
import { ErrEntryTooLong, ErrNoEntry } from './types/errors';
import { GuestbookEvents } from './types/events';
import type { GuestbookAccountKeeper } from './types/expectedKeepers';
import { State } from './types/keys';

/** Longest entry in UTF-16 code units: an entry is a line, not a document. */
export const MAX_ENTRY_LENGTH = 140;

export interface GuestbookKeeperDeps {
  accounts: GuestbookAccountKeeper;
}

export class GuestbookKeeper {
  private readonly accounts: GuestbookAccountKeeper;

  constructor(deps: GuestbookKeeperDeps) {
    this.accounts = deps.accounts;
  }

  sign(ctx: Context, signer: string, text: string): void {
    if (text.length > MAX_ENTRY_LENGTH) throw ErrEntryTooLong.wrap(`${text.length} characters, at most ${MAX_ENTRY_LENGTH}`);
    const id = this.accounts.resolveOrCreate(ctx, signer);
    State.entries.set(ctx, id, text);
    const n = State.signed.next(ctx);
    ctx.events.emit(GuestbookEvents.signed, { account: this.accounts.addressOf(ctx, id), number: n.toString() });
  }

  entry(ctx: StoreReader, ref: string): string {
    const text = State.entries.get(ctx, this.accounts.resolve(ctx, ref));
    if (text === undefined) throw ErrNoEntry.wrap(ref);
    return text;
  }

  clear(ctx: Context, ref: string): void {
    const id = this.accounts.resolve(ctx, ref);
    if (!State.entries.has(ctx, id)) throw ErrNoEntry.wrap(ref);
    State.entries.delete(ctx, id);
    ctx.events.emit(GuestbookEvents.cleared, { account: this.accounts.addressOf(ctx, id) });
  }

  signedCount(ctx: StoreReader): bigint {
    return State.signed.peek(ctx);
  }

  /** Every entry by account id, in key order (genesis export). */
  entries(ctx: StoreReader): [bigint, string][] {
    return [...State.entries.entries(ctx)];
  }

  setEntry(ctx: Context, id: bigint, text: string): void {
    State.entries.set(ctx, id, text);
  }
}
