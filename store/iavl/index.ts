export { IavlTree } from './tree';
export type { IavlOptions, IavlVersionReader, ExportNode, CommitStats } from './tree';
export * from './errors';
export { hashLeaf, hashInner } from './node';
