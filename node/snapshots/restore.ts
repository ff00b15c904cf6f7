/**
 * Restores a snapshot into an empty multistore. The compressed chunks (in order) are inflated,
 * parsed and hashed into LevelDB records by a StreamImporter on a worker thread, while this
 * thread writes the records it sends (one native batch written while the next fills): the
 * CPU-heavy part (three sha256 per key, decoding, inflate) runs beside the writes instead of
 * before them. Memory holds a few chunks and record blocks, not the state. At the end every
 * store's root is hashed into the AppHash and compared with the expected one; on any failure
 * the imported trees are deleted (`abortRestore`) and the error is rethrown.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CommitId, ImportedRoot } from '../../store';
import { ErrSnapshotFormat } from '../../store/snapshots/format';
import { CodedError } from '../../types/errors';
import type { WorkerError } from './restoreWorker';
import { StreamImporter, inflate, type ImportMessage } from './streamImport';

/** One store being imported from records (store/rootmulti.ts provides it). */
export interface StoreRecordsImport {
  write(block: Uint8Array): Promise<void>;
  finish(root: ImportedRoot | undefined): Promise<void>;
  settle(): Promise<void>;
}

/** What a restore needs from the multistore (store/rootmulti.ts provides it). */
export interface SnapshotTarget {
  beginRestore(version: number): Promise<void>;
  /** The key prefix of every store the restored version mounts. */
  restorePrefixes(): Map<string, Uint8Array>;
  /** Starts one store's import; refuses a store the version does not mount, or one seen before. */
  restoreStoreRecords(name: string): Promise<StoreRecordsImport>;
  finishRestore(expected: Uint8Array): Promise<CommitId>;
  abortRestore(): Promise<void>;
}

export interface RestoreProgress {
  /** Uncompressed stream bytes decoded so far. */
  rawBytes: number;
  /** Nodes imported so far. */
  nodes: number;
}

export interface RestoreResult {
  commit: CommitId;
  /** The application's header record from the stream. */
  appHeader: Uint8Array;
}

export interface RestoreOptions {
  onProgress?: (p: RestoreProgress) => void;
  /**
   * Parse and hash on a worker thread (default). Off, the same work runs on this thread
   * between the writes: slower, for hosts where a worker cannot start.
   */
  worker?: boolean;
}

/** The importer's messages, and a way to say a `records` message was written. */
interface MessageSource {
  messages(): AsyncIterable<ImportMessage>;
  written(): void;
  close(): Promise<void>;
}

/** The importer on this thread. */
function inThread(prefixes: Map<string, Uint8Array>, version: number, chunks: AsyncIterable<Uint8Array>): MessageSource {
  const importer = new StreamImporter(prefixes, version);
  return {
    async *messages() {
      for await (const piece of inflate(chunks)) {
        try {
          importer.push(piece);
        } finally {
          yield* importer.take();
        }
      }
      importer.finish();
      yield* importer.take();
    },
    written: () => undefined,
    close: async () => undefined,
  };
}

/**
 * Plain CommonJS, evaluated by `new Worker(src, { eval: true })`: it loads restoreWorker by
 * the path this module resolved, through the repository's TypeScript hook when that path is
 * a source file (tests, `bin/sekaid-ts` without a build); a build loads plain JavaScript.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
if (workerData.tsHook && !require.extensions['.ts']) require(workerData.tsHook);
require(workerData.modulePath).runRestoreWorker();
`;

/** The importer on a worker thread (restoreWorker.ts). */
function inWorker(prefixes: Map<string, Uint8Array>, version: number, chunks: AsyncIterable<Uint8Array>): MessageSource {
  const ext = extname(__filename);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // Not the parent's loader flags: under `node -r @swc-node/register` the worker would load
    // SWC's native binding (~0.4 s); the hook above reads cached JavaScript instead.
    execArgv: [],
    workerData: {
      modulePath: join(__dirname, `restoreWorker${ext}`),
      tsHook: ext === '.ts' ? join(__dirname, '..', '..', 'bin', 'tsCache.js') : undefined,
      version,
      prefixes: [...prefixes],
    },
  });
  const input = chunks[Symbol.asyncIterator]();
  const queue: Array<ImportMessage | { t: 'done' } | WorkerError> = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  let finished = false;
  const fail = (err: Error): void => {
    failure ??= err;
    wake?.();
  };
  worker.on('message', (m: ImportMessage | { t: 'more' } | { t: 'done' } | WorkerError) => {
    if (m.t === 'more') {
      input.next().then(
        (r) => {
          if (r.done) return worker.postMessage({ t: 'eof' });
          // A copy of exactly the chunk, transferred: a chunk may be a view of a larger
          // buffer (the ABCI request it came in), which a clone would copy whole.
          const data = Uint8Array.from(r.value);
          worker.postMessage({ t: 'chunk', data }, [data.buffer]);
        },
        (err: unknown) => fail(err instanceof Error ? err : new Error(String(err))),
      );
      return;
    }
    queue.push(m);
    wake?.();
  });
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (!finished) fail(new Error(`the restore worker stopped (exit code ${code})`));
  });
  return {
    async *messages() {
      for (;;) {
        const m = queue.shift();
        if (m === undefined) {
          if (failure) throw failure;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        if (m.t === 'done') {
          finished = true;
          return;
        }
        if (m.t === 'error') {
          finished = true;
          throw m.codespace !== undefined ? new CodedError(m.codespace, m.code as number, m.description as string, m.message) : new Error(m.message);
        }
        yield m;
      }
    },
    written: () => worker.postMessage({ t: 'ack' }),
    close: async () => {
      finished = true;
      await worker.terminate();
    },
  };
}

/** Applies the importer's messages to `target`; returns the app header. */
async function apply(target: SnapshotTarget, source: MessageSource, onProgress?: (p: RestoreProgress) => void): Promise<Uint8Array> {
  let appHeader: Uint8Array | undefined;
  let store: StoreRecordsImport | undefined;
  let ended = false;
  try {
    for await (const m of source.messages()) {
      if (m.t === 'app') appHeader = m.data;
      else if (m.t === 'store') store = await target.restoreStoreRecords(m.name);
      else if (m.t === 'records') {
        await (store as StoreRecordsImport).write(m.block);
        source.written();
      } else if (m.t === 'storeEnd') {
        await (store as StoreRecordsImport).finish(m.root);
        store = undefined;
        onProgress?.({ rawBytes: m.rawBytes, nodes: m.nodes });
      } else ended = true;
    }
  } finally {
    await store?.settle();
  }
  if (!ended || appHeader === undefined) throw ErrSnapshotFormat.wrap('the stream stops before its end marker');
  return appHeader;
}

/**
 * Restores `height` from `chunks` into `target` and checks the result against
 * `expectedAppHash`. Rejects (leaving the target empty) on a malformed stream, a store this
 * binary does not mount, a missing store or a root mismatch.
 */
export async function restoreSnapshot(
  target: SnapshotTarget,
  height: number,
  chunks: AsyncIterable<Uint8Array>,
  expectedAppHash: Uint8Array,
  opts: RestoreOptions = {},
): Promise<RestoreResult> {
  await target.beginRestore(height);
  let source: MessageSource | undefined;
  try {
    const prefixes = target.restorePrefixes();
    source = opts.worker === false ? inThread(prefixes, height, chunks) : inWorker(prefixes, height, chunks);
    const appHeader = await apply(target, source, opts.onProgress);
    await source.close();
    const commit = await target.finishRestore(expectedAppHash);
    return { commit, appHeader };
  } catch (err) {
    await source?.close();
    await target.abortRestore();
    throw err;
  }
}
