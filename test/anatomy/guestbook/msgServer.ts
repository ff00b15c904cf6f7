/** The guestbook's one message: sign the guestbook with a line of text. */
import { msgRoute, type MsgRoute } from '../../../runtime/module';
import { checkSender } from '../../../x/accountid';
import type { GuestbookKeeper } from './keeper';
import { MsgSign, MsgSignResponse, TypeUrls } from './types/codec';

export function guestbookMsgs(k: GuestbookKeeper): MsgRoute[] {
  return [
    msgRoute({
      typeUrl: TypeUrls.sign,
      codec: { encode: (m: MsgSign) => MsgSign.encode(m), decode: (b) => MsgSign.decode(b) },
      responseTypeUrl: TypeUrls.signResponse,
      responseCodec: { encode: (m: MsgSignResponse) => MsgSignResponse.encode(m), decode: (b) => MsgSignResponse.decode(b) },
      signers: (m) => [m.signer],
      validateBasic: (m) => checkSender(m.signer),
      handle: (ctx, m) => {
        k.sign(ctx, m.signer, m.text);
        return {};
      },
    }),
  ];
}
