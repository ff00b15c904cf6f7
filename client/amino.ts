/**
 * Legacy Amino JSON for sekai messages (SIGN_MODE_LEGACY_AMINO_JSON), for Ledger, Keplr and
 * every dApp that signs with an `OfflineAminoSigner`. The chain verifies amino signatures with
 * these same converters, so what a wallet shows and signs is what the chain checks.
 *
 * Register them with CosmJS:
 *
 *   const aminoTypes = new AminoTypes({ ...createDefaultAminoConverters(), ...sekaiAminoConverters() });
 *   SigningStargateClient.connectWithSigner(rpc, aminoWallet, { registry: cosmjsRegistry(), aminoTypes });
 *
 * Amino names follow KIRA's sekai where it registers one for the same message (its x/gov and
 * x/staking messages are `kiraHub/<Msg>`, its x/slashing pause/unpause/activate are
 * `cosmos-sdk/<Msg>`); the modules sekai does not have use `sekai/<module>/<Msg>`. The
 * full list is in docs/amino.md.
 *
 * The JSON of a message is its fields under their proto names, as legacy amino writes Go
 * structs: 64-bit integers as decimal strings, 32-bit integers and enums as numbers, bytes as
 * base64, nested messages as objects, `Any` as `{type: <amino name>, value: …}`, and every
 * field at its default value (empty string, 0, false, empty list or bytes) left out.
 */
import { AminoTypes, createBankAminoConverters, type AminoConverter, type AminoConverters } from '@cosmjs/stargate';
import { sekaiTypes, type MessageType, type TypeRegistry } from './registry';

/** Messages whose amino name KIRA's sekai registers under `cosmos-sdk/`. */
const COSMOS_SDK_NAMED = new Set(['/sekai.slashing.v1.MsgPause', '/sekai.slashing.v1.MsgUnpause', '/sekai.slashing.v1.MsgActivate']);
/** Modules whose messages sekai names `kiraHub/<Msg>`. */
const KIRA_HUB_MODULES = new Set(['gov', 'staking', 'slashing']);

/** The amino name of a sekai type URL (`/sekai.<module>.v1.<Name>`). */
export function sekaiAminoName(typeUrl: string): string {
  const m = /^\/sekai\.([a-z]+)\.v1\.([A-Za-z0-9]+)$/.exec(typeUrl);
  if (!m) throw new Error(`${typeUrl} is not a sekai type URL`);
  if (COSMOS_SDK_NAMED.has(typeUrl)) return `cosmos-sdk/${m[2]}`;
  if (KIRA_HUB_MODULES.has(m[1])) return `kiraHub/${m[2]}`;
  return `sekai/${m[1]}/${m[2]}`;
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

function isAny(v: object): v is { typeUrl: string; value: Uint8Array } {
  const keys = Object.keys(v);
  return keys.length === 2 && typeof (v as { typeUrl?: unknown }).typeUrl === 'string' && (v as { value?: unknown }).value instanceof Uint8Array;
}

function isDefault(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === 0n || v === false) return true;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  return false;
}

class AminoCodec {
  private readonly names = new Map<string, string>();
  private readonly byName = new Map<string, string>();

  constructor(private readonly types: TypeRegistry) {
    for (const [url] of types.entries()) {
      if (!url.startsWith('/sekai.') || url.endsWith('Response')) continue;
      const name = sekaiAminoName(url);
      this.names.set(url, name);
      this.byName.set(name, url);
    }
  }

  typeUrls(): string[] {
    return [...this.names.keys()];
  }

  nameOf(typeUrl: string): string {
    const name = this.names.get(typeUrl);
    if (!name) throw new Error(`no amino name for ${typeUrl}`);
    return name;
  }

  private type(typeUrl: string): MessageType {
    const t = this.types.lookup(typeUrl);
    if (!t?.fromJSON) throw new Error(`unknown sekai type ${typeUrl}`);
    return t;
  }

  /** A generated message object → its amino JSON value. */
  toAmino(value: unknown): unknown {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
    if (Array.isArray(value)) return value.map((v) => this.toAmino(v));
    if (value === null || typeof value !== 'object') return value;
    if (isAny(value)) return { type: this.nameOf(value.typeUrl), value: this.toAmino(this.type(value.typeUrl).decode(value.value)) };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // Nested messages are written when present, even empty; scalars and lists only when set.
      if (isDefault(v)) continue;
      out[snake(k)] = this.toAmino(v);
    }
    return out;
  }

  /** Amino JSON → what the generated `fromJSON` reads (it takes proto names): Anys re-packed. */
  fromAminoJson(json: unknown): unknown {
    if (Array.isArray(json)) return json.map((v) => this.fromAminoJson(v));
    if (json === null || typeof json !== 'object') return json;
    const o = json as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 2 && typeof o.type === 'string' && this.byName.has(o.type) && typeof o.value === 'object') {
      const url = this.byName.get(o.type)!;
      const t = this.type(url);
      const bytes = t.encode(t.fromJSON!(this.fromAminoJson(o.value))).finish();
      return { type_url: url, value: Buffer.from(bytes).toString('base64') };
    }
    return Object.fromEntries(keys.map((k) => [k, this.fromAminoJson(o[k])]));
  }

  converter(typeUrl: string): AminoConverter {
    const t = this.type(typeUrl);
    return {
      aminoType: this.nameOf(typeUrl),
      toAmino: (value: unknown) => this.toAmino(t.fromPartial(value)),
      fromAmino: (json: unknown) => t.fromJSON!(this.fromAminoJson(json)),
    };
  }
}

let codec: AminoCodec | undefined;
function aminoCodec(): AminoCodec {
  codec ??= new AminoCodec(sekaiTypes());
  return codec;
}

/**
 * Amino converters for every sekai message and proposal content, keyed by type URL, for
 * CosmJS `AminoTypes` (add `createDefaultAminoConverters()` for the Cosmos messages).
 */
export function sekaiAminoConverters(): AminoConverters {
  const c = aminoCodec();
  return Object.fromEntries(c.typeUrls().map((url) => [url, c.converter(url)]));
}

/** The amino types of every message a sekai chain accepts: the Cosmos bank messages and sekai's own. */
export function sekaiAminoTypes(): AminoTypes {
  return new AminoTypes({ ...createBankAminoConverters(), ...sekaiAminoConverters() });
}
