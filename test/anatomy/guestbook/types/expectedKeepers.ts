/** What the guestbook needs from x/accountid (AccountIdKeeper satisfies it structurally). */
import type { Context } from '../../../../runtime/context';
import type { StoreReader } from '../../../../runtime/schema';

export interface GuestbookAccountKeeper {
  resolve(ctx: StoreReader, ref: string): bigint;
  resolveOrCreate(ctx: Context, ref: string): bigint;
  addressOf(ctx: StoreReader, id: bigint): string;
}
