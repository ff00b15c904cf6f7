/**
 * Bank messages with the Cosmos wire types, so the default cosmjs registry works:
 * `/cosmos.bank.v1beta1.MsgSend` and `MsgMultiSend`. `from_address` (or the single input)
 * is the signer's bech32 address; `to_address` and outputs may be an AccountID, a name,
 * an address or a wallet, resolved on chain.
 */
import { MsgMultiSend, MsgMultiSendResponse, MsgSend, MsgSendResponse } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { msgSendCodec } from './codec';
import { msgRoute, type MsgRoute, type TxRules } from '../../runtime/module';
import { checkRecipientRef, checkSender } from '../accountid';
import { Coins } from '../../types/coins';
import { parseTransferAmount } from './amount';
import type { BankKeeperImpl } from './keeper';
import { ErrInputOutputMismatch, ErrNoInputs, ErrOverSendCap } from './types/errors';

/** Outputs per multi-send: bounds the work one message can cause (Cosmos has no limit; 256 is ample for payouts). */
export const MAX_MULTI_SEND_OUTPUTS = 256;

export function bankMsgs(k: BankKeeperImpl): MsgRoute[] {
  return [
    msgRoute({
      typeUrl: MsgSend.typeUrl,
      codec: msgSendCodec,
      responseTypeUrl: MsgSendResponse.typeUrl,
      responseCodec: MsgSendResponse,
      signers: (m) => [m.fromAddress],
      validateBasic: (m) => {
        checkSender(m.fromAddress);
        checkRecipientRef(m.toAddress);
        parseTransferAmount(m.amount);
      },
      handle: (ctx, m) => {
        k.send(ctx, m.fromAddress, m.toAddress, parseTransferAmount(m.amount));
        return {};
      },
    }),
    msgRoute({
      typeUrl: MsgMultiSend.typeUrl,
      codec: MsgMultiSend,
      responseTypeUrl: MsgMultiSendResponse.typeUrl,
      responseCodec: MsgMultiSendResponse,
      signers: (m) => (m.inputs.length > 0 ? [m.inputs[0].address] : []),
      validateBasic: (m) => {
        if (m.inputs.length !== 1 || m.outputs.length === 0) throw ErrNoInputs.wrap(`${m.inputs.length} inputs, ${m.outputs.length} outputs`);
        if (m.outputs.length > MAX_MULTI_SEND_OUTPUTS) throw ErrNoInputs.wrap(`${m.outputs.length} outputs; the limit is ${MAX_MULTI_SEND_OUTPUTS}`);
        checkSender(m.inputs[0].address);
        const total = parseTransferAmount(m.inputs[0].coins, 'inputs[0].coins');
        let sum = Coins.empty();
        m.outputs.forEach((o, i) => {
          checkRecipientRef(o.address);
          sum = sum.add(parseTransferAmount(o.coins, `outputs[${i}].coins`));
        });
        if (!sum.equals(total)) throw ErrInputOutputMismatch.wrap(`inputs ${total.toString()}, outputs ${sum.toString()}`);
      },
      handle: (ctx, m) => {
        // The cap applies to what leaves the sender in this message, not to each output.
        k.checkSendCap(ctx, parseTransferAmount(m.inputs[0].coins));
        for (const o of m.outputs) k.send(ctx, m.inputs[0].address, o.address, parseTransferAmount(o.coins));
        return {};
      },
    }),
  ];
}

/**
 * The transfer cap per tx (Komodo: no more than 1 000 000 coins sent at once): the amounts
 * of all the tx's MsgSend and MsgMultiSend (its input) added up per denom must stay within
 * the denom's cap, so splitting a transfer over several messages of one tx moves no more.
 * Each message is also held to the cap on its own (`BankKeeperImpl.send`).
 */
export function bankTxRules(k: BankKeeperImpl): TxRules {
  return {
    beforeMsgs: (ctx, tx) => {
      let total = Coins.empty();
      let counted = 0;
      for (const m of tx.msgs) {
        if (m.typeUrl === MsgSend.typeUrl) total = total.add(parseTransferAmount((m.value as MsgSend).amount));
        else if (m.typeUrl === MsgMultiSend.typeUrl) total = total.add(parseTransferAmount((m.value as MsgMultiSend).inputs[0].coins));
        else continue;
        counted++;
      }
      if (counted === 0) return;
      for (const c of total.toArray()) {
        const cap = k.sendCapOf(ctx, c.denom);
        if (cap === undefined || c.amount <= cap) continue;
        throw ErrOverSendCap.wrap(
          counted === 1
            ? `${c.amount}${c.denom} is above the cap of ${cap}${c.denom}`
            : `the tx's ${counted} transfers move ${c.amount}${c.denom} in total, above the cap of ${cap}${c.denom} per tx`,
        );
      }
    },
  };
}
