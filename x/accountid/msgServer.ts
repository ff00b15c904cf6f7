/**
 * x/accountid messages. Thin: check the fields, resolve the signer, call one keeper
 * method. `sender` is a bech32 address of any key of the signing account.
 */
import { ErrInvalidAddress } from '../../runtime/errors';
import { msgRoute, type MsgRoute } from '../../runtime/module';
import { TxGas } from '../../runtime/gas';
import { typeUrl } from '../../runtime/descriptors';
import { bech32Account, type AccountIdKeeper } from './keeper';
import {
  MsgAddKey,
  MsgAddKeyResponse,
  MsgLinkWallet,
  MsgLinkWalletResponse,
  MsgRegisterName,
  MsgRegisterNameResponse,
  MsgRemoveKey,
  MsgRemoveKeyResponse,
  MsgTransferName,
  MsgTransferNameResponse,
  MsgUnlinkWallet,
  MsgUnlinkWalletResponse,
} from '../../proto/gen/sekai/accountid/v1/tx';
import { checkRecipientRef, validateUserName } from './names';
import { ErrInvalidKey } from './types/errors';
import { parseWallet } from './wallet';

export const TypeUrls = {
  registerName: typeUrl(MsgRegisterName),
  addKey: typeUrl(MsgAddKey),
  removeKey: typeUrl(MsgRemoveKey),
  linkWallet: typeUrl(MsgLinkWallet),
  unlinkWallet: typeUrl(MsgUnlinkWallet),
  transferName: typeUrl(MsgTransferName),
} as const;

/** The sender must be a kira account address (the key that signs is checked by the ante). */
export function checkSender(sender: string): void {
  try {
    bech32Account(sender);
  } catch {
    throw ErrInvalidAddress.wrap(`sender ${JSON.stringify(sender)} is not a kira account address`);
  }
}

function checkKeyBytes(key: Uint8Array): void {
  if (key.length !== 33 || (key[0] !== 2 && key[0] !== 3)) throw ErrInvalidKey.wrap('a secp256k1 public key is 33 bytes, compressed');
}

export function accountIdMsgs(k: AccountIdKeeper): MsgRoute[] {
  return [
    msgRoute({
      typeUrl: TypeUrls.registerName,
      codec: MsgRegisterName,
      responseTypeUrl: typeUrl(MsgRegisterNameResponse),
      responseCodec: MsgRegisterNameResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        checkSender(m.sender);
        validateUserName(m.name);
      },
      handle: (ctx, m) => {
        k.registerName(ctx, k.resolve(ctx, m.sender), m.name);
        return {};
      },
    }),
    msgRoute({
      typeUrl: TypeUrls.addKey,
      codec: MsgAddKey,
      responseTypeUrl: typeUrl(MsgAddKeyResponse),
      responseCodec: MsgAddKeyResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        checkSender(m.sender);
        checkKeyBytes(m.pubKey);
      },
      handle: (ctx, m) => ({ address: k.addKey(ctx, k.resolve(ctx, m.sender), m.pubKey, m.signature) }),
      // The handler verifies the new key's proof.
      gas: TxGas.perMsg + TxGas.handlerSigVerify,
    }),
    msgRoute({
      typeUrl: TypeUrls.removeKey,
      codec: MsgRemoveKey,
      responseTypeUrl: typeUrl(MsgRemoveKeyResponse),
      responseCodec: MsgRemoveKeyResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        checkSender(m.sender);
        checkKeyBytes(m.pubKey);
      },
      handle: (ctx, m) => {
        k.removeKey(ctx, k.resolve(ctx, m.sender), m.pubKey, k.signingKeys(ctx));
        return {};
      },
    }),
    msgRoute({
      typeUrl: TypeUrls.linkWallet,
      codec: MsgLinkWallet,
      responseTypeUrl: typeUrl(MsgLinkWalletResponse),
      responseCodec: MsgLinkWalletResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        checkSender(m.sender);
        parseWallet(m.wallet);
      },
      handle: (ctx, m) => {
        k.linkWallet(ctx, k.resolve(ctx, m.sender), m.wallet, m.signature);
        return {};
      },
      // The handler verifies the wallet's proof.
      gas: TxGas.perMsg + TxGas.handlerSigVerify,
    }),
    msgRoute({
      typeUrl: TypeUrls.unlinkWallet,
      codec: MsgUnlinkWallet,
      responseTypeUrl: typeUrl(MsgUnlinkWalletResponse),
      responseCodec: MsgUnlinkWalletResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        checkSender(m.sender);
        parseWallet(m.wallet);
      },
      handle: (ctx, m) => {
        k.unlinkWallet(ctx, k.resolve(ctx, m.sender), m.wallet);
        return {};
      },
    }),
    msgRoute({
      typeUrl: TypeUrls.transferName,
      codec: MsgTransferName,
      responseTypeUrl: typeUrl(MsgTransferNameResponse),
      responseCodec: MsgTransferNameResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        checkSender(m.sender);
        checkRecipientRef(m.to);
      },
      handle: (ctx, m) => {
        k.transferName(ctx, k.resolve(ctx, m.sender), k.resolve(ctx, m.to));
        return {};
      },
    }),
  ];
}
