/** Thin message handlers of x/notarypay. */
import { ErrInvalidAddress } from '../../runtime/errors';
import { msgRoute, type MsgRoute } from '../../runtime/module';
import { MsgNotarize, MsgNotarizeResponse, MsgSetPubkey, MsgSetPubkeyResponse } from '../../proto/gen/sekai/notarypay/v1/tx';
import { checkRecipientRef } from '../accountid';
import { hex, type NotaryPayKeeper } from './keeper';
import { ErrInvalidNotarization } from './types/errors';

export const NotaryPayTypeUrls = {
  notarize: '/sekai.notarypay.v1.MsgNotarize',
  notarizeResponse: '/sekai.notarypay.v1.MsgNotarizeResponse',
  setPubkey: '/sekai.notarypay.v1.MsgSetPubkey',
  setPubkeyResponse: '/sekai.notarypay.v1.MsgSetPubkeyResponse',
} as const;

/** Signatures per notarization: far above any era's minsigs, low enough to bound the work of one tx. */
export const MAX_NOTARIZATION_SIGNATURES = 256;

export function validateNotarizeBasic(m: MsgNotarize): void {
  if (m.sender.trim() === '') throw ErrInvalidAddress.wrap('sender must not be empty');
  if (m.height <= 0n) throw ErrInvalidNotarization.wrap('height must be positive');
  if (m.appHash.length !== 32) throw ErrInvalidNotarization.wrap(`app hash is ${m.appHash.length} bytes, expected 32`);
  if (m.signatures.length === 0) throw ErrInvalidNotarization.wrap('no signatures');
  if (m.signatures.length > MAX_NOTARIZATION_SIGNATURES) throw ErrInvalidNotarization.wrap(`${m.signatures.length} signatures, at most ${MAX_NOTARIZATION_SIGNATURES}`);
  m.signatures.forEach((s, i) => {
    if (s.pubKey.length !== 33) throw ErrInvalidNotarization.wrap(`signature ${i}: public key is ${s.pubKey.length} bytes, expected 33`);
    if (s.signature.length !== 64) throw ErrInvalidNotarization.wrap(`signature ${i}: ${s.signature.length} bytes, expected 64`);
  });
}

export function notaryPayMsgs(k: NotaryPayKeeper): MsgRoute[] {
  return [
    msgRoute<MsgNotarize, MsgNotarizeResponse>({
      typeUrl: NotaryPayTypeUrls.notarize,
      codec: MsgNotarize,
      responseTypeUrl: NotaryPayTypeUrls.notarizeResponse,
      responseCodec: MsgNotarizeResponse,
      signers: (m) => [m.sender],
      validateBasic: validateNotarizeBasic,
      handle: (ctx, m) => {
        const r = k.notarize(ctx, m);
        return { era: r.era.index, payPerSigner: r.perSigner.toString() };
      },
    }) as MsgRoute,
    msgRoute<MsgSetPubkey, MsgSetPubkeyResponse>({
      typeUrl: NotaryPayTypeUrls.setPubkey,
      codec: MsgSetPubkey,
      responseTypeUrl: NotaryPayTypeUrls.setPubkeyResponse,
      responseCodec: MsgSetPubkeyResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        if (m.sender.trim() === '') throw ErrInvalidAddress.wrap('sender must not be empty');
        if (m.payout.trim() === '') throw ErrInvalidAddress.wrap('payout must not be empty');
        checkRecipientRef(m.payout);
      },
      handle: (ctx, m) => {
        const r = k.setPubkey(ctx, m.sender, m.payout);
        return { address: r.payout, pubkey: hex(r.pubKey), isNotary: r.isNotary };
      },
    }) as MsgRoute,
  ];
}
