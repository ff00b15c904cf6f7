/**
 * The REST routes of the chain's own query services, read from the `google.api.http` rules in
 * our .proto files (proto/sekai/<module>/v1/query.proto), and their JSON as grpc-gateway writes
 * it for the Cosmos SDK: proto field names, every field present (defaults emitted, an unset
 * message as null), 64-bit integers as strings, enums by name, bytes as base64, `Any` with
 * `@type`. Both come from the FileDescriptorSet that `npm run proto` builds
 * (proto/gen/descriptors.ts) through @bufbuild/protobuf's registry and proto3 JSON mapping.
 */
import {
  createFileRegistry,
  fromBinary,
  fromJson,
  getOption,
  toBinary,
  toJson,
  type DescExtension,
  type DescMessage,
  type FileRegistry,
  type JsonValue,
} from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { FILE_DESCRIPTOR_SET } from '../../proto/gen/descriptors';
import type { Json } from './json';

let shared: FileRegistry | undefined;

/** Every message, enum, service and extension of our .proto files and their imports. */
export function protoRegistry(): FileRegistry {
  shared ??= createFileRegistry(fromBinary(FileDescriptorSetSchema, Buffer.from(FILE_DESCRIPTOR_SET, 'base64')));
  return shared;
}

/** A query method served over REST from its `google.api.http` rule. */
export interface GatewayRoute {
  method: 'GET' | 'POST';
  pattern: string;
  /** The gRPC path the app routes: `/<package>.<Service>/<Method>`. */
  grpcPath: string;
  /** Path fields and query parameters (proto names, dotted for nested fields) → request bytes. */
  encodeRequest(fields: [string, string][]): Uint8Array;
  /** Response bytes → gateway JSON. */
  responseJson(bytes: Uint8Array): Record<string, Json>;
}

/** Unset message fields as null, as the SDK's gateway marshaler (EmitDefaults) writes them. */
function nullUnsetMessages(desc: DescMessage, json: Record<string, Json>): Record<string, Json> {
  if (desc.typeName.startsWith('google.protobuf.')) return json;
  for (const f of desc.fields) {
    const v = json[f.name];
    if (f.fieldKind === 'message') {
      if (v === undefined) json[f.name] = null;
      else if (v !== null && typeof v === 'object' && !Array.isArray(v)) nullUnsetMessages(f.message, v);
    } else if (f.fieldKind === 'list' && f.listKind === 'message' && Array.isArray(v)) {
      for (const item of v) if (item !== null && typeof item === 'object' && !Array.isArray(item)) nullUnsetMessages(f.message, item);
    }
  }
  // An empty next_key is nil bytes in the SDK, which the gateway writes as null.
  if (desc.typeName === 'cosmos.base.query.v1beta1.PageResponse' && json.next_key === '') json.next_key = null;
  return json;
}

/** A message's bytes as gateway JSON. */
export function gatewayJson(desc: DescMessage, bytes: Uint8Array): Record<string, Json> {
  const registry = protoRegistry();
  const json = toJson(desc, fromBinary(desc, bytes), { alwaysEmitImplicit: true, useProtoFieldName: true, registry }) as Record<string, Json>;
  return nullUnsetMessages(desc, json);
}

/**
 * Path fields and query parameters → the proto3 JSON object of a request: dotted names nest
 * (`pagination.limit`), a repeated field collects every value, and booleans are parsed (the
 * JSON parser wants true/false, not strings). Unknown names are refused by the parser.
 */
export function requestJson(desc: DescMessage, fields: [string, string][]): JsonValue {
  const out: Record<string, JsonValue> = {};
  for (const [name, value] of fields) {
    let at = out;
    let msg: DescMessage | undefined = desc;
    const parts = name.split('.');
    parts.forEach((part, i) => {
      const field = msg?.fields.find((f) => f.name === part || f.jsonName === part);
      const last = i === parts.length - 1;
      if (!last) {
        if (typeof at[part] !== 'object' || at[part] === null || Array.isArray(at[part])) at[part] = {};
        at = at[part] as Record<string, JsonValue>;
        msg = field?.fieldKind === 'message' ? field.message : undefined;
        return;
      }
      let v: JsonValue = value;
      const scalarBool = (field?.fieldKind === 'scalar' || field?.fieldKind === 'list') && field.scalar === 8; // ScalarType.BOOL
      if (scalarBool) {
        if (value !== 'true' && value !== 'false') throw new Error(`${name} must be true or false, got ${JSON.stringify(value)}`);
        v = value === 'true';
      }
      if (field?.fieldKind === 'list') at[part] = [...((at[part] as JsonValue[] | undefined) ?? []), v];
      else at[part] = v;
    });
  }
  return out;
}

/** Every GET rule of the services in `packages` (e.g. `sekai.`), as REST routes. */
export function gatewayRoutes(packagePrefix: string): GatewayRoute[] {
  const registry = protoRegistry();
  const http = registry.getExtension('google.api.http') as DescExtension | undefined;
  if (!http) throw new Error('google.api.http is missing from the descriptor set: run npm run proto');
  const routes: GatewayRoute[] = [];
  for (const file of registry.files) {
    for (const service of file.services) {
      if (!service.typeName.startsWith(packagePrefix)) continue;
      for (const m of service.methods) {
        const rule = getOption(m, http) as { pattern: { case: string | undefined; value?: unknown } };
        if (rule.pattern.case !== 'get' || typeof rule.pattern.value !== 'string' || rule.pattern.value === '') continue;
        const input = m.input;
        const output = m.output;
        routes.push({
          method: 'GET',
          pattern: rule.pattern.value,
          grpcPath: `/${service.typeName}/${m.name}`,
          encodeRequest: (fields) => toBinary(input, fromJson(input, requestJson(input, fields), { registry })),
          responseJson: (bytes) => gatewayJson(output, bytes),
        });
      }
    }
  }
  return routes.sort((a, b) => a.pattern.localeCompare(b.pattern));
}
