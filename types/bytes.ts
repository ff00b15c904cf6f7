/**
 * Byte buffers for small values the caller writes in full (records, encodings, copies).
 *
 * V8 keeps a typed array of up to 64 bytes on the JS heap, which is cheap to allocate and to
 * collect. A larger `new Uint8Array` gets an ArrayBuffer of its own (0.4-3 µs each, memory the
 * collector is told about separately, which triggered collections mid-block when done per tx),
 * so larger ones are uninitialised slices of Node's pooled 8 KB blocks (about 0.1-0.2 µs).
 */
export function smallBuffer(size: number): Uint8Array {
  return size <= 64 ? new Uint8Array(size) : Buffer.allocUnsafe(size);
}
