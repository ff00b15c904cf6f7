/**
 * The validator CLI: the exact command lines of KIRA's documentation parse, build the
 * right messages for the --from account, and scripts/km.sh calls sekaid-ts with them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { txRoot, queryRoot } from '../../cmd/sekaid-ts/root';
import { MsgPause, MsgActivate } from '../../proto/gen/sekai/slashing/v1/tx';
import { MsgClaimValidator, MsgInitCommissionChange } from '../../proto/gen/sekai/staking/v1/tx';
import { QueryValidatorRequest, QueryValidatorResponse } from '../../proto/gen/sekai/staking/v1/query';
import { ValidatorStatus } from '../../proto/gen/sekai/staking/v1/staking';
import { ed25519ToCosmosJson } from '../../crypto/keys';
import type { CliEnv, EncodedMsg } from '../../client';
import type { Keyring } from '../../keyring';
import { stakingQueryCommand, stakingTxCommand } from '../../x/customstaking';
import { slashingTxCommand } from '../../x/customslashing';
import { operator } from './harness';

const ACCOUNT = operator(0, 0n);

function cli() {
  const sent: EncodedMsg[][] = [];
  const printed: unknown[] = [];
  const queries: { path: string; data: Uint8Array }[] = [];
  // The keyring knows one key; the client records what it would broadcast and answers every query with a PAUSED validator.
  const keyring = { get: async (name: string) => ({ address: name === 'validator' ? ACCOUNT.address : 'kira1unknown' }) } as unknown as Keyring;
  const env: CliEnv = {
    print: (v) => void printed.push(v),
    keyring: () => keyring,
    chainClient: async () => ({
      fromKey: async () => ({ name: 'validator', address: ACCOUNT.address, pubKey: new Uint8Array(33) }),
      privateKey: async () => new Uint8Array(32),
      broadcast: async (msgs) => {
        sent.push(msgs as EncodedMsg[]);
        return { code: 0, transactionHash: 'AB', height: 1 };
      },
      query: async (path, data) => {
        queries.push({ path, data });
        return QueryValidatorResponse.encode({
          validator: {
            ...QueryValidatorResponse.fromPartial({ validator: {} }).validator!,
            valKey: Buffer.from(ACCOUNT.valKeyBytes),
            pubKey: Buffer.from(ACCOUNT.consPub),
            status: ValidatorStatus.PAUSED,
            rank: 42n,
          },
        }).finish();
      },
    }),
  };
  const program = new Command('sekaid-ts')
    .exitOverride()
    .option('--home <dir>')
    .option('--log_format <f>')
    .option('-o, --output <f>');
  const tx = txRoot();
  tx.addCommand(slashingTxCommand(env));
  tx.addCommand(stakingTxCommand(env));
  const q = queryRoot();
  q.addCommand(stakingQueryCommand(env));
  program.addCommand(tx);
  program.addCommand(q);
  const run = (line: string) => program.parseAsync(['node', 'sekaid-ts', ...line.split(' ').filter(Boolean)]);
  return { run, sent, printed, queries };
}

const SEED_FLAGS = '--from validator --chain-id=testnet-1 --keyring-backend=test --home=/tmp/h --fees 100ukex --yes --broadcast-mode=async --log_format=json --output=json';

test.each(['pause', 'unpause', 'activate'])('tx customslashing %s, exactly as the documentation types it', async (name) => {
  const c = cli();
  await c.run(`tx customslashing ${name} ${SEED_FLAGS}`);
  expect(c.sent).toHaveLength(1);
  expect(c.sent[0][0].typeUrl).toBe(`/sekai.slashing.v1.Msg${name[0].toUpperCase()}${name.slice(1)}`);
  expect((name === 'activate' ? MsgActivate : MsgPause).decode(c.sent[0][0].value)).toEqual({ sender: ACCOUNT.address, valKey: '' });
});

test('claim-validator-seat takes --pubkey as Cosmos JSON; commission init carries the rate', async () => {
  const c = cli();
  const pub = JSON.stringify(ed25519ToCosmosJson(ACCOUNT.consPub));
  // The pubkey JSON has no spaces, so it is one argv element here as in a quoted shell word.
  await c.run(`tx customstaking claim-validator-seat --moniker alpha --pubkey ${pub} ${SEED_FLAGS}`);
  const claim = MsgClaimValidator.decode(c.sent[0][0].value);
  expect([claim.sender, claim.moniker, Buffer.from(claim.pubKey).equals(Buffer.from(ACCOUNT.consPub))]).toEqual([ACCOUNT.address, 'alpha', true]);
  await c.run(`tx customstaking commission init --rate 0.05 ${SEED_FLAGS}`);
  expect(MsgInitCommissionChange.decode(c.sent[1][0].value).rate).toBe('0.05');
});

test('query customstaking validator prints sekai\'s JSON shape', async () => {
  const c = cli();
  await c.run(`query customstaking validator --addr ${ACCOUNT.address}`);
  expect(QueryValidatorRequest.decode(c.queries[0].data).addr).toBe(ACCOUNT.address);
  expect(c.printed[0]).toMatchObject({
    val_key: ACCOUNT.valAddr,
    pub_key: { '@type': '/cosmos.crypto.ed25519.PubKey', key: Buffer.from(ACCOUNT.consPub).toString('base64') },
    status: 'PAUSED',
    rank: '42',
    streak: '0',
  });
  await expect(c.run('query customstaking validator')).rejects.toThrow('exactly one of');
});

test('scripts/km.sh calls sekaid-ts with the documented lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'km-'));
  try {
    const stub = join(dir, 'sekaid-ts');
    writeFileSync(stub, '#!/usr/bin/env bash\necho "$*"\n', { mode: 0o755 });
    const sh = (fn: string) =>
      execFileSync('bash', ['-c', `. scripts/km.sh && ${fn}`], {
        cwd: join(__dirname, '..', '..'),
        env: { ...process.env, SEKAID_BIN: stub, NETWORK_NAME: 'testnet-1', SEKAID_HOME: '/h' },
        encoding: 'utf8',
      }).trim();
    const flags = '--from acc --chain-id=testnet-1 --keyring-backend=test --home=/h --fees 100ukex --yes --broadcast-mode=async --log_format=json --output=json';
    expect(sh('pauseValidator acc')).toBe(`tx customslashing pause ${flags}`);
    expect(sh('unpauseValidator acc')).toBe(`tx customslashing unpause ${flags}`);
    expect(sh('activateValidator acc')).toBe(`tx customslashing activate ${flags}`);
    expect(sh('resetRanks acc')).toBe(`tx customslashing proposal-reset-whole-validator-rank --title=Ranks reset --description=Reseting ranks or all validator nodes ${flags}`);
    expect(sh(`showValidator ${ACCOUNT.valAddr}`)).toBe(`query customstaking validator --val-addr=${ACCOUNT.valAddr} --output=json --home=/h`);
    expect(sh(`showValidator ${ACCOUNT.address}`)).toBe(`query customstaking validator --addr=${ACCOUNT.address} --output=json --home=/h`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
