/**
 * Protobuf messages as the Cosmos SDK's REST gateway writes them: proto (snake_case) field
 * names, every field present, 64-bit integers as strings, enums by name, bytes as base64, and
 * `Any` expanded to `{"@type": url, …fields}`. The generated types' own JSON methods do the
 * proto3 mapping (cosmjs-types and ts-proto); the client's TypeRegistry renames the fields and
 * expands the Anys.
 */
import { sekaiTypes, type MessageType, type TypeRegistry } from '../../client/registry';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

let shared: TypeRegistry | undefined;

/** Every type the chain knows (messages, accounts, keys, proposal contents). */
export function restTypes(): TypeRegistry {
  shared ??= sekaiTypes();
  return shared;
}

/** A message of `type` (by the URL it is registered under) as gateway JSON. */
export function messageJson(types: TypeRegistry, url: string, type: MessageType, bytes: Uint8Array): Record<string, Json> {
  if (!types.lookup(url)) types.register(url, type);
  const { '@type': _url, ...fields } = types.anyToJson(url, bytes) as Record<string, Json>;
  return nullEmptyNextKey(fields) as Record<string, Json>;
}

/** The gateway writes an empty `pagination.next_key` (nil bytes) as null. */
function nullEmptyNextKey(v: Json): Json {
  if (Array.isArray(v)) return v.map(nullEmptyNextKey);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === 'next_key' && x === '' ? null : nullEmptyNextKey(x);
  return out;
}

const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/**
 * Query parameters and path fields → the object a generated `fromJSON` reads: dotted names
 * nest (`pagination.limit`), snake_case becomes the JSON name, a repeated name becomes a list,
 * and the booleans of PageRequest are parsed (`fromJSON` would read "false" as true).
 */
export function requestObject(fields: [string, string][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of fields) {
    const path = name.split('.').map(camel);
    let at = out;
    for (const p of path.slice(0, -1)) {
      if (typeof at[p] !== 'object' || at[p] === null) at[p] = {};
      at = at[p] as Record<string, unknown>;
    }
    const leaf = path[path.length - 1];
    let v: unknown = value;
    if (leaf === 'countTotal' || leaf === 'reverse') {
      if (value !== 'true' && value !== 'false') throw new Error(`${name} must be true or false, got ${JSON.stringify(value)}`);
      v = value === 'true';
    }
    if (leaf in at) at[leaf] = [...(Array.isArray(at[leaf]) ? (at[leaf] as unknown[]) : [at[leaf]]), v];
    else at[leaf] = v;
  }
  return out;
}
