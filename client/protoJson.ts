/**
 * JSON of a decoded protobuf message as Cosmos `--output json` prints it: every field, defaults
 * included (a voter 0, property 0, an empty list), under its proto (snake_case) name, 64-bit
 * integers as strings, bytes as base64, enums by name, and `Any` decoded to its message with an
 * `@type` key when its type is known (base64 `value` otherwise).
 *
 * ts-proto's `toJSON` omits defaults and uses camelCase names; its decoded objects, however,
 * carry every field in declaration order, which is what this walks. Enum fields are numbers in
 * them, so the caller names the enum fields it wants spelled out.
 */

export interface JsonCodec {
  decode(bytes: Uint8Array): unknown;
}

export interface ProtoJsonOptions {
  /** Enum field (camelCase, as decoded) → its name function (e.g. `voteOptionToJSON`). */
  enums?: Record<string, (value: number) => string>;
  /** `Any` type URL → the codec of its message. */
  anyTypes?: Record<string, JsonCodec>;
}

const snake = (camel: string): string => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function isAny(v: object): v is { typeUrl: string; value: Uint8Array } {
  const keys = Object.keys(v);
  return keys.length === 2 && 'typeUrl' in v && 'value' in v && (v as { value: unknown }).value instanceof Uint8Array;
}

export function protoJson(value: unknown, opts: ProtoJsonOptions = {}, field = ''): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.length).toString('base64');
  if (Array.isArray(value)) return value.map((v) => protoJson(v, opts, field));
  if (typeof value === 'number') {
    const name = opts.enums?.[field];
    return name ? name(value) : value;
  }
  if (value === null || value === undefined || typeof value !== 'object') return value ?? null;
  if (isAny(value)) {
    const codec = opts.anyTypes?.[value.typeUrl];
    if (!codec) return { '@type': value.typeUrl, value: protoJson(value.value) };
    const inner = protoJson(codec.decode(value.value), opts) as Record<string, unknown>;
    return { '@type': value.typeUrl, ...inner };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[snake(k)] = protoJson(v, opts, k);
  return out;
}
