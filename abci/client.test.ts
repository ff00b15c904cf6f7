import * as net from 'node:net';
import { Request, Response } from 'cosmjs-types/tendermint/abci/types';
import { CodedError } from '../types/errors';
import { sleep } from '../test/abci/helpers';
import { AbciClient } from './client';
import { ErrApplicationException, ErrConnectionClosed, ErrUnexpectedResponse } from './errors';
import { FrameDecoder } from './framing';
import { type AbciMethod, decodeRequest, encodeResponseFrame, requestMethod } from './messages';

/** A raw peer: records every request and answers with whatever `reply` returns. */
async function fakeApp(reply: (method: AbciMethod, req: Request) => Response | Response[] | undefined) {
  const received: AbciMethod[] = [];
  const bytes = { n: 0 };
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    const dec = new FrameDecoder();
    s.on('data', (chunk: Buffer) => {
      bytes.n += chunk.length;
      for (const f of dec.push(chunk)) {
        const req = decodeRequest(f);
        const m = requestMethod(req);
        received.push(m);
        const out = reply(m, req);
        for (const r of out === undefined ? [] : Array.isArray(out) ? out : [out]) s.write(encodeResponseFrame(r));
      }
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    address: `tcp://127.0.0.1:${port}`,
    received,
    bytes,
    sockets,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Answers each request with its own method's empty response. */
const honest = (m: AbciMethod) => Response.fromPartial({ [m]: {} } as Partial<Response>);

async function rejection(p: Promise<unknown>): Promise<CodedError> {
  const r = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(r).toBeInstanceOf(CodedError);
  return r as CodedError;
}

describe('AbciClient', () => {
  it('holds writes until a Flush, then resolves the pipeline in order', async () => {
    const peer = await fakeApp(honest);
    const c = new AbciClient({ writeBufferBytes: 1 << 20 });
    await c.connect(peer.address);
    try {
      const a = c.checkTxAsync({ tx: new Uint8Array([1]) });
      const b = c.checkTxAsync({ tx: new Uint8Array([2]) });
      await sleep(30);
      expect(peer.bytes.n).toBe(0);
      expect(c.pending).toBe(2);
      await c.flush();
      await Promise.all([a, b]);
      expect(peer.received).toEqual(['checkTx', 'checkTx', 'flush']);
      // A synchronous call is the request followed by its own Flush.
      await c.info();
      expect(peer.received.slice(3)).toEqual(['info', 'flush']);
    } finally {
      await c.close();
      await peer.close();
    }
  });

  it('flushes on its own after flushThrottleMs, like CometBFT mempool connections', async () => {
    const peer = await fakeApp(honest);
    const c = new AbciClient({ flushThrottleMs: 20 });
    await c.connect(peer.address);
    try {
      expect((await c.checkTxAsync({ tx: new Uint8Array([1]) })).code).toBe(0);
      expect(peer.received).toEqual(['checkTx', 'flush']);
    } finally {
      await c.close();
      await peer.close();
    }
  });

  it('stops on a response that does not answer the oldest request', async () => {
    const peer = await fakeApp((m) => (m === 'flush' ? honest(m) : Response.fromPartial({ commit: {} })));
    const c = new AbciClient();
    await c.connect(peer.address);
    const err = await rejection(c.info());
    expect(err.is(ErrUnexpectedResponse)).toBe(true);
    expect(err.message).toContain('commit response to the info request');
    const later = await rejection(c.echo('x'));
    expect(later.is(ErrUnexpectedResponse)).toBe(true);
    await peer.close();
  });

  it('stops on a response nobody asked for', async () => {
    const peer = await fakeApp((m) => (m === 'flush' ? [honest(m), honest(m)] : honest(m)));
    const c = new AbciClient();
    await c.connect(peer.address);
    await c.echo('x').catch(() => undefined);
    await sleep(20);
    expect(c.error?.is(ErrUnexpectedResponse)).toBe(true);
    expect(c.error?.message).toContain('no request outstanding');
    await peer.close();
  });

  it('rejects with the exception text and stops, unless told to continue', async () => {
    const peer = await fakeApp((m) => (m === 'query' ? Response.fromPartial({ exception: { error: 'db gone' } }) : honest(m)));
    const strict = new AbciClient();
    await strict.connect(peer.address);
    const err = await rejection(strict.query({ path: '/x' }));
    expect(err.is(ErrApplicationException)).toBe(true);
    expect(err.message).toBe('query: db gone: ABCI application exception');
    expect((await rejection(strict.echo('x'))).is(ErrApplicationException)).toBe(true);

    const lenient = new AbciClient({ stopOnException: false });
    await lenient.connect(peer.address);
    await rejection(lenient.query({ path: '/x' }));
    expect((await lenient.echo('x')).message).toBe('');
    await lenient.close();
    await peer.close();
  });

  it('fails outstanding requests when the peer closes, and refuses use when not connected', async () => {
    const peer = await fakeApp(() => undefined);
    const c = new AbciClient();
    await c.connect(peer.address);
    const pending = c.info();
    await sleep(20);
    for (const s of peer.sockets) s.destroy();
    expect((await rejection(pending)).is(ErrConnectionClosed)).toBe(true);
    expect((await rejection(c.echo('x'))).is(ErrConnectionClosed)).toBe(true);
    expect((await rejection(new AbciClient().echo('x'))).is(ErrConnectionClosed)).toBe(true);
    await peer.close();
    await expect(new AbciClient().connect(peer.address)).rejects.toThrow(/ECONNREFUSED/);
  });
});
