/**
 * Message types the client knows by type URL: every Cosmos type cosmjs ships plus sekai's
 * own generated messages. Used to encode message objects into `Any`s and to render txs as
 * the Cosmos SDK's JSON (`{"@type": "/pkg.Msg", field_name: …}`) and read them back.
 */
import { Registry, type GeneratedType } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { PubKey as Secp256k1PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import * as accountidTx from '../proto/gen/sekai/accountid/v1/tx';
import * as bridgeTx from '../proto/gen/sekai/bridge/v1/tx';
import * as govProposal from '../proto/gen/sekai/gov/v1/proposal';
import * as govTx from '../proto/gen/sekai/gov/v1/tx';
import * as notarypayTx from '../proto/gen/sekai/notarypay/v1/tx';
import * as notarypayTypes from '../proto/gen/sekai/notarypay/v1/notarypay';
import * as slashingTypes from '../proto/gen/sekai/slashing/v1/slashing';
import * as slashingTx from '../proto/gen/sekai/slashing/v1/tx';
import * as stakingTx from '../proto/gen/sekai/staking/v1/tx';
import * as multistakingTx from '../proto/gen/sekai/multistaking/v1/tx';
import { ErrInvalidTx } from './errors';

/** What the client needs of a generated message type (cosmjs-types and ts-proto v2 both fit). */
export interface MessageType {
  encode(message: unknown): { finish(): Uint8Array };
  decode(input: Uint8Array): unknown;
  fromPartial(object: unknown): unknown;
  toJSON?(message: unknown): unknown;
  fromJSON?(object: unknown): unknown;
}

/** A message ready for a tx body: its type URL and either its encoded bytes or the object. */
export interface TxMessage {
  typeUrl: string;
  value: Uint8Array | object;
}

function isMessageType(v: unknown): v is MessageType {
  const t = v as Partial<MessageType> | undefined;
  return typeof t?.encode === 'function' && typeof t.decode === 'function' && typeof t.fromPartial === 'function';
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

export class TypeRegistry {
  private readonly types = new Map<string, MessageType>();

  register(typeUrl: string, type: MessageType): this {
    this.types.set(typeUrl, type);
    return this;
  }

  /** Registers every `Msg…` export of a ts-proto module under `/<protobufPackage>.<Name>`. */
  registerModule(mod: Record<string, unknown> & { protobufPackage: string }): this {
    for (const [name, v] of Object.entries(mod)) {
      if (isMessageType(v) && /^[A-Z]/.test(name)) this.register(`/${mod.protobufPackage}.${name}`, v);
    }
    return this;
  }

  /** Registers the governance proposal contents of a ts-proto module (`Proposal…` or `…Proposal` exports). */
  registerProposals(mod: Record<string, unknown> & { protobufPackage: string }): this {
    for (const [name, v] of Object.entries(mod)) {
      if (isMessageType(v) && (/^Proposal[A-Z]/.test(name) || /^[A-Z]\w*Proposal$/.test(name))) this.register(`/${mod.protobufPackage}.${name}`, v);
    }
    return this;
  }

  /** Every registered type URL with its type, in registration order. */
  entries(): [string, MessageType][] {
    return [...this.types.entries()];
  }

  lookup(typeUrl: string): MessageType | undefined {
    return this.types.get(typeUrl);
  }

  /** Encodes a message object (or passes encoded bytes through). */
  encodeValue(msg: TxMessage): Uint8Array {
    if (msg.value instanceof Uint8Array) return msg.value;
    const t = this.lookup(msg.typeUrl);
    if (!t) throw ErrInvalidTx.wrap(`unknown message type ${msg.typeUrl}`);
    return t.encode(t.fromPartial(msg.value)).finish();
  }

  /**
   * An Any as Cosmos SDK JSON: `{"@type": url, ...fields}` with proto (snake_case) field
   * names; nested Anys are expanded too. Unknown types keep their bytes as base64 `value`.
   */
  anyToJson(typeUrl: string, value: Uint8Array): Record<string, unknown> {
    const t = this.lookup(typeUrl);
    if (!t?.toJSON) return { '@type': typeUrl, value: Buffer.from(value).toString('base64') };
    const json = this.expand(t.toJSON(t.decode(value))) as Record<string, unknown>;
    return { '@type': typeUrl, ...json };
  }

  /** The inverse of anyToJson. */
  jsonToAny(json: unknown): { typeUrl: string; value: Uint8Array } {
    const j = json as Record<string, unknown>;
    const typeUrl = j?.['@type'];
    if (typeof typeUrl !== 'string') throw ErrInvalidTx.wrap('message JSON has no "@type"');
    const t = this.lookup(typeUrl);
    if (!t) {
      if (typeof j.value === 'string') return { typeUrl, value: new Uint8Array(Buffer.from(j.value, 'base64')) };
      throw ErrInvalidTx.wrap(`unknown message type ${typeUrl}`);
    }
    if (!t.fromJSON) throw ErrInvalidTx.wrap(`message type ${typeUrl} has no JSON form`);
    const { '@type': _t, ...fields } = j;
    return { typeUrl, value: t.encode(t.fromJSON(this.collapse(fields))).finish() };
  }

  /** toJSON output → SDK JSON: snake_case keys, Anys ({typeUrl, value}) expanded. */
  private expand(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.expand(x));
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (typeof o.typeUrl === 'string' && typeof o.value === 'string' && Object.keys(o).length === 2) {
      return this.anyToJson(o.typeUrl, new Uint8Array(Buffer.from(o.value, 'base64')));
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [snake(k), this.expand(x)]));
  }

  /** SDK JSON → what generated fromJSON reads: camelCase keys, Anys as {typeUrl, value}. */
  private collapse(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.collapse(x));
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (typeof o['@type'] === 'string') {
      const any = this.jsonToAny(o);
      return { typeUrl: any.typeUrl, value: Buffer.from(any.value).toString('base64') };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [camel(k), this.collapse(x)]));
  }
}

/** The registry of every message type a sekai-ts chain accepts, plus keys and accounts. */
export function sekaiTypes(): TypeRegistry {
  const r = new TypeRegistry();
  for (const [url, type] of defaultRegistryTypes) {
    if (isMessageType(type)) r.register(url, type);
  }
  r.register('/cosmos.crypto.secp256k1.PubKey', Secp256k1PubKey);
  r.register('/cosmos.crypto.ed25519.PubKey', Ed25519PubKey);
  r.register('/cosmos.auth.v1beta1.BaseAccount', BaseAccount);
  // Messages and the proposal contents they carry (expanded inside MsgSubmitProposal).
  for (const m of [accountidTx, bridgeTx, govTx, govProposal, notarypayTx, slashingTx, slashingTypes, stakingTx, multistakingTx]) r.registerModule(m);
  r.registerProposals(notarypayTypes);
  return r;
}

/**
 * The same types as a cosmjs `Registry`, for wallets and cosmjs clients
 * (`SigningStargateClient.connectWithSigner(url, signer, { registry })`).
 */
export function cosmjsRegistry(): Registry {
  return new Registry(sekaiTypes().entries() as [string, GeneratedType][]);
}
