/**
 * `app_state.guestbook`: `{ "entries": [{ "account_id": "3", "text": "hello" }] }`, in account
 * order. Export then init reproduces the same entries (the signed counter restarts at zero).
 */
import { ErrInvalidGenesis } from '../../../runtime/errors';
import type { ModuleGenesis } from '../../../runtime/module';
import type { GuestbookKeeper } from './keeper';
import { MAX_ENTRY_LENGTH } from './keeper';

interface GuestbookGenesisJson {
  entries?: { account_id: string; text: string }[];
}

export function guestbookGenesis(k: GuestbookKeeper): ModuleGenesis {
  const parse = (json: unknown): { id: bigint; text: string }[] =>
    ((json as GuestbookGenesisJson | null)?.entries ?? []).map((e, i) => {
      if (!/^\d+$/.test(e.account_id ?? '')) throw ErrInvalidGenesis.wrap(`guestbook.entries[${i}].account_id: must be an account id`);
      if (typeof e.text !== 'string' || e.text.length > MAX_ENTRY_LENGTH) throw ErrInvalidGenesis.wrap(`guestbook.entries[${i}].text: a string of at most ${MAX_ENTRY_LENGTH} characters`);
      return { id: BigInt(e.account_id), text: e.text };
    });
  return {
    defaultGenesis: () => ({ entries: [] }),
    validateGenesis: (json) => void parse(json),
    initGenesis: (ctx, json) => {
      for (const e of parse(json)) k.setEntry(ctx, e.id, e.text);
    },
    exportGenesis: (ctx) => ({ entries: k.entries(ctx).map(([id, text]) => ({ account_id: id.toString(), text })) }),
  };
}
