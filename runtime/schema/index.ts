/**
 * The state schema layer: typed collections over a module's store (after cosmos-sdk
 * `collections`), their codecs, the schema builder that refuses overlapping prefixes, and
 * the one paginator of list queries.
 */
export * from './codecs';
export { IndexedMap, Item, KeySet, MultiIndex, Sequence, StateMap, UniqueIndex, type Index, type Range, type StoreReader, type StoreWriter, Collection } from './collections';
export { SchemaBuilder, type Prefix } from './schema';
export { DEFAULT_PAGE_LIMITS, paginate, paginateList, type PageLimits, type PageOptions, type PageRequestLike, type PageResponseLike } from './paginate';
