/**
 * SIGN_MODE_LEGACY_AMINO_JSON sign bytes: the Cosmos SDK's StdSignDoc (account number, chain
 * ID, fee, memo, messages in amino JSON, sequence, timeout height when set) as canonical JSON
 * with sorted keys and `&`, `<`, `>` escaped, built with CosmJS's own serializer so that the
 * bytes are the ones every amino wallet signs. The messages come from the body bytes the
 * signer sent, converted by the chain's amino converters (`client/amino.ts`).
 */
import { makeSignDoc, serializeSignDoc, type AminoMsg, type StdFee } from '@cosmjs/amino';
import type { DecodedTx } from './tx';

/** A message of a decoded tx as amino JSON; throws when the message has no amino form. */
export type AminoEncoder = (typeUrl: string, value: unknown) => AminoMsg;

export function legacyAminoSignBytes(tx: DecodedTx, chainId: string, accountNumber: bigint, sequence: bigint, toAmino: AminoEncoder): Uint8Array {
  const fee = tx.authInfo.fee;
  const stdFee: StdFee = {
    amount: (fee?.amount ?? []).map((c) => ({ denom: c.denom, amount: c.amount })),
    gas: (fee?.gasLimit ?? 0n).toString(),
    ...(fee?.granter ? { granter: fee.granter } : {}),
    ...(fee?.payer ? { payer: fee.payer } : {}),
  };
  const msgs = tx.msgs.map((m) => toAmino(m.typeUrl, m.value));
  const timeout = tx.body.timeoutHeight > 0n ? tx.body.timeoutHeight : undefined;
  return serializeSignDoc(makeSignDoc(msgs, stdFee, chainId, tx.body.memo, accountNumber, sequence.toString(), timeout));
}
