/** The IAVL tree: its store, its options and views, the export format and the node hashes. */
export { IavlTree } from './tree';
export type { IavlOptions, IavlVersionReader, CommitStats } from './tree';
export type { TreeImport } from './importExport';
export { ImportBuilder, forEachRecord, type ImportedRoot } from './importBuilder';
export type { ExportNode } from './importExport';
export * from './errors';
export { hashLeaf, hashInner, putUvarint, readUvarint, uvarintSize } from './node';
