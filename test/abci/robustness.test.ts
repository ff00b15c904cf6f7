/**
 * Bad bytes on one ABCI connection close that connection only: the application never
 * sees them, other connections keep being served and the process keeps running.
 */
import { Request } from 'cosmjs-types/tendermint/abci/types';
import { AbciClient } from '../../abci/client';
import { encodeFrame, writeUvarint } from '../../abci/framing';
import { decodeRequest, encodeRequestFrame, requestMethod } from '../../abci/messages';
import { AbciServer } from '../../abci/server';
import { PINO_WARN, captureLogger, rawConnect, rng, untilClosed } from './helpers';
import { KvApp, kvTx } from './kvApp';
import { FrameDecoder } from '../../abci/framing';

const MAX_FRAME = 1 << 20;

/** True when the server must reject these bytes: a framing error or an unusable first frame. */
function rejectedOffline(bytes: Uint8Array): boolean {
  const frames: Uint8Array[] = [];
  try {
    new FrameDecoder(MAX_FRAME).push(bytes, frames);
  } catch {
    return frames.length === 0;
  }
  if (frames.length === 0) return false;
  try {
    requestMethod(decodeRequest(frames[0]));
    return false;
  } catch {
    return true;
  }
}

describe('ABCI server robustness', () => {
  let app: KvApp;
  let server: AbciServer;
  let witness: AbciClient;
  let log: ReturnType<typeof captureLogger>;

  beforeEach(async () => {
    app = new KvApp();
    log = captureLogger();
    server = new AbciServer(app, { logger: log.logger, maxFrameBytes: MAX_FRAME });
    await server.listen('tcp://127.0.0.1:0');
    witness = new AbciClient();
    await witness.connect(server.address());
    await witness.info({});
  });

  afterEach(async () => {
    await witness.close();
    await server.close();
  });

  /** Sends `bytes` on a fresh connection; the server must close it without calling the app. */
  async function expectRejected(bytes: Uint8Array): Promise<void> {
    const callsBefore = app.calls.length;
    const s = await rawConnect(server.address());
    const closed = untilClosed(s);
    s.write(bytes);
    const answer = await closed;
    expect(answer.length).toBe(0);
    expect(app.calls.length).toBe(callsBefore);
    // The other connection, and new ones, are still served.
    expect((await witness.echo('alive')).message).toBe('alive');
    expect((await witness.info({})).lastBlockHeight).toBe(0n);
    const fresh = new AbciClient();
    await fresh.connect(server.address());
    expect((await fresh.checkTx({ tx: kvTx('k', 'v') })).code).toBe(0);
    await fresh.close();
    expect(log.lines.some((l) => l.level === PINO_WARN && l.msg.includes('protocol error'))).toBe(true);
  }

  it('closes a connection that sends random bytes', async () => {
    const rand = rng(1);
    let tried = 0;
    while (tried < 5) {
      const bytes = Uint8Array.from({ length: 64 }, () => Math.floor(rand() * 256));
      if (!rejectedOffline(bytes)) continue;
      await expectRejected(bytes);
      tried++;
    }
  });

  it('closes a connection whose length prefix exceeds the maximum, before receiving the body', async () => {
    const prefix = new Uint8Array(10);
    const end = writeUvarint(MAX_FRAME + 1, prefix, 0);
    await expectRejected(prefix.subarray(0, end));
    const huge = new Uint8Array(10);
    await expectRejected(huge.subarray(0, writeUvarint(2 ** 40, huge, 0)));
    const line = log.lines.find((l) => String(l.err).includes('frame length exceeds the maximum'));
    expect(line).toBeDefined();
  });

  it('closes a connection with a malformed varint length', async () => {
    await expectRejected(new Uint8Array(11).fill(0xff));
  });

  it('closes a connection whose frame holds truncated or garbage protobuf', async () => {
    const good = Request.encode(Request.fromPartial({ checkTx: { tx: kvTx('a', 'b') } })).finish();
    await expectRejected(encodeFrame(good.subarray(0, good.length - 2))); // body cut inside the tx bytes
    await expectRejected(encodeFrame(Uint8Array.from([0x0f, 0x01, 0x02]))); // wire type 7
    await expectRejected(encodeFrame(Uint8Array.from([0x42, 0x05, 0x0a, 0x01]))); // check_tx claims 5 bytes, has 2
    await expectRejected(encodeFrame(new Uint8Array(0))); // an empty Request: no method
    await expectRejected(encodeFrame(Uint8Array.from([0x22, 0x00]))); // reserved SetOption (field 4)
    await expectRejected(encodeFrame(Uint8Array.from([0x12, 0x00, 0x5a, 0x00]))); // flush and commit at once
  });

  it('serves requests before a bad frame, and nothing after it', async () => {
    const s = await rawConnect(server.address());
    const closed = untilClosed(s);
    s.write(
      Buffer.concat([
        encodeRequestFrame(Request.fromPartial({ checkTx: { tx: kvTx('first', '1') } })),
        encodeRequestFrame(Request.fromPartial({ flush: {} })),
        encodeFrame(Uint8Array.from([0xff])), // undecodable
        encodeRequestFrame(Request.fromPartial({ checkTx: { tx: kvTx('never', '2') } })),
        encodeRequestFrame(Request.fromPartial({ flush: {} })),
      ]),
    );
    const answer = await closed;
    expect(app.calls.filter((c) => c === 'checkTx')).toHaveLength(1);
    // The answers written at the first Flush did arrive: CheckTx then Flush.
    const frames = new FrameDecoder().push(answer);
    expect(frames.map((f) => Buffer.from(f).subarray(0, 1).toString('hex'))).toEqual(['4a', '1a']);
  });

  it('closes on a truncated frame once the peer gives up, without calling the app', async () => {
    const callsBefore = app.calls.length;
    const s = await rawConnect(server.address());
    const closed = untilClosed(s);
    const frame = encodeRequestFrame(Request.fromPartial({ checkTx: { tx: kvTx('a', 'b') } }));
    s.end(frame.subarray(0, frame.length - 3));
    await closed;
    expect(app.calls.length).toBe(callsBefore);
    expect((await witness.echo('alive')).message).toBe('alive');
  });

  it('survives a peer that resets the connection mid-request', async () => {
    const s = await rawConnect(server.address());
    s.write(encodeRequestFrame(Request.fromPartial({ checkTx: { tx: kvTx('a', 'b') } })));
    s.resetAndDestroy();
    expect((await witness.echo('alive')).message).toBe('alive');
  });
});
