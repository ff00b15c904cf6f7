/**
 * sekaid-ts commands of x/accountid:
 *   tx accountid register-name <name>
 *   tx accountid add-key <keyring-key>          (the new key signs the add-key proof)
 *   tx accountid remove-key <pubkey-base64 | keyring-key>
 *   tx accountid link-wallet <wallet> <signature-hex>
 *   tx accountid unlink-wallet <wallet>
 *   tx accountid transfer-name <to>
 *   query accountid account <id | name | address | wallet>
 *   query accountid link-wallet-text <account> <wallet>   (what an EVM wallet signs)
 * Message builders are exported for scripts and tests.
 */
import { protoJson } from '../../client/protoJson';
import { Command } from 'commander';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { signSecp256k1 } from '../../crypto/secp256k1';
import { MsgAddKey, MsgLinkWallet, MsgRegisterName, MsgRemoveKey, MsgTransferName, MsgUnlinkWallet } from '../../proto/gen/sekai/accountid/v1/tx';
import { AccountView } from '../../proto/gen/sekai/accountid/v1/account';
import { QueryAccountRequest, QueryAccountResponse } from '../../proto/gen/sekai/accountid/v1/query';
import { chainClient, type CliEnv } from '../../client';
import { TypeUrls } from './msgServer';
import { addKeyProofDigest } from './proof';
import { linkWalletText } from './wallet';

export const buildMsg = {
  registerName: (sender: string, name: string): EncodeObject => ({ typeUrl: TypeUrls.registerName, value: MsgRegisterName.fromPartial({ sender, name }) }),
  /** Signs the add-key proof with the new key's private key. */
  addKey: (sender: string, chainId: string, accountId: bigint, newPub: Uint8Array, newPriv: Uint8Array): EncodeObject => ({
    typeUrl: TypeUrls.addKey,
    value: MsgAddKey.fromPartial({ sender, pubKey: Buffer.from(newPub), signature: Buffer.from(signSecp256k1(newPriv, addKeyProofDigest(chainId, accountId))) }),
  }),
  removeKey: (sender: string, pubKey: Uint8Array): EncodeObject => ({ typeUrl: TypeUrls.removeKey, value: MsgRemoveKey.fromPartial({ sender, pubKey: Buffer.from(pubKey) }) }),
  linkWallet: (sender: string, wallet: string, signature: Uint8Array): EncodeObject => ({ typeUrl: TypeUrls.linkWallet, value: MsgLinkWallet.fromPartial({ sender, wallet, signature: Buffer.from(signature) }) }),
  unlinkWallet: (sender: string, wallet: string): EncodeObject => ({ typeUrl: TypeUrls.unlinkWallet, value: MsgUnlinkWallet.fromPartial({ sender, wallet }) }),
  transferName: (sender: string, to: string): EncodeObject => ({ typeUrl: TypeUrls.transferName, value: MsgTransferName.fromPartial({ sender, to }) }),
};

/** Looks an account up through `/sekai.accountid.v1.Query/Account`. */
export async function queryAccount(env: CliEnv, cmd: Command, ref: string): Promise<AccountView> {
  const client = await chainClient(env, cmd);
  const res = QueryAccountResponse.decode(await client.query('/sekai.accountid.v1.Query/Account', QueryAccountRequest.encode({ ref }).finish()));
  if (!res.account) throw new Error(`no account ${ref}`);
  return res.account;
}

/** An account as `--output json` prints it: every field with its default (id 0, sequence 0), snake_case. */
export function viewJson(a: AccountView): unknown {
  return protoJson(a);
}

export function accountIdTxCommand(env: CliEnv): Command {
  const tx = new Command('accountid').description('Account names, keys and wallets');
  const send = async (cmd: Command, build: (sender: string) => Promise<EncodeObject> | EncodeObject) => {
    const client = await chainClient(env, cmd);
    const from = await client.fromKey();
    const res = await client.broadcast([await build(from.address)]);
    env.print(res);
  };
  tx.command('register-name <name>')
    .description('Name the --from account')
    .action(async (name: string, _o, cmd: Command) => send(cmd, (s) => buildMsg.registerName(s, name)));
  tx.command('add-key <key>')
    .description('Add a keyring key to the --from account; the new key signs the proof')
    .action(async (keyName: string, _o, cmd: Command) =>
      send(cmd, async (s) => {
        const client = await chainClient(env, cmd);
        const key = await env.keyring(cmd).get(keyName);
        const account = await queryAccount(env, cmd, s);
        const chainId = (cmd.optsWithGlobals() as { chainId?: string }).chainId;
        if (!chainId) throw new Error('--chain-id is required: the proof names the chain');
        return buildMsg.addKey(s, chainId, account.id, key.pubKey, await client.privateKey(key.name));
      }),
    );
  tx.command('remove-key <key>')
    .description('Remove a key (base64 public key or keyring key name) from the --from account')
    .action(async (key: string, _o, cmd: Command) =>
      send(cmd, async (s) => {
        const raw = Buffer.from(key, 'base64');
        const pub = raw.length === 33 ? raw : (await env.keyring(cmd).get(key)).pubKey;
        return buildMsg.removeKey(s, pub);
      }),
    );
  tx.command('link-wallet <wallet> <signature>')
    .description('Link an external wallet; signature = the wallet\'s personal_sign of `query accountid link-wallet-text` (hex)')
    .action(async (wallet: string, sig: string, _o, cmd: Command) => send(cmd, (s) => buildMsg.linkWallet(s, wallet, Buffer.from(sig.replace(/^0x/, ''), 'hex'))));
  tx.command('unlink-wallet <wallet>')
    .description('Unlink an external wallet')
    .action(async (wallet: string, _o, cmd: Command) => send(cmd, (s) => buildMsg.unlinkWallet(s, wallet)));
  tx.command('transfer-name <to>')
    .description('Give the --from account\'s name to another account (id, name or address)')
    .action(async (to: string, _o, cmd: Command) => send(cmd, (s) => buildMsg.transferName(s, to)));
  return tx;
}

export function accountIdQueryCommand(env: CliEnv): Command {
  const q = new Command('accountid').description('Query accounts');
  q.command('account <ref>')
    .description('An account by id, name, address or wallet')
    .action(async (ref: string, _o, cmd: Command) => {
      const a = await queryAccount(env, cmd, ref);
      env.print(viewJson(a));
    });
  q.command('link-wallet-text <account> <wallet>')
    .description('The text an EVM wallet signs (personal_sign) to link itself')
    .action(async (ref: string, wallet: string, _o, cmd: Command) => {
      const a = await queryAccount(env, cmd, ref);
      const chainId = (cmd.optsWithGlobals() as { chainId?: string }).chainId;
      if (!chainId) throw new Error('--chain-id is required');
      env.print({ text: linkWalletText(chainId, a.id, wallet) });
    });
  q.commands.forEach((c) => c.option('--chain-id <id>', 'chain id (link-wallet-text)'));
  return q;
}
