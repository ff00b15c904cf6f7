/**
 * `keys add | list | show | delete | rename | export | import | import-hex`, as the Cosmos SDK CLI
 * has them, and `keys import-file-keyring`, which takes every key of a Cosmos SDK `file` or
 * `test` keyring directory (keyring/sdkFileKeyring.ts).
 */
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { CLIENT_KEYRING_BACKENDS } from '../../node/config';
import { ErrKeyExists, decodeAddress, looksLikeAddress, readSdkKeyring, toBech, type BechKind, type KeyInfo } from '../../keyring';
import { fromClientToml } from './clientSettings';
import type { SekaidEnv } from './env';
import { ErrUsage } from './errors';

export const ARMOR_PASSPHRASE_ENV = 'SEKAID_ARMOR_PASSPHRASE';
export const SDK_KEYRING_PASSPHRASE_ENV = 'SEKAID_SDK_KEYRING_PASSPHRASE';

/** The Cosmos SDK's key JSON: pubkey is itself a JSON string of the Any. */
export interface KeyOutput {
  name: string;
  type: 'local';
  address: string;
  pubkey: string;
  mnemonic?: string;
}

export function keyOutput(info: KeyInfo, bech: BechKind = 'acc'): KeyOutput {
  return {
    name: info.name,
    type: 'local',
    address: toBech(bech, info.addressBytes),
    pubkey: JSON.stringify({ '@type': '/cosmos.crypto.secp256k1.PubKey', key: Buffer.from(info.pubKey).toString('base64') }),
  };
}

/** Adds --keyring-backend and --keyring-passphrase to a command that uses the keyring. */
export function withKeyringFlags(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--keyring-backend <backend>',
        `keyring backend: file (encrypted) | test (plaintext, development only); os is not supported (default: $SEKAID_KEYRING_BACKEND, else ${fromClientToml('keyring-backend', 'file')})`,
      ).choices([...CLIENT_KEYRING_BACKENDS]),
    )
    .option('--keyring-passphrase <passphrase>', 'passphrase of the file keyring (or $SEKAID_KEYRING_PASSPHRASE, or asked on the terminal)');
}

function bechOf(text: string | undefined): BechKind {
  const bech = text ?? 'acc';
  if (bech !== 'acc' && bech !== 'val' && bech !== 'cons') throw ErrUsage.wrap(`--bech must be acc, val or cons, got "${bech}"`);
  return bech;
}

async function armorPassphrase(env: SekaidEnv, flag: string | undefined, prompt: string): Promise<string> {
  return flag ?? (process.env[ARMOR_PASSPHRASE_ENV] || env.readLine(prompt));
}

async function confirm(env: SekaidEnv, yes: boolean | undefined, question: string): Promise<void> {
  if (yes) return;
  const answer = (await env.readLine(`${question} [y/N]: `)).trim().toLowerCase();
  if (answer !== 'y' && answer !== 'yes') throw ErrUsage.wrap('aborted (pass --yes to skip the question)');
}

export function keysCommand(env: SekaidEnv): Command {
  const keys = new Command('keys').description('Manage account keys (secp256k1, BIP39 mnemonics, bech32 prefix kira)');

  withKeyringFlags(
    keys
      .command('add')
      .description('Create a key from a new 24-word mnemonic, or recover one with --recover (mnemonic read from stdin)')
      .argument('<name>', 'key name')
      .option('--recover', 'read a BIP39 mnemonic from stdin instead of generating one')
      .option('--hd-path <path>', "BIP32 derivation path", "m/44'/118'/0'/0/0")
      .option('--no-backup', 'do not print the new mnemonic'),
  ).action(async (name: string, opts: { recover?: boolean; hdPath: string; backup: boolean }, cmd: Command) => {
    const kr = env.keyring(cmd);
    if (opts.recover) {
      const mnemonic = await env.readLine('Enter your bip39 mnemonic: ');
      const info = await kr.recover(name, mnemonic, { hdPath: opts.hdPath });
      env.print(keyOutput(info));
      return;
    }
    const created = await kr.add(name, { hdPath: opts.hdPath });
    if (env.output() === 'json') {
      env.print({ ...keyOutput(created), ...(opts.backup ? { mnemonic: created.mnemonic } : {}) });
      return;
    }
    // As the SDK: the key as YAML on stdout, the mnemonic and its warning on stderr.
    env.print(keyOutput(created));
    if (opts.backup) {
      process.stderr.write(
        `\n**Important** write this mnemonic phrase in a safe place.\nIt is the only way to recover your account if you ever forget your password.\n\n${created.mnemonic}\n`,
      );
    }
  });

  withKeyringFlags(keys.command('list').description('List all keys')).action(async (_opts: unknown, cmd: Command) => {
    const all = (await env.keyring(cmd).list()).map((k) => keyOutput(k));
    env.print(all);
  });

  withKeyringFlags(
    keys
      .command('show')
      .description('Show a key by name or address')
      .argument('<name-or-address>')
      .option('-a, --address', 'print the address only')
      .option('-p, --pubkey', 'print the public key only')
      .option('--bech <kind>', 'address kind: acc | val | cons', 'acc'),
  ).action(async (nameOrAddress: string, opts: { address?: boolean; pubkey?: boolean; bech: string }, cmd: Command) => {
    const bech = bechOf(opts.bech);
    if (opts.address && opts.pubkey) throw ErrUsage.wrap('--address and --pubkey cannot be used together');
    const out = keyOutput(await env.keyring(cmd).get(nameOrAddress), bech);
    if (opts.address) process.stdout.write(out.address + '\n');
    else if (opts.pubkey) process.stdout.write(out.pubkey + '\n');
    else env.print(out);
  });

  withKeyringFlags(
    keys.command('delete').description('Delete a key').argument('<name>').option('-y, --yes', 'do not ask for confirmation'),
  ).action(async (name: string, opts: { yes?: boolean }, cmd: Command) => {
    const kr = env.keyring(cmd);
    await kr.get(name);
    await confirm(env, opts.yes, `Key reference "${name}" will be deleted. Continue?`);
    await kr.delete(name);
    process.stderr.write('Key deleted forever (uh oh!)\n');
  });

  withKeyringFlags(
    keys.command('rename').description('Rename a key').argument('<old-name>').argument('<new-name>').option('-y, --yes', 'do not ask for confirmation'),
  ).action(async (from: string, to: string, opts: { yes?: boolean }, cmd: Command) => {
    const kr = env.keyring(cmd);
    await kr.get(from);
    await confirm(env, opts.yes, `Key reference "${from}" will be renamed to "${to}". Continue?`);
    await kr.rename(from, to);
    process.stderr.write(`Key was successfully renamed from ${from} to ${to}\n`);
  });

  withKeyringFlags(
    keys
      .command('export')
      .description("Export a private key in the Cosmos SDK's armor (bcrypt + xsalsa20poly1305), readable by `sekaid keys import`")
      .argument('<name>')
      .option('--armor-passphrase <passphrase>', `passphrase to encrypt the export (or $${ARMOR_PASSPHRASE_ENV}, or asked)`)
      .option('--unarmored-hex', 'print the raw private key as hex (needs --unsafe)')
      .option('--unsafe', 'allow --unarmored-hex'),
  ).action(async (name: string, opts: { armorPassphrase?: string; unarmoredHex?: boolean; unsafe?: boolean }, cmd: Command) => {
    const kr = env.keyring(cmd);
    if (opts.unarmoredHex) {
      if (!opts.unsafe) throw ErrUsage.wrap('--unarmored-hex prints the private key in the clear; add --unsafe to confirm');
      process.stdout.write((await kr.exportPrivateKeyHex(name)) + '\n');
      return;
    }
    await kr.get(name);
    const passphrase = await armorPassphrase(env, opts.armorPassphrase, 'Enter passphrase to encrypt the exported key: ');
    process.stdout.write((await kr.export(name, passphrase)) + '\n');
  });

  withKeyringFlags(
    keys
      .command('import')
      .description('Import an armored private key written by `keys export` here or by any Cosmos SDK chain (`sekaid keys export`)')
      .argument('<name>')
      .argument('<keyfile>', 'file holding the armored key')
      .option('--armor-passphrase <passphrase>', `passphrase the export was encrypted with (or $${ARMOR_PASSPHRASE_ENV}, or asked)`),
  ).action(async (name: string, file: string, opts: { armorPassphrase?: string }, cmd: Command) => {
    let armored: string;
    try {
      armored = readFileSync(file, 'utf8');
    } catch {
      throw ErrUsage.wrap(`cannot read key file ${file}`);
    }
    const passphrase = await armorPassphrase(env, opts.armorPassphrase, 'Enter passphrase to decrypt your key: ');
    const info = await env.keyring(cmd).import(name, armored, passphrase);
    env.print(keyOutput(info));
  });

  withKeyringFlags(
    keys
      .command('import-file-keyring')
      .description(
        "Import the keys of a Cosmos SDK file or test keyring directory (e.g. ~/.sekaid/keyring-file) under their names; Ledger, offline and multisig entries are skipped",
      )
      .argument('<dir>', "the SDK home's keyring-file or keyring-test directory")
      .argument('[names...]', 'only these keys (default: every key with a private key)')
      .option('--source-passphrase <passphrase>', `passphrase of the SDK file keyring (or $${SDK_KEYRING_PASSPHRASE_ENV}, or asked; a test keyring needs none)`),
  ).action(async (dir: string, names: string[], opts: { sourcePassphrase?: string }, cmd: Command) => {
    const entries = await readSdkKeyring(dir, {
      passphrase: async () => opts.sourcePassphrase ?? (process.env[SDK_KEYRING_PASSPHRASE_ENV] || env.readLine('Enter the passphrase of the Cosmos SDK keyring: ')),
    });
    const missing = names.filter((n) => !entries.some((e) => e.name === n));
    if (missing.length > 0) throw ErrUsage.wrap(`no key named ${missing.join(', ')} in ${dir} (it holds ${entries.map((e) => e.name).join(', ')})`);
    const chosen = names.length > 0 ? entries.filter((e) => names.includes(e.name)) : entries;
    const kr = env.keyring(cmd);
    const existing = (await kr.list()).map((k) => k.name);
    const clash = chosen.filter((e) => e.privateKey && existing.includes(e.name)).map((e) => e.name);
    if (clash.length > 0) throw ErrKeyExists.wrap(`${clash.join(', ')} already in the ${kr.backend} keyring; delete or rename them, or name the keys to import`);
    const imported: KeyOutput[] = [];
    for (const e of chosen) {
      if (!e.privateKey) {
        process.stderr.write(`skipped ${e.name}: ${e.unsupported ?? 'no private key'}\n`);
        continue;
      }
      imported.push(keyOutput(await kr.importPrivateKey(e.name, e.privateKey)));
    }
    env.print(imported);
  });

  withKeyringFlags(
    keys.command('import-hex').description('Import a raw secp256k1 private key given as hex').argument('<name>').argument('<hex>'),
  ).action(async (name: string, hex: string, _opts: unknown, cmd: Command) => {
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(hex)) throw ErrUsage.wrap('the private key must be 32 bytes of hex');
    const info = await env.keyring(cmd).importPrivateKey(name, Buffer.from(hex.replace(/^0x/, ''), 'hex'));
    env.print(keyOutput(info));
  });

  return keys;
}

/** Resolves a key name or bech32 address (kira… or kiravaloper…) to an account address. */
export async function resolveAccount(env: SekaidEnv, cmd: Command, keyOrAddress: string): Promise<string> {
  if (looksLikeAddress(keyOrAddress)) {
    const { kind, bytes } = decodeAddress(keyOrAddress);
    if (kind === 'cons') throw ErrUsage.wrap(`${keyOrAddress} is a consensus address, not an account`);
    return toBech('acc', bytes);
  }
  return (await env.keyring(cmd).get(keyOrAddress)).address;
}
