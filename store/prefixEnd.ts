/**
 * The smallest key greater than every key that starts with `prefix`, i.e. the exclusive end of
 * the range `[prefix, prefixEnd(prefix))` holding exactly the keys with that prefix.
 * Returns undefined (unbounded) when no such key exists: an empty prefix or one of only 0xff.
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const out = prefix.slice(0, end);
  out[end - 1]++;
  return out;
}
