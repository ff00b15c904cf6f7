/**
 * The part of Node's Buffer that the generated protobuf code (ts-proto, env=node) calls when it
 * decodes and encodes bytes fields: `Buffer.from(bytes)` and `Buffer.alloc(0)`. The bundle
 * injects this in place of the global, so the page needs no 20 kB Buffer polyfill.
 */
function from(data: Uint8Array | ArrayLike<number> | string, encoding?: string): Uint8Array {
  if (typeof data !== 'string') return data instanceof Uint8Array ? data : Uint8Array.from(data);
  if (encoding === 'base64') return Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  if (encoding === 'hex') return Uint8Array.from(data.match(/../g) ?? [], (h) => parseInt(h, 16));
  return new TextEncoder().encode(data);
}

export const Buffer = { from, alloc: (size: number) => new Uint8Array(size) };
