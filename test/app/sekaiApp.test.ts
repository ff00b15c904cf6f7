/**
 * The wired app accepts the genesis the CLI writes: `init` + `add-genesis-account` +
 * `gentx-claim` produce a genesis.json whose InitChain returns the claimed validator with
 * power 1 (the same key genesis.json lists for CometBFT), and the claiming account holds
 * the sudo role, whose default permissions are every defined one but 7 (PermChangeTxFee).
 */
import { join } from 'node:path';
import { createApp, type SekaiApp } from '../../app/app';
import { ok, readJson, removeDir, tempDir } from '../cli/cli';

jest.setTimeout(120_000);

let home: string;
let sekai: SekaiApp | undefined;

afterAll(async () => {
  await sekai?.app.close();
  if (home) removeDir(home);
});

it('InitChain accepts the CLI genesis: validator power 1 matching genesis.json, sudo held by the claimer', async () => {
  home = tempDir('sekai-app-');
  const h = (...a: string[]) => [...a, '--home', home, '--keyring-backend', 'test', '--output', 'json'];
  await ok(['init', 'n', '--chain-id', 'app-1', '--home', home]);
  const address = JSON.parse((await ok(h('keys', 'add', 'val'))).stdout).address as string;
  await ok(h('add-genesis-account', 'val', '1000ukex'));
  await ok(h('gentx-claim', 'val', '--moniker', 'first'));
  const doc = readJson(join(home, 'config', 'genesis.json'));

  sekai = await createApp({ dbDir: join(home, 'state') });
  const res = sekai.app.initChain({
    chainId: doc.chain_id,
    time: { seconds: 1n, nanos: 0 },
    initialHeight: 1n,
    appStateBytes: new TextEncoder().encode(JSON.stringify(doc.app_state)),
    validators: [],
  });
  expect(res.validators).toHaveLength(1);
  expect(res.validators[0].power).toBe(1n);
  expect(Buffer.from(res.validators[0].pubKey!.ed25519!).toString('base64')).toBe(doc.validators[0].pub_key.value);
  expect(doc.validators).toHaveLength(1);
  expect(doc.validators[0].power).toBe('1');

  sekai.app.finalizeBlock({ height: 1n, time: { seconds: 2n, nanos: 0 }, txs: [], decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), proposerAddress: new Uint8Array(20), nextValidatorsHash: new Uint8Array(32) });
  await sekai.app.commit();
  const gov = sekai.app.exportGenesis(1).customgov as {
    roles: { id: number; sid: string; permissions: { whitelist: number[] } }[];
    network_actors: { address: string; roles: string[] }[];
  };
  const sudo = gov.roles.find((r) => r.sid === 'sudo')!;
  expect(sudo.id).toBe(1);
  expect(sudo.permissions.whitelist).not.toContain(7);
  expect(sudo.permissions.whitelist).toEqual(expect.arrayContaining([1, 2, 26, 27, 69, 70, 71]));
  expect(gov.network_actors.find((a) => a.address === address)?.roles).toEqual(['1']);
});
