/**
 * Golden vector for the runtime's tx handling: one SIGN_MODE_DIRECT MsgSend, pinned as
 * bytes. The sign bytes and hash are also recomputed with cosmjs (an independent
 * implementation), and the signature verifies against the pinned key.
 */
import { makeSignBytes } from '@cosmjs/proto-signing';
import { sha256 as cosmjsSha256 } from '@cosmjs/crypto';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { verifySecp256k1 } from '../../crypto/secp256k1';
import { decodeTx, directSignBytes, sha256 } from '../../runtime/tx';
import { msgRoute } from '../../runtime/module';

const V = {
  chainId: 'kira-golden-1',
  accountNumber: 42n,
  from: 'kira1qlzg7c43w0x47yg5zp686tyt24902h2zks8xj0',
  to: 'kira1e3szj326xtuphmpn7zw4k3r39yh6n3rjpkxqe9',
  pub: '024a213324525fe5647ccd9a45179f5eff603a3b336e97054a94ddb7eb16665544',
  tx:
    '0a93010a88010a1c2f636f736d6f732e62616e6b2e763162657461312e4d736753656e6412680a2b6b69726131716c7a673763343377307834377967357a70363836747974323439303268327a6b7338786a30122b6b697261316533737a6a33323678747570686d706e377a77346b337233397968366e33726a706b787165391a0c0a04756b65781204313233341206676f6c64656e12650a500a460a1f2f636f736d6f732e63727970746f2e736563703235366b312e5075624b657912230a21024a213324525fe5647ccd9a45179f5eff603a3b336e97054a94ddb7eb1666554412040a020801180712110a0b0a04756b6578120331303010c09a0c1a40d5770510759b8e120d564ef9cce4456f9dd58f062d35811dc536651893ba5a3251aa7bd26d0fb5f40fbcbb2e81f4ea9611273cb00c4ecbad224d178f9979a068',
  hash: 'DEDE4E426DEF91C5AEBB1C1D700074D3DF7FD068786147718063C8CE1F57E181',
  signBytes:
    '0a93010a88010a1c2f636f736d6f732e62616e6b2e763162657461312e4d736753656e6412680a2b6b69726131716c7a673763343377307834377967357a70363836747974323439303268327a6b7338786a30122b6b697261316533737a6a33323678747570686d706e377a77346b337233397968366e33726a706b787165391a0c0a04756b65781204313233341206676f6c64656e12650a500a460a1f2f636f736d6f732e63727970746f2e736563703235366b312e5075624b657912230a21024a213324525fe5647ccd9a45179f5eff603a3b336e97054a94ddb7eb1666554412040a020801180712110a0b0a04756b6578120331303010c09a0c1a0d6b6972612d676f6c64656e2d31202a',
};

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('a pinned MsgSend tx decodes, hashes, signs and verifies as pinned', () => {
  const route = msgRoute({
    typeUrl: MsgSend.typeUrl,
    codec: MsgSend,
    responseTypeUrl: '/cosmos.bank.v1beta1.MsgSendResponse',
    responseCodec: { encode: () => ({ finish: () => new Uint8Array() }), decode: () => ({}) },
    signers: (m) => [m.fromAddress],
    handle: () => ({}),
  });
  const bytes = Buffer.from(V.tx, 'hex');
  const tx = decodeTx(bytes, { msgRoute: (t) => (t === MsgSend.typeUrl ? route : undefined) });
  expect(Buffer.from(tx.hash).toString('hex').toUpperCase()).toBe(V.hash);
  expect(hex(cosmjsSha256(bytes)).toUpperCase()).toBe(V.hash);
  const msg = tx.msgs[0].value as MsgSend;
  expect([msg.fromAddress, msg.toAddress, msg.amount[0].amount, tx.body.memo]).toEqual([V.from, V.to, '1234', 'golden']);
  expect(tx.authInfo.signerInfos[0].sequence).toBe(7n);

  const signBytes = directSignBytes(tx, V.chainId, V.accountNumber);
  expect(hex(signBytes)).toBe(V.signBytes);
  const cosmjs = makeSignBytes({ bodyBytes: tx.raw.bodyBytes, authInfoBytes: tx.raw.authInfoBytes, chainId: V.chainId, accountNumber: V.accountNumber });
  expect(hex(cosmjs)).toBe(V.signBytes);
  expect(verifySecp256k1(Buffer.from(V.pub, 'hex'), sha256(signBytes), tx.raw.signatures[0])).toBe(true);
  expect(verifySecp256k1(Buffer.from(V.pub, 'hex'), sha256(directSignBytes(tx, 'kira-other', V.accountNumber)), tx.raw.signatures[0])).toBe(false);
});
