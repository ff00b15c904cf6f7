import { Request, Response } from 'cosmjs-types/tendermint/abci/types';
import { ErrFrameTooLarge, ErrMalformedLength, ErrUndecodableMessage, ErrUnknownMethod } from './errors';
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, encodeFrame, uvarintSize, writeUvarint } from './framing';
import { decodeRequest, decodeResponse, encodeRequestFrame, encodeResponseFrame, requestMethod, responseMethod } from './messages';
import { CodedError } from '../types/errors';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function expectCoded(fn: () => unknown, registered: CodedError): CodedError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CodedError);
    expect((e as CodedError).code).toBe(registered.code);
    expect((e as CodedError).codespace).toBe(registered.codespace);
    return e as CodedError;
  }
  throw new Error('expected a throw');
}

describe('frame fixtures (uvarint length + tendermint.abci protobuf, CometBFT >= 0.37)', () => {
  // Hex derived by hand from types.proto field numbers: Request.echo=1, flush=2, info=3,
  // check_tx=8, commit=11; Response.exception=1, flush=3, process_proposal=18.
  const fixtures: Array<[string, Uint8Array, string]> = [
    ['Request{echo:"hello"}', encodeRequestFrame(Request.fromPartial({ echo: { message: 'hello' } })), '09' + '0a07' + '0a05' + '68656c6c6f'],
    ['Request{flush}', encodeRequestFrame(Request.fromPartial({ flush: {} })), '02' + '1200'],
    ['Response{flush}', encodeResponseFrame(Response.fromPartial({ flush: {} })), '02' + '1a00'],
    ['Request{commit}', encodeRequestFrame(Request.fromPartial({ commit: {} })), '02' + '5a00'],
    [
      'Request{info} as CometBFT 0.38.25 sends it',
      encodeRequestFrame(Request.fromPartial({ info: { version: '0.38.25', blockVersion: 11n, p2pVersion: 8n, abciVersion: '2.0.0' } })),
      '16' + '1a14' + '0a07' + Buffer.from('0.38.25').toString('hex') + '100b' + '1808' + '2205' + Buffer.from('2.0.0').toString('hex'),
    ],
    ['Response{exception:"boom"}', encodeResponseFrame(Response.fromPartial({ exception: { error: 'boom' } })), '08' + '0a06' + '0a04' + '626f6f6d'],
    ['Response{processProposal:ACCEPT}', encodeResponseFrame(Response.fromPartial({ processProposal: { status: 1 } })), '05' + '92010208' + '01'],
  ];
  it.each(fixtures)('%s', (_name, frame, want) => {
    expect(hex(frame)).toBe(want);
  });

  it('a 208-byte CheckTx body takes a two-byte length (d0 01), not a zig-zag one (a0 03)', () => {
    const tx = new Uint8Array(200).fill(0xab);
    const frame = encodeRequestFrame(Request.fromPartial({ checkTx: { tx, type: 1 } }));
    expect(hex(frame.subarray(0, 8))).toBe('d001' + '42cd01' + '0ac801');
    expect(hex(frame.subarray(frame.length - 3))).toBe('ab1001');
    const [body] = new FrameDecoder().push(frame);
    const req = decodeRequest(body);
    expect(requestMethod(req)).toBe('checkTx');
    expect(req.checkTx!.tx).toEqual(tx);
    expect(req.checkTx!.type).toBe(1);
  });

  it('decodes the fixtures back to the same messages', () => {
    const [body] = new FrameDecoder().push(unhex('161a140a07302e33382e3235100b18082205322e302e30'));
    const req = decodeRequest(body);
    expect(req.info).toEqual({ version: '0.38.25', blockVersion: 11n, p2pVersion: 8n, abciVersion: '2.0.0' });
    const [resBody] = new FrameDecoder().push(unhex('080a060a04626f6f6d'));
    expect(responseMethod(decodeResponse(resBody))).toBe('exception');
  });
});

describe('frame encoding', () => {
  it('lays out exactly the bytes of encodeFrame(Message.encode().finish()) for every method', () => {
    const big = new Uint8Array(70_000).fill(3);
    const reqs: Request[] = [
      Request.fromPartial({ finalizeBlock: { txs: [big, new Uint8Array(0), new Uint8Array([1])], height: 2n ** 62n, time: { seconds: 1n, nanos: 5 } } }),
      Request.fromPartial({ initChain: { chainId: 'ü-chain', validators: [{ power: -1n, pubKey: { ed25519: new Uint8Array(32).fill(1) } }] } }),
      Request.fromPartial({ query: { path: '/a', data: big, height: 9n, prove: true } }),
      Request.fromPartial({ flush: {} }),
    ];
    for (const r of reqs) expect(hex(encodeRequestFrame(r))).toBe(hex(encodeFrame(Request.encode(r).finish())));
    const res = Response.fromPartial({
      finalizeBlock: { txResults: [{ code: 3, log: 'x', gasUsed: 5n, events: [{ type: 't', attributes: [{ key: 'k', value: 'v', index: true }] }] }], appHash: big },
    });
    expect(hex(encodeResponseFrame(res))).toBe(hex(encodeFrame(Response.encode(res).finish())));
  });
});

describe('uvarint', () => {
  it.each([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [300, 'ac02'],
    [16383, 'ff7f'],
    [16384, '808001'],
    [DEFAULT_MAX_FRAME_BYTES, '80808040'],
    [2 ** 32, '8080808010'],
    [Number.MAX_SAFE_INTEGER, 'ffffffffffffff0f'],
  ])('%d encodes as %s', (n, want) => {
    const out = new Uint8Array(10);
    const end = writeUvarint(n, out, 0);
    expect(hex(out.subarray(0, end))).toBe(want);
    expect(uvarintSize(n)).toBe(end);
  });

  it('refuses negative and fractional values', () => {
    expect(() => writeUvarint(-1, new Uint8Array(10), 0)).toThrow(RangeError);
    expect(() => writeUvarint(1.5, new Uint8Array(10), 0)).toThrow(RangeError);
  });
});

describe('FrameDecoder', () => {
  const bodies = [new Uint8Array(0), unhex('1200'), new Uint8Array(127).fill(7), new Uint8Array(128).fill(8), new Uint8Array(70_000).fill(9)];
  const stream = Buffer.concat(bodies.map((b) => encodeFrame(b)));

  it('returns coalesced frames from one chunk, in order', () => {
    const got = new FrameDecoder().push(stream);
    expect(got.map((b) => b.length)).toEqual(bodies.map((b) => b.length));
    got.forEach((b, i) => expect(Buffer.from(b).equals(Buffer.from(bodies[i]))).toBe(true));
  });

  it('reassembles frames fed one byte at a time', () => {
    const d = new FrameDecoder();
    const got: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i++) got.push(...d.push(stream.subarray(i, i + 1)));
    expect(got.map((b) => hex(b))).toEqual(bodies.map((b) => hex(b)));
    expect(d.pendingBytes).toBe(0);
  });

  it('reassembles frames split at every position of a two-chunk stream', () => {
    const small = Buffer.concat([encodeFrame(new Uint8Array(200).fill(1)), encodeFrame(unhex('1200')), encodeFrame(new Uint8Array(0))]);
    for (let cut = 0; cut <= small.length; cut++) {
      const d = new FrameDecoder();
      const got = [...d.push(small.subarray(0, cut)), ...d.push(small.subarray(cut))];
      expect(got.map((b) => b.length)).toEqual([200, 2, 0]);
      expect(got[0].every((x) => x === 1)).toBe(true);
    }
  });

  it('matches the encoder on random frames cut into random chunks', () => {
    const rand = rng(42);
    for (let round = 0; round < 50; round++) {
      const frames = Array.from({ length: 1 + Math.floor(rand() * 20) }, () =>
        Uint8Array.from({ length: Math.floor(rand() ** 3 * 5000) }, () => Math.floor(rand() * 256)),
      );
      const bytes = Buffer.concat(frames.map((f) => encodeFrame(f)));
      const d = new FrameDecoder();
      const got: Uint8Array[] = [];
      let pos = 0;
      while (pos < bytes.length) {
        const n = 1 + Math.floor(rand() * 700);
        got.push(...d.push(bytes.subarray(pos, pos + n)));
        pos += n;
      }
      expect(got.map(hex)).toEqual(frames.map(hex));
    }
  });

  it('rejects a length above the maximum as soon as the prefix shows it, and stays failed', () => {
    const d = new FrameDecoder(1000);
    expect(d.push(encodeFrame(new Uint8Array(1000))).length).toBe(1);
    const err = expectCoded(() => d.push(unhex('e907')), ErrFrameTooLarge); // 1001
    expect(err.message).toContain('1001');
    expectCoded(() => d.push(encodeFrame(new Uint8Array(1))), ErrFrameTooLarge);
    // With continuation bits the decoder does not wait for the rest of the prefix.
    expectCoded(() => new FrameDecoder(1000).push(unhex('ff8f')), ErrFrameTooLarge);
  });

  it('keeps the frames completed before a framing error in the same chunk', () => {
    const frames: Uint8Array[] = [];
    const chunk = Buffer.concat([encodeFrame(unhex('1200')), encodeFrame(unhex('5a00')), new Uint8Array(11).fill(0x80)]);
    expectCoded(() => new FrameDecoder().push(chunk, frames), ErrMalformedLength);
    expect(frames.map(hex)).toEqual(['1200', '5a00']);
  });

  it('rejects the default maximum + 1 (128 MiB + 1) without allocating it', () => {
    const prefix = new Uint8Array(10);
    const end = writeUvarint(DEFAULT_MAX_FRAME_BYTES + 1, prefix, 0);
    expectCoded(() => new FrameDecoder().push(prefix.subarray(0, end)), ErrFrameTooLarge);
  });

  it('rejects a varint with no terminating byte within 10 bytes', () => {
    // Zero-valued continuation bytes keep the value small, so only the length check can stop them.
    expectCoded(() => new FrameDecoder().push(new Uint8Array(11).fill(0x80)), ErrMalformedLength);
    const d = new FrameDecoder();
    for (let i = 0; i < 9; i++) expect(d.push(unhex('80'))).toEqual([]);
    expectCoded(() => d.push(unhex('80')), ErrMalformedLength);
  });

  it('accepts a non-minimal prefix, as Go binary.ReadUvarint does', () => {
    expect(new FrameDecoder().push(unhex('8280001200')).map(hex)).toEqual(['1200']);
  });

  it('holds only the bytes a peer sent, not the length it announced, and releases them', () => {
    const before = process.memoryUsage().arrayBuffers;
    const decoders = Array.from({ length: 20 }, () => new FrameDecoder());
    // Each announces 100 MiB (uvarint 0x80 0x80 0x80 0x32) and sends 16 bytes of it.
    for (const d of decoders) expect(d.push(Buffer.concat([unhex('80808032'), Buffer.alloc(16)]))).toEqual([]);
    expect(decoders.every((d) => d.pendingBytes === 16)).toBe(true);
    // 20 × 100 MiB would be 2 GiB; what is held is the 320 bytes received.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    decoders[0].release();
    expect(decoders[0].pendingBytes).toBe(0);
    // A body completed across chunks is intact.
    const d = new FrameDecoder();
    expect(d.push(unhex('05aabb'))).toEqual([]);
    expect(d.push(unhex('cc')).map(hex)).toEqual([]);
    expect(d.push(unhex('ddee01')).map(hex)).toEqual(['aabbccddee']);
  });

  it('validates its maximum', () => {
    expect(() => new FrameDecoder(-1)).toThrow(RangeError);
    expect(() => new FrameDecoder(1.5)).toThrow(RangeError);
  });
});

describe('strict message decoding', () => {
  it('rejects truncated protobuf, bad wire types and reads past the end', () => {
    expectCoded(() => decodeRequest(unhex('1a05')), ErrUndecodableMessage); // info announces 5 bytes, has none
    expectCoded(() => decodeRequest(unhex('0f')), ErrUndecodableMessage); // field 1, wire type 7
    expectCoded(() => decodeRequest(unhex('ff')), ErrUndecodableMessage); // varint tag cut short
    expectCoded(() => decodeRequest(unhex('0d0102')), ErrUndecodableMessage); // fixed32 with 2 of 4 bytes
  });

  it('needs exactly one known method', () => {
    expectCoded(() => requestMethod(decodeRequest(new Uint8Array(0))), ErrUnknownMethod);
    expectCoded(() => requestMethod(decodeRequest(unhex('2200'))), ErrUnknownMethod); // reserved field 4 (SetOption)
    expectCoded(() => requestMethod(decodeRequest(unhex('12005a00'))), ErrUnknownMethod); // flush and commit
    expectCoded(() => responseMethod(decodeResponse(unhex('0a001a00'))), ErrUnknownMethod); // exception and flush
    expect(responseMethod(decodeResponse(unhex('1a00')))).toBe('flush');
  });
});
