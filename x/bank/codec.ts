/**
 * MsgSend decoding on the per-tx hot path: the usual shape (ASCII addresses and coins) is
 * read directly, anything else by the generated decoder, with the same result either way
 * (runtime/txDecode.ts explains the contract; codec.test.ts pins it).
 * Field numbers (cosmos.bank.v1beta1.MsgSend): from_address=1, to_address=2, amount=3.
 */
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { expectWire, fastDecoder, readCoin, unhandled, type Reader } from '../../runtime/txDecode';
import type { MessageCodec } from '../../runtime/module';

function readMsgSend(r: Reader): MsgSend {
  const out: MsgSend = { fromAddress: '', toAddress: '', amount: [] };
  while (!r.done) {
    const [field, wire] = r.tag();
    expectWire(wire, 2);
    if (field === 1) out.fromAddress = r.ascii();
    else if (field === 2) out.toAddress = r.ascii();
    else if (field === 3) out.amount.push(readCoin(r.sub()));
    else unhandled();
  }
  return out;
}

/** MsgSend's codec with the fast decoder. */
export const msgSendCodec: MessageCodec<MsgSend> = {
  encode: (m) => MsgSend.encode(m),
  decode: fastDecoder(readMsgSend, (b) => MsgSend.decode(b)),
};
