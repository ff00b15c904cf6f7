/**
 * Canonical bytes that bridge validators sign. Bridge contracts on external chains
 * rebuild these bytes to check signatures, so the format is fixed and documented here;
 * changing it needs a new domain tag.
 *
 * Building blocks (all integers big-endian):
 *   str(x)   = u16 byte length ‖ UTF-8 bytes
 *   key      = 33-byte compressed secp256k1 public key
 *   set(v)   = key processor ‖ u16 n ‖ n × key listener ‖ u16 needed_listeners
 *              ‖ u16 m ‖ m × key approver ‖ u16 needed_approvers   (keys sorted ascending)
 *
 * Action payload (what approvers and the processor sign for action `id` of a chain):
 *   "sekai-bridge/action/v1" ‖ 0x00 ‖ str(sekai chain-id) ‖ str(external chain name)
 *   ‖ str(bridge contract) ‖ u64 id ‖ u8 kind ‖ body
 *   kind 1 transfer: str(dest wallet) ‖ str(external denom) ‖ u256 amount (32 bytes, in the
 *                    external token's base units: Transfer.external_amount)
 *   kind 2 new set:  set(v)
 *   kind 3 migrate:  str(new code)
 *
 * Admin bytes (what validators sign to propose or approve a change that would become
 * history entry `index`; binding the index stops a signature being replayed later):
 *   "sekai-bridge/admin/v1" ‖ 0x00 ‖ str(sekai chain-id) ‖ u64 index ‖ u8 kind ‖ body
 *   kind 1 new set:          set(v)
 *   kind 2 migrate contract: str(chain) ‖ str(new code)
 *   kind 3 upgrade:          str(desired version)
 *   kind 4 self replace:     u8 role (1 processor, 2 listener, 3 approver) ‖ key current ‖ key replacement
 *
 * Signatures are 64-byte r‖s, low-S, over sha256(bytes).
 */
import { sha256 } from '../../crypto/hash';
import { signSecp256k1 } from '../../crypto/secp256k1';
import type { ActionBody, AdminPayload, SelfReplace, ValidatorSet } from '../../proto/gen/sekai/bridge/v1/bridge';
import { ErrInvalidAmount, ErrInvalidProposal } from './types/errors';

export const ACTION_DOMAIN = 'sekai-bridge/action/v1';
export const ADMIN_DOMAIN = 'sekai-bridge/admin/v1';

const enc = new TextEncoder();

class Writer {
  private readonly parts: Uint8Array[] = [];

  raw(b: Uint8Array): this {
    this.parts.push(Uint8Array.from(b));
    return this;
  }

  u8(n: number): this {
    return this.raw(Uint8Array.of(n));
  }

  u16(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw ErrInvalidProposal.wrap(`${n} does not fit 16 bits`);
    return this.raw(Uint8Array.of(n >> 8, n & 0xff));
  }

  u64(n: bigint): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, n, false);
    return this.raw(b);
  }

  u256(n: bigint): this {
    if (n < 0n || n >= 1n << 256n) throw ErrInvalidAmount.wrap(`${n} does not fit 256 bits`);
    const b = new Uint8Array(32);
    let v = n;
    for (let i = 31; i >= 0; i--) {
      b[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return this.raw(b);
  }

  str(s: string): this {
    const b = enc.encode(s);
    return this.u16(b.length).raw(b);
  }

  domain(tag: string): this {
    return this.raw(enc.encode(tag)).u8(0);
  }

  set(v: ValidatorSet): this {
    this.raw(v.processor).u16(v.listeners.length);
    for (const k of v.listeners) this.raw(k);
    this.u16(v.neededListeners).u16(v.approvers.length);
    for (const k of v.approvers) this.raw(k);
    return this.u16(v.neededApprovers);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

export interface ActionContext {
  chainId: string;
  chain: string;
  contract: string;
  actionId: bigint;
}

function externalAmount(text: string): bigint {
  if (!/^[0-9]{1,78}$/.test(text)) throw ErrInvalidAmount.wrap(`external amount ${JSON.stringify(text)} is not a decimal amount`);
  return BigInt(text);
}

/** The payload of an action (see the module comment). */
export function actionPayload(c: ActionContext, body: ActionBody): Uint8Array {
  const w = new Writer().domain(ACTION_DOMAIN).str(c.chainId).str(c.chain).str(c.contract).u64(c.actionId);
  if (body.transfer) {
    const t = body.transfer;
    w.u8(1).str(t.destWallet).str(t.externalDenom).u256(externalAmount(t.externalAmount));
  } else if (body.newSet) {
    w.u8(2).set(body.newSet);
  } else if (body.migrate) {
    w.u8(3).str(body.migrate.newCode);
  } else {
    throw ErrInvalidProposal.wrap('action body names no kind');
  }
  return w.finish();
}

/** The admin bytes of a proposal payload that would become history entry `index`. */
export function adminBytes(chainId: string, index: bigint, payload: AdminPayload): Uint8Array {
  const w = new Writer().domain(ADMIN_DOMAIN).str(chainId).u64(index);
  if (payload.newSet) w.u8(1).set(payload.newSet);
  else if (payload.migrateContract) w.u8(2).str(payload.migrateContract.chain).str(payload.migrateContract.newCode);
  else if (payload.upgrade) w.u8(3).str(payload.upgrade.desiredVersion);
  else throw ErrInvalidProposal.wrap('admin payload names no kind');
  return w.finish();
}

/** The admin bytes of a self replacement that would become history entry `index`. */
export function selfReplaceBytes(chainId: string, index: bigint, r: SelfReplace): Uint8Array {
  return new Writer().domain(ADMIN_DOMAIN).str(chainId).u64(index).u8(4).u8(r.role).raw(r.current).raw(r.replacement).finish();
}

/** sha256 of canonical bytes: the digest every bridge signature is over. */
export function digest(bytes: Uint8Array): Uint8Array {
  return sha256(bytes);
}

/** Signs canonical bytes with a bridge validator key (64-byte low-S). */
export function signBridgeBytes(priv: Uint8Array, bytes: Uint8Array): Buffer {
  return Buffer.from(signSecp256k1(priv, sha256(bytes)));
}
