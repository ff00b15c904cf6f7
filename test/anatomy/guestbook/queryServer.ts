/** `/sekai.guestbook.v1.Query/Entry`: an account's entry. */
import { queryRoute, type QueryRoute } from '../../../runtime/module';
import type { GuestbookKeeper } from './keeper';
import { QueryEntryRequest, QueryEntryResponse, TypeUrls } from './types/codec';

export function guestbookQueries(k: GuestbookKeeper): QueryRoute[] {
  return [
    queryRoute({
      path: TypeUrls.queryEntry,
      requestCodec: { encode: (m: QueryEntryRequest) => QueryEntryRequest.encode(m), decode: (b) => QueryEntryRequest.decode(b) },
      responseCodec: { encode: (m: QueryEntryResponse) => QueryEntryResponse.encode(m), decode: (b) => QueryEntryResponse.decode(b) },
      handle: (ctx, req) => ({ text: k.entry(ctx, req.account) }),
    }),
  ];
}
