/**
 * Deterministic iteration helpers: every node must visit entries in the same order,
 * so state-machine code iterates maps and sets by sorted key, never by insertion order.
 */

/** Compares byte strings in unsigned lexicographic order (the store's key order). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

function compareKeys<K>(a: K, b: K): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  throw new TypeError('sorted iteration needs string, number, bigint or Uint8Array keys');
}

/** The entries of a map, sorted by key (strings by UTF-16 code units, numbers numerically). */
export function sortedEntries<K, V>(map: ReadonlyMap<K, V>): [K, V][] {
  // eslint-disable-next-line determinism/no-unordered-iteration -- sorted right below
  return [...map.entries()].sort((x, y) => compareKeys(x[0], y[0]));
}

/** The keys of a map or the members of a set, sorted. */
export function sortedKeys<K>(collection: ReadonlyMap<K, unknown> | ReadonlySet<K>): K[] {
  // eslint-disable-next-line determinism/no-unordered-iteration -- sorted right below
  return [...collection.keys()].sort(compareKeys);
}
