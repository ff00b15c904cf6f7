/**
 * The restore's worker thread: inflates, parses and hashes the snapshot stream
 * (StreamImporter) while the main thread writes the records it sends into LevelDB.
 *
 *   in:  workerData { version, prefixes: [name, prefix][] }
 *        { t: 'chunk', data } | { t: 'eof' }   the next compressed chunk, when asked
 *        { t: 'ack' }                          one `records` message was written
 *   out: ImportMessage, in stream order (`records` blocks transferred, not copied)
 *        { t: 'more' }                         asks for the next chunk
 *        { t: 'done' } | { t: 'error', ... }   the last message
 *
 * At most MAX_UNACKED record blocks are unwritten at a time, so memory holds a few blocks and
 * one compressed chunk whatever the state's size, and a slow disk slows the parsing down.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { CodedError } from '../../types/errors';
import { StreamImporter, inflate, type ImportMessage } from './streamImport';

/** Record blocks (about 2 MB each) sent and not yet written. */
const MAX_UNACKED = 3;

/** An error as it crosses threads: a CodedError keeps its codespace and code. */
export interface WorkerError {
  t: 'error';
  message: string;
  codespace?: string;
  code?: number;
  description?: string;
}

export function describeError(err: unknown): WorkerError {
  if (err instanceof CodedError) return { t: 'error', message: err.message, codespace: err.codespace, code: err.code, description: err.description };
  return { t: 'error', message: err instanceof Error ? err.message : String(err) };
}

/** Runs in the worker (started by restore.ts); returns once its listeners are set. */
export function runRestoreWorker(): void {
  const port = parentPort as MessagePort;
  const { version, prefixes } = workerData as { version: number; prefixes: Array<[string, Uint8Array]> };
  const importer = new StreamImporter(new Map(prefixes), version);
  let nextChunk: ((c: Uint8Array | undefined) => void) | undefined;
  let unacked = 0;
  let acked: (() => void) | undefined;
  port.on('message', (m: { t: string; data?: Uint8Array }) => {
    if (m.t === 'chunk' || m.t === 'eof') {
      const give = nextChunk;
      nextChunk = undefined;
      give?.(m.t === 'chunk' ? m.data : undefined);
    } else if (m.t === 'ack') {
      unacked--;
      const wake = acked;
      acked = undefined;
      wake?.();
    }
  });

  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const c = await new Promise<Uint8Array | undefined>((resolve) => {
        nextChunk = resolve;
        port.postMessage({ t: 'more' });
      });
      if (c === undefined) return;
      yield c;
    }
  }

  async function send(messages: ImportMessage[]): Promise<void> {
    for (const m of messages) {
      if (m.t !== 'records') {
        port.postMessage(m);
        continue;
      }
      while (unacked >= MAX_UNACKED) await new Promise<void>((resolve) => (acked = resolve));
      unacked++;
      port.postMessage(m, [m.block.buffer as ArrayBuffer]);
    }
  }

  void (async () => {
    try {
      for await (const piece of inflate(chunks())) {
        try {
          importer.push(piece);
        } finally {
          // What was parsed before a failure goes first: the writing side's refusal of a
          // store name, say, is the error to report, not what followed it.
          await send(importer.take());
        }
      }
      importer.finish();
      await send(importer.take());
      port.postMessage({ t: 'done' });
    } catch (err) {
      port.postMessage(describeError(err));
    }
  })();
}
