/** ClearEntryProposal: governance removes an account's entry (raised and voted as a poll, 66). */
import type { ProposalHandler } from '../../../runtime/module';
import { PermValue } from '../../../x/gov';
import type { GuestbookKeeper } from './keeper';
import { ClearEntryProposal, TypeUrls } from './types/codec';

export function clearEntryProposal(k: GuestbookKeeper): ProposalHandler<ClearEntryProposal> {
  return {
    typeUrl: TypeUrls.clearEntry,
    type: 'ClearGuestbookEntry',
    codec: { encode: (m: ClearEntryProposal) => ClearEntryProposal.encode(m), decode: (b) => ClearEntryProposal.decode(b) },
    createPermission: PermValue.PERMISSION_CREATE_POLL_PROPOSAL,
    votePermission: PermValue.PERMISSION_CREATE_POLL_PROPOSAL,
    description: "removes an account's guestbook entry",
    execute: (ctx, c) => k.clear(ctx, c.account),
  };
}
