/** Shared pieces of the ABCI socket tests: log capture, temp socket paths, raw sockets. */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { parseAbciAddress } from '../../abci/address';

export interface LogLine {
  level: number;
  msg: string;
  method?: string;
  err?: unknown;
  [k: string]: unknown;
}

/** A pino logger at debug level whose lines land in `lines`. */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as LogLine);
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

export const PINO_ERROR = 50;
export const PINO_WARN = 40;

/** A fresh directory under the OS temp dir, removed by `cleanup`. */
export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A raw socket to an ABCI address, for writing arbitrary bytes. */
export function rawConnect(address: string): Promise<net.Socket> {
  const addr = parseAbciAddress(address);
  const s = addr.kind === 'unix' ? net.connect(addr.path) : net.connect(addr.port, addr.host);
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves with everything the peer sent once the socket closes, or rejects after `ms`. */
export function untilClosed(s: net.Socket, ms = 5000): Promise<Buffer> {
  const chunks: Buffer[] = [];
  s.on('data', (c: Buffer) => chunks.push(c));
  s.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    if (s.destroyed) return resolve(Buffer.concat(chunks));
    const t = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms);
    s.once('close', () => {
      clearTimeout(t);
      resolve(Buffer.concat(chunks));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Deterministic PRNG (mulberry32) so failures reproduce from the seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
