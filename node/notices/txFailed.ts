/**
 * Signed failed-transaction notices (Kolme's failure notifications, seed 002): when the node
 * refuses a submitted tx or drops it from the mempool before any block, every WebSocket
 * subscriber of `tm.event='TxFailed'` learns the tx hash, the stage and the app's code,
 * codespace and log, signed by the node's key so a client can tell which node said so.
 *
 * Sign bytes: the UTF-8 bytes of `sekai-ts/tx-failed/v1\n` followed by the notice as JSON with
 * its keys in the order of `TxFailedNotice` below (no spaces). Signature: ed25519 (RFC 8032)
 * by the node key (config/node_key.json), whose address sha256(pub_key)[:20] is the node ID.
 * docs/notifications.md shows a verification.
 */
import { signEd25519, verifyEd25519 } from '../../crypto/keys';
import { sha256 } from '../../crypto/hash';
import type { TxFailure } from '../mempool/mempool';

export const TX_FAILED_DOMAIN = 'sekai-ts/tx-failed/v1\n';
export const TX_FAILED_EVENT = 'TxFailed';

export interface TxFailedNotice {
  chain_id: string;
  /** Hex sha256(pub_key)[:20], as `status` reports it. */
  node_id: string;
  /** Upper-case hex sha256 of the tx, as CometBFT prints tx hashes. */
  tx_hash: string;
  stage: TxFailure['stage'];
  code: number;
  codespace: string;
  log: string;
  /** The node's last committed height when the tx failed (decimal string). */
  height: string;
  /** The node's wall clock, RFC 3339 in milliseconds (information only; not consensus). */
  time: string;
}

export interface SignedTxFailedNotice {
  notice: TxFailedNotice;
  /** base64 of the exact bytes signed. */
  sign_bytes: string;
  /** base64 of the 64-byte ed25519 signature. */
  signature: string;
  pub_key: { type: 'tendermint/PubKeyEd25519'; value: string };
}

/** The bytes a notice is signed over (fixed key order, see the module comment). */
export function txFailedSignBytes(n: TxFailedNotice): Uint8Array {
  const ordered: TxFailedNotice = {
    chain_id: n.chain_id,
    node_id: n.node_id,
    tx_hash: n.tx_hash,
    stage: n.stage,
    code: n.code,
    codespace: n.codespace,
    log: n.log,
    height: n.height,
    time: n.time,
  };
  return new Uint8Array(Buffer.from(TX_FAILED_DOMAIN + JSON.stringify(ordered), 'utf8'));
}

export function signTxFailedNotice(notice: TxFailedNotice, key: { seed: Uint8Array; pubKey: Uint8Array }): SignedTxFailedNotice {
  const bytes = txFailedSignBytes(notice);
  return {
    notice,
    sign_bytes: Buffer.from(bytes).toString('base64'),
    signature: Buffer.from(signEd25519(key.seed, bytes)).toString('base64'),
    pub_key: { type: 'tendermint/PubKeyEd25519', value: Buffer.from(key.pubKey).toString('base64') },
  };
}

/**
 * Checks a received notice: the signature verifies over the sign bytes rebuilt from the
 * notice, and the key is the node's (its ID). Returns the reason it does not, or undefined.
 */
export function checkTxFailedNotice(s: SignedTxFailedNotice, expectedNodeId?: string): string | undefined {
  const pub = Buffer.from(s.pub_key.value, 'base64');
  const bytes = txFailedSignBytes(s.notice);
  if (Buffer.from(bytes).toString('base64') !== s.sign_bytes) return 'sign_bytes do not match the notice';
  if (!verifyEd25519(pub, bytes, Buffer.from(s.signature, 'base64'))) return 'signature does not verify';
  const id = Buffer.from(sha256(pub).subarray(0, 20)).toString('hex');
  if (id !== s.notice.node_id) return `pub_key belongs to node ${id}, not ${s.notice.node_id}`;
  if (expectedNodeId !== undefined && id !== expectedNodeId.toLowerCase()) return `signed by node ${id}, expected ${expectedNodeId}`;
  return undefined;
}
