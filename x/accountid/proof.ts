/**
 * Ownership proofs.
 *
 * Adding a key (MsgAddKey): the NEW key signs, so nobody can bind someone else's key to
 * their account. The signed bytes are the UTF-8 text
 *
 *   "sekai-ts add-key\nchain-id: <chain_id>\naccount: <AccountID in decimal>"
 *
 * and the signature is secp256k1 ECDSA over sha256 of those bytes: 64 bytes r||s, low-S,
 * exactly as a Cosmos tx signature. The chain id stops replay on another chain and the
 * AccountID binds the proof to one account. The text starts with 's' (0x73), a byte no
 * protobuf SignDoc starts with, so a proof can never be mistaken for a tx signature.
 */
import { sha256 } from '../../crypto/hash';

const utf8 = new TextEncoder();

/** The exact bytes a new key signs to be added to `accountId` on `chainId`. */
export function addKeyProofBytes(chainId: string, accountId: bigint): Uint8Array {
  return utf8.encode(`sekai-ts add-key\nchain-id: ${chainId}\naccount: ${accountId.toString()}`);
}

/** sha256(addKeyProofBytes(...)): the digest the signature is over. */
export function addKeyProofDigest(chainId: string, accountId: bigint): Uint8Array {
  return sha256(addKeyProofBytes(chainId, accountId));
}
