import { toBech32 } from '@cosmjs/encoding';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appModules } from '../../app/app';
import { cli, ok, oneLineError, readJson, removeDir, tempDir } from './cli';

// Each step spawns a CLI process (about 1 s on an idle machine, several under load).
jest.setTimeout(180_000);
/** Genesis edits of a module are only possible once the app includes it. */
const withModules = (...names: string[]) => (names.every((n) => appModules().modules.some((m) => m.name === n)) ? test : test.skip);


let dir: string;
let home: string;
const h = (...args: string[]) => [...args, '--home', home];
const genesis = () => readJson(join(home, 'config/genesis.json'));

beforeAll(async () => {
  dir = tempDir('cli-genesis-');
  home = join(dir, 'node');
  await ok(h('init', 'val-node', '--chain-id', 'kira-gen-1', '--keyring-backend', 'test'));
});
afterAll(() => removeDir(dir));

describe('sekaid-ts genesis', () => {
  let address: string;

  test('add-genesis-account by key name and by address; balances add up, supply follows', async () => {
    address = JSON.parse((await ok(h('keys', 'add', 'val', '-o', 'json'))).stdout).address;
    await ok(h('add-genesis-account', 'val', '1000ukex'));
    await ok(h('genesis', 'add-genesis-account', address, '500ukex,7utest'));
    const other = toBech32('kira', new Uint8Array(20).fill(7));
    await ok(h('add-genesis-account', other, '1ukex'));
    const g = genesis();
    expect(g.app_state.accountid.accounts).toEqual([
      { address, account_number: '0' },
      { address: other, account_number: '1' },
    ]);
    const mine = g.app_state.bank.balances.find((b: { address: string }) => b.address === address);
    expect(mine.coins).toEqual([
      { denom: 'ukex', amount: '1500' },
      { denom: 'utest', amount: '7' },
    ]);
    expect(g.app_state.bank.supply).toEqual([
      { denom: 'ukex', amount: '1501' },
      { denom: 'utest', amount: '7' },
    ]);
    expect(oneLineError(await cli(h('add-genesis-account', 'val', '12')))).toMatch(/invalid coins/);
    expect(oneLineError(await cli(h('add-genesis-account', 'nobody', '1ukex')))).toMatch(/no key named "nobody"/);
  });

  withModules('customstaking', 'customgov')('gentx-claim makes the key a genesis validator with the home consensus key and sudo', async () => {
    await ok(h('gentx-claim', 'val', '--moniker', 'first'));
    const g = genesis();
    const pv = readJson(join(home, 'config/priv_validator_key.json'));
    expect(g.validators).toHaveLength(1);
    const pub = Buffer.from(g.validators[0].pub_key.value, 'base64');
    expect(g.validators[0].pub_key.value).toBe(pv.pub_key.value);
    expect(g.validators[0].address).toBe(createHash('sha256').update(pub).digest().subarray(0, 20).toString('hex').toUpperCase());
    expect(g.validators[0].power).toBe('1');
    expect(g.validators[0].name).toBe('first');
    const valoper = (await ok(h('keys', 'show', 'val', '-a', '--bech', 'val'))).stdout.trim();
    expect(g.app_state.customstaking.validators).toEqual([
      {
        val_key: valoper,
        pub_key: { '@type': '/cosmos.crypto.ed25519.PubKey', key: pv.pub_key.value },
        status: 'ACTIVE',
        rank: '0',
        streak: '0',
        moniker: 'first',
        address,
      },
    ]);
    const actor = g.app_state.customgov.network_actors.find((a: { address: string }) => a.address === address);
    expect(actor.roles).toEqual(['1']);
    expect(actor.status).toBe('ACTIVE');
    expect(g.app_state.customgov.identity_records[0]).toMatchObject({ address, key: 'moniker', value: 'first' });
    // The same consensus key cannot be claimed twice (a duplicate halted a KIRA testnet).
    expect(oneLineError(await cli(h('gentx-claim', 'val')))).toMatch(/already a genesis validator/);
    await ok(h('genesis', 'validate'));
  });

  withModules('customgov')('set-network-property and whitelist-permission', async () => {
    await ok(h('genesis', 'set-network-property', 'MIN_TX_FEE', '250'));
    await ok(h('genesis', 'set-network-property', 'vote_quorum', '0.5'));
    await ok(h('genesis', 'set-network-property', 'ENABLE_TOKEN_WHITELIST', 'true'));
    // customgov's editor stores canonical text; the other properties keep their defaults.
    expect(genesis().app_state.customgov.network_properties).toMatchObject({
      min_tx_fee: '250',
      vote_quorum: '0.500000000000000000',
      enable_token_whitelist: 'true',
    });
    expect(oneLineError(await cli(h('genesis', 'set-network-property', 'NO_SUCH_THING', '1')))).toMatch(/"NO_SUCH_THING": unknown network property/);
    expect(oneLineError(await cli(h('genesis', 'set-network-property', 'MIN_TX_FEE', '-3')))).toMatch(/MIN_TX_FEE takes an unsigned integer/);

    await ok(h('genesis', 'whitelist-permission', 'val', 'PERMISSION_CLAIM_COUNCILOR'));
    await ok(h('genesis', 'whitelist-permission', address, '2'));
    await ok(h('genesis', 'whitelist-permission', 'val', '2'));
    const actor = genesis().app_state.customgov.network_actors.find((a: { address: string }) => a.address === address);
    expect(actor.permissions.whitelist).toEqual([2, 3]);
    expect(oneLineError(await cli(h('genesis', 'whitelist-permission', 'val', 'PERMISSION_FLY')))).toMatch(/unknown permission/);
  });

  // Uses the validator the gentx-claim test added.
  withModules('customstaking', 'customgov')('genesis validate names the field CometBFT would refuse', async () => {
    const bad = { ...genesis(), chain_id: 'c'.repeat(51) };
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    expect(oneLineError(await cli(h('genesis', 'validate', file)))).toMatch(/chain_id: must be at most 50 characters/);

    const g = genesis();
    g.validators[0].address = '00'.repeat(20);
    writeFileSync(file, JSON.stringify(g));
    expect(oneLineError(await cli(h('genesis', 'validate', file)))).toMatch(/validators\[0\]\.address: .* is not sha256\(pub_key\)\[:20\]/);

    const g2 = genesis();
    g2.consensus_params.block.max_bytes = '0';
    writeFileSync(file, JSON.stringify(g2));
    expect(oneLineError(await cli(h('genesis', 'validate', file)))).toMatch(/block\.max_bytes: must be -1 or greater than 0/);

    writeFileSync(file, '{ not json');
    expect(oneLineError(await cli(h('genesis', 'validate', file)))).toMatch(/malformed file/);
  });
});
