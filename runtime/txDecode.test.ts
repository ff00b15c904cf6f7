import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxBody } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { decodeAuthInfo, decodeTxBody } from './txDecode';
import { expectSame, mutate, rng } from '../test/fixtures/decodeEquivalence';

function sampleBody(r: () => number): Uint8Array {
  const n = 1 + Math.floor(r() * 3);
  return TxBody.encode(
    TxBody.fromPartial({
      messages: Array.from({ length: n }, (_, i) => ({ typeUrl: `/cosmos.bank.v1beta1.MsgSend${i}`, value: Uint8Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 256)) })),
      memo: r() < 0.5 ? '' : r() < 0.8 ? 'hello' : 'naïve ✓',
      timeoutHeight: r() < 0.5 ? 0n : BigInt(Math.floor(r() * 2 ** 40)),
      unordered: r() < 0.2,
      timeoutTimestamp: r() < 0.1 ? { seconds: 5n, nanos: 1 } : undefined,
      extensionOptions: r() < 0.05 ? [{ typeUrl: '/x.Ext', value: new Uint8Array([1]) }] : [],
    }),
  ).finish();
}

function sampleAuthInfo(r: () => number): Uint8Array {
  const n = 1 + Math.floor(r() * 2);
  return AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: Array.from({ length: n }, () => ({
        publicKey: r() < 0.9 ? { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: Uint8Array.from({ length: 33 }, () => Math.floor(r() * 256)) }).finish() } : undefined,
        modeInfo: r() < 0.9 ? { single: { mode: r() < 0.9 ? SignMode.SIGN_MODE_DIRECT : SignMode.SIGN_MODE_LEGACY_AMINO_JSON } } : { multi: { modeInfos: [{ single: { mode: 1 } }] } },
        sequence: BigInt(Math.floor(r() * 2 ** 45)),
      })),
      fee: r() < 0.9 ? { amount: [{ denom: 'ukex', amount: String(Math.floor(r() * 1e6)) }], gasLimit: BigInt(Math.floor(r() * 1e7)), payer: r() < 0.1 ? 'kira1payer' : '', granter: '' } : undefined,
      tip: r() < 0.05 ? { amount: [], tipper: 'kira1tipper' } : undefined,
    }),
  ).finish();
}

describe('fast TxBody / AuthInfo decoding equals the generated decoders', () => {
  test('the usual wallet shape never reaches the generated decoders', () => {
    const body = jest.spyOn(TxBody, 'decode');
    const auth = jest.spyOn(AuthInfo, 'decode');
    try {
      const bytes = TxBody.encode(TxBody.fromPartial({ messages: [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: new Uint8Array([10, 1, 97]) }], memo: 'm', timeoutHeight: 9n })).finish();
      const info = AuthInfo.encode(
        AuthInfo.fromPartial({
          signerInfos: [{ publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: new Uint8Array([10, 33, ...new Array<number>(33).fill(2)]) }, modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } }, sequence: 3n }],
          fee: { amount: [{ denom: 'ukex', amount: '100' }], gasLimit: 200000n },
        }),
      ).finish();
      expect(decodeTxBody(bytes).timeoutHeight).toBe(9n);
      expect(decodeAuthInfo(info).signerInfos[0].sequence).toBe(3n);
      expect(body).not.toHaveBeenCalled();
      expect(auth).not.toHaveBeenCalled();
      // A multisig mode info is left to the generated decoder.
      decodeAuthInfo(AuthInfo.encode(AuthInfo.fromPartial({ signerInfos: [{ modeInfo: { multi: { modeInfos: [] } } }] })).finish());
      expect(auth).toHaveBeenCalledTimes(1);
    } finally {
      body.mockRestore();
      auth.mockRestore();
    }
  });

  test('on valid encodings of every supported and unsupported shape', () => {
    const r = rng(7);
    for (let i = 0; i < 2_000; i++) {
      expectSame(sampleBody(r), decodeTxBody, (b) => TxBody.decode(b));
      expectSame(sampleAuthInfo(r), decodeAuthInfo, (b) => AuthInfo.decode(b));
    }
  });

  test('on 16 000 mutated encodings (same value or both refuse)', () => {
    const r = rng(11);
    for (let i = 0; i < 8_000; i++) {
      let body = sampleBody(r);
      let auth = sampleAuthInfo(r);
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
        body = mutate(body, r);
        auth = mutate(auth, r);
      }
      expectSame(body, decodeTxBody, (b) => TxBody.decode(b));
      expectSame(auth, decodeAuthInfo, (b) => AuthInfo.decode(b));
    }
  });

  test('edge encodings: non-minimal varints, repeated scalars, wrong wire types, long varints', () => {
    const cases: number[][] = [
      [0x12, 0x01, 0x41, 0x12, 0x01, 0x42], // memo twice: the last wins
      [0x18, 0x81, 0x80, 0x00], // timeout_height as a non-minimal varint
      [0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // 2^64-1
      [0x1a, 0x00], // timeout_height with wire type 2
      [0x20, 0x02], // unordered = 2
      [0x0a, 0x00], // an empty Any
      [0x92, 0x01, 0x00], // field 18, unknown
      [0x00], // field 0
    ];
    for (const c of cases) expectSame(Uint8Array.from(c), decodeTxBody, (b) => TxBody.decode(b));
    const auth: number[][] = [
      [0x0a, 0x04, 0x12, 0x02, 0x0a, 0x00], // mode_info.single empty
      [0x0a, 0x06, 0x12, 0x04, 0x0a, 0x02, 0x08, 0x7f], // mode 127
      [0x0a, 0x0b, 0x12, 0x09, 0x0a, 0x07, 0x08, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00], // mode 2^32-1 plus junk
      [0x12, 0x00, 0x12, 0x00], // fee twice
      [0x12, 0x03, 0x10, 0x80, 0x00], // gas limit non-minimal
    ];
    for (const c of auth) expectSame(Uint8Array.from(c), decodeAuthInfo, (b) => AuthInfo.decode(b));
  });
});
