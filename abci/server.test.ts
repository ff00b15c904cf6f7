import * as fs from 'node:fs';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Response, RequestCheckTx, RequestFinalizeBlock, RequestQuery, ResponseCheckTx } from 'cosmjs-types/tendermint/abci/types';
import { CodedError } from '../types/errors';
import { KvApp, kvTx } from '../test/abci/kvApp';
import { PINO_ERROR, captureLogger, rng, sleep, tempDir } from '../test/abci/helpers';
import type { AbciApplication } from './application';
import { AbciClient } from './client';
import { ErrApplicationException, ErrConnectionClosed, ErrInvalidAddress } from './errors';
import { AbciServer } from './server';
import { parseAbciAddress } from './address';

/** KvApp whose handlers take random time and record how many run at once per connection kind. */
class SlowKvApp extends KvApp {
  private readonly rand = rng(7);
  inCheck = 0;
  maxInCheck = 0;
  override async checkTx(req: RequestCheckTx): Promise<ResponseCheckTx> {
    this.inCheck++;
    this.maxInCheck = Math.max(this.maxInCheck, this.inCheck);
    await sleep(Math.floor(this.rand() * 4));
    this.inCheck--;
    return super.checkTx(req);
  }
  override async query(req: RequestQuery) {
    await sleep(Math.floor(this.rand() * 4));
    return super.query(req);
  }
  async echo(req: { message: string }) {
    await sleep(Math.floor(this.rand() * 4));
    return { message: `app:${req.message}` };
  }
}

async function serve(app: AbciApplication, opts: ConstructorParameters<typeof AbciServer>[1] = {}) {
  const server = new AbciServer(app, opts);
  await server.listen('tcp://127.0.0.1:0');
  const clients: AbciClient[] = [];
  const connect = async (o?: ConstructorParameters<typeof AbciClient>[0]) => {
    const c = new AbciClient(o);
    await c.connect(server.address());
    clients.push(c);
    return c;
  };
  const close = async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
  };
  return { server, connect, close };
}

function expectCodedError(e: unknown, registered: CodedError): void {
  expect(e).toBeInstanceOf(CodedError);
  expect((e as CodedError).codespace).toBe(registered.codespace);
  expect((e as CodedError).code).toBe(registered.code);
}

describe('AbciServer ordering', () => {
  it('answers one connection strictly in request order while handlers take random time', async () => {
    const app = new SlowKvApp();
    const { connect, close } = await serve(app);
    try {
      const c = await connect({ writeBufferBytes: 1 << 20 });
      const r = rng(99);
      const seen: number[] = [];
      const sent: Array<Promise<Response>> = [];
      for (let i = 0; i < 300; i++) {
        const kind = Math.floor(r() * 3);
        const req =
          kind === 0
            ? { checkTx: { tx: kvTx(`k${i}`, 'v'), type: 0 } }
            : kind === 1
              ? { query: { path: '/key', data: Buffer.from(`q${i}`), height: 0n, prove: false } }
              : { echo: { message: String(i) } };
        sent.push(c.send(req).then((x) => (seen.push(i), x)));
        if (i % 97 === 96) void c.flush();
      }
      await c.flush();
      const results = await Promise.all(sent);
      expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => i));
      // Each answer carries its own request's content, so none was swapped.
      results.forEach((res, i) => {
        if (res.checkTx) expect(Buffer.from(res.checkTx.data).toString()).toBe(`k${i}`);
        else if (res.query) expect(Buffer.from(res.query.key).toString()).toBe(`q${i}`);
        else expect(res.echo!.message).toBe(`app:${i}`); // through app.echo when the app defines it
      });
      expect(app.maxInCheck).toBe(1);
    } finally {
      await close();
    }
  });

  it('keeps order through socket back-pressure: 10,000 CheckTx in one write, one Flush', async () => {
    // More frames than the read queue's high-water mark (4096) and more response bytes than
    // the early-write threshold (64 KiB), so pausing, resuming and partial writes all happen.
    class Yielding extends KvApp {
      override async checkTx(req: RequestCheckTx) {
        // A macrotask per request lets socket reads pile up frames faster than they are served.
        await new Promise((r) => setImmediate(r));
        return super.checkTx(req);
      }
    }
    const { logger, lines } = captureLogger();
    const { connect, close } = await serve(new Yielding(), { logger });
    try {
      const c = await connect({ writeBufferBytes: 1 << 30 });
      const answers = Array.from({ length: 10_000 }, (_, i) => c.checkTxAsync({ tx: kvTx(`key${i}`, 'v') }));
      await c.flush();
      const results = await Promise.all(answers);
      const misplaced = results.map((r, i) => [i, Buffer.from(r.data).toString()]).filter(([i, key]) => key !== `key${i}`);
      expect(misplaced).toEqual([]);
      expect(lines.some((l) => l.msg.includes('paused reading'))).toBe(true);
    } finally {
      await close();
    }
  });

  it('serves a second connection while a slow handler blocks the first', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    class BlockingApp extends KvApp {
      override async finalizeBlock(req: RequestFinalizeBlock) {
        await gate;
        return super.finalizeBlock(req);
      }
    }
    const app = new BlockingApp();
    const { connect, close } = await serve(app);
    try {
      const consensus = await connect();
      const mempool = await connect();
      await consensus.initChain({ chainId: 'c', initialHeight: 1n });
      const fin = consensus.finalizeBlock({ height: 1n, txs: [kvTx('a', '1')] });
      let finished = false;
      void fin.then(() => (finished = true));
      // CheckTx is answered while FinalizeBlock is still running on the other connection.
      expect((await mempool.checkTx({ tx: kvTx('b', '2') })).code).toBe(0);
      expect(finished).toBe(false);
      release();
      expect((await fin).txResults).toHaveLength(1);
    } finally {
      await close();
    }
  });
});

describe('AbciServer application failures', () => {
  it('answers a throwing consensus handler with ResponseException, logs an error and keeps serving', async () => {
    const { logger, lines } = captureLogger();
    const app = new KvApp();
    const { connect, close } = await serve(app, { logger });
    try {
      const consensus = await connect({ stopOnException: false });
      const other = await connect();
      await consensus.initChain({ chainId: 'c', initialHeight: 1n });
      // KvApp throws on a skipped height: a bug in block execution.
      const err = await consensus.finalizeBlock({ height: 5n }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expectCodedError(err, ErrApplicationException);
      expect((err as Error).message).toContain('finalizeBlock: finalize height 5, expected 1');
      const logged = lines.find((l) => l.level === PINO_ERROR && l.method === 'FinalizeBlock');
      expect(logged?.msg).toMatch(/halts CometBFT/);
      // The same connection and another one both keep working.
      expect((await consensus.finalizeBlock({ height: 1n })).txResults).toEqual([]);
      expect((await other.echo('still here')).message).toBe('still here');
    } finally {
      await close();
    }
  });

  it('logs a throw in CheckTx as a missing error code, and a client like CometBFT stops on it', async () => {
    const { logger, lines } = captureLogger();
    class ThrowingCheck extends KvApp {
      override checkTx(req: RequestCheckTx) {
        if (req.tx.length === 0) throw new TypeError('cannot read empty tx');
        return super.checkTx(req);
      }
    }
    const { connect, close } = await serve(new ThrowingCheck(), { logger });
    try {
      const mempool = await connect();
      const first = mempool.checkTxAsync({ tx: new Uint8Array() });
      const second = mempool.checkTxAsync({ tx: kvTx('a', 'b') });
      const flushed = mempool.flush();
      await expect(first).rejects.toThrow('checkTx: cannot read empty tx');
      // Like CometBFT's client, the exception stops the connection: later requests fail.
      await expect(second).rejects.toThrow(/cannot read empty tx/);
      await expect(flushed).rejects.toThrow();
      expect(mempool.error).toBeDefined();
      const logged = lines.find((l) => l.level === PINO_ERROR && l.method === 'CheckTx');
      expect(logged?.msg).toMatch(/instead of returning a non-zero code/);
      const fresh = await connect();
      expect((await fresh.checkTx({ tx: kvTx('a', 'b') })).code).toBe(0);
    } finally {
      await close();
    }
  });

  it('turns a missing or unencodable handler result into ResponseException', async () => {
    class Broken extends KvApp {
      override commit(): never {
        return undefined as never;
      }
      override query(): never {
        return { code: 0, value: 'not bytes', height: 'x' } as never;
      }
    }
    const { connect, close } = await serve(new Broken());
    try {
      const c = await connect({ stopOnException: false });
      await expect(c.commit()).rejects.toThrow('application returned no Commit response');
      const q = await c.query({ path: '/key' }).then(
        () => 'resolved',
        (e: Error) => e.message,
      );
      expect(q).toMatch(/ABCI application exception/);
      expect((await c.echo('ok')).message).toBe('ok');
    } finally {
      await close();
    }
  });
});

describe('AbciServer lifecycle', () => {
  it('close() lets an in-flight request finish, then refuses new connections', async () => {
    class Slow extends KvApp {
      override async checkTx(req: RequestCheckTx) {
        await sleep(150);
        return super.checkTx(req);
      }
    }
    const { server, connect, close } = await serve(new Slow());
    const c = await connect();
    const address = server.address();
    const answer = c.checkTx({ tx: kvTx('a', '1') });
    await sleep(20);
    const closing = server.close();
    expect((await answer).code).toBe(0);
    await closing;
    const late = new AbciClient();
    await expect(late.connect(address)).rejects.toThrow(/ECONNREFUSED/);
    await close();
  });

  it('drops connections whose handler outlives closeTimeoutMs', async () => {
    class Stuck extends KvApp {
      override checkTx(): Promise<ResponseCheckTx> {
        return new Promise(() => undefined);
      }
    }
    const { server, connect } = await serve(new Stuck(), { closeTimeoutMs: 100 });
    const c = await connect();
    const answer = c.checkTx({ tx: kvTx('a', '1') }).catch((e: unknown) => e);
    await sleep(20);
    const t0 = process.hrtime.bigint();
    await server.close();
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(2000);
    expectCodedError(await answer, ErrConnectionClosed);
  });

  it('replaces a stale unix socket file but refuses a live one and a regular file', async () => {
    const tmp = tempDir('abci-stale-');
    try {
      const sock = path.join(tmp.dir, 'app.sock');
      // A socket file left by a process that died without unlinking it.
      const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(sock)}, () => console.log('up'))`]);
      await new Promise<void>((r) => child.stdout.once('data', () => r()));
      child.kill('SIGKILL');
      await new Promise<void>((r) => child.once('exit', () => r()));
      expect(fs.lstatSync(sock).isSocket()).toBe(true);

      const a = new AbciServer(new KvApp());
      await a.listen(`unix://${sock}`);
      const c = new AbciClient();
      await c.connect(a.address());
      expect((await c.echo('x')).message).toBe('x');

      const b = new AbciServer(new KvApp());
      await expect(b.listen(`unix://${sock}`)).rejects.toThrow(/another process is serving/);
      await c.close();
      await a.close();

      const file = path.join(tmp.dir, 'plain');
      fs.writeFileSync(file, 'x');
      await expect(new AbciServer(new KvApp()).listen(`unix://${file}`)).rejects.toThrow(/is not a socket/);
    } finally {
      tmp.cleanup();
    }
  });

  it('parses CometBFT proxy_app addresses and rejects others with a typed error', () => {
    expect(parseAbciAddress('tcp://127.0.0.1:26658')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 26658 });
    expect(parseAbciAddress('127.0.0.1:26658')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 26658 });
    expect(parseAbciAddress('tcp://[::1]:1')).toEqual({ kind: 'tcp', host: '::1', port: 1 });
    expect(parseAbciAddress('unix:///tmp/app.sock')).toEqual({ kind: 'unix', path: '/tmp/app.sock' });
    expect(parseAbciAddress('unix://app.sock')).toEqual({ kind: 'unix', path: 'app.sock' });
    for (const bad of ['grpc://127.0.0.1:1', 'tcp://127.0.0.1', 'tcp://:80', 'tcp://h:99999', 'tcp://h:1x', 'unix://']) {
      let err: unknown;
      try {
        parseAbciAddress(bad);
      } catch (e) {
        err = e;
      }
      expectCodedError(err, ErrInvalidAddress);
    }
    expect(() => new AbciServer(new KvApp()).address()).toThrow(/not listening/);
  });
});

describe('AbciServer limits', () => {
  it('refuses connections over its cap and keeps serving the ones it holds', async () => {
    const { server, connect, close } = await serve(new KvApp(), { maxConnections: 2 });
    try {
      const a = await connect();
      await connect();
      await waitFor(() => server.connectionCount === 2);
      const extra = new AbciClient();
      await extra.connect(server.address()).catch(() => undefined);
      await expect(extra.echo('x')).rejects.toThrow();
      await extra.close().catch(() => undefined);
      expect(server.connectionCount).toBe(2);
      expect((await a.echo('still here')).message).toBe('still here');
    } finally {
      await close();
    }
  });
});

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
