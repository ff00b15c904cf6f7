/**
 * The sekaid-ts CLI end to end against the embedded node, every command a real process:
 * init → keys add → add-genesis-account → gentx-claim → start → tx bank send (block mode)
 * → query tx, plus status, the file-based sign/broadcast flow, the one-line errors a person
 * meets, and a restart that resumes the same chain. One node serves the whole file.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { decodeAddress } from '../../keyring';
import { unarmorPrivateKey } from '../../keyring/armor';
import { cli, ok, oneLineError } from '../cli/cli';
import { CHAIN_ID, cleanup, createDevHome, spawnCli, startEmbedded, type DevHome, type NodeProcess } from './cliChain';
import { freePort } from '../cometbft';

// Each step spawns a CLI process (about 1 s on an idle machine, several under load).
jest.setTimeout(180_000);

const HEX64 = /^[0-9A-F]{64}$/;

describe('sekaid-ts CLI against the embedded node', () => {
  let dev: DevHome;
  let node: NodeProcess;
  let rpc: string;
  let sendHash: string;
  const h = (...a: string[]) => [...a, '--home', dev.home, '--node', rpc, '--output', 'json'];
  const txFlags = ['--fees', '100ukex', '--chain-id', CHAIN_ID, '--yes', '--broadcast-mode', 'block'];

  beforeAll(async () => {
    dev = await createDevHome();
    ({ node, rpc } = await startEmbedded(dev.home));
  }, 120_000);

  afterAll(async () => {
    await node?.stop();
    cleanup(dev?.home);
  });

  test('setup steps print JSON describing what they did', () => {
    const { init, keysVal, account, claim } = dev.steps;
    expect(init).toMatchObject({ moniker: 'e2e-node', chain_id: CHAIN_ID, home: dev.home });
    expect(init.node_id).toMatch(/^[0-9a-f]{40}$/);
    expect(keysVal.address).toMatch(/^kira1[02-9ac-hj-np-z]{38}$/);
    expect(keysVal.mnemonic.split(' ')).toHaveLength(24);
    expect(account).toEqual({ address: dev.val, coins: '1000000000000ukex' });
    expect(claim).toMatchObject({ address: dev.val, moniker: 'e2e-validator' });
    expect(node.stdout()).toMatch(new RegExp(`RPC listening at http://127\\.0\\.0\\.1:\\d+ \\(chain ${CHAIN_ID}, height \\d+\\)`));
  });

  test('status reports the network, a 0.38 version and a growing height', async () => {
    const s = JSON.parse((await ok(h('status'))).stdout);
    expect(s.node_info.network).toBe(CHAIN_ID);
    expect(s.node_info.version).toMatch(/^0\.38\./);
    expect(s.node_info.moniker).toBe('e2e-node');
    expect(Number(s.sync_info.latest_block_height)).toBeGreaterThanOrEqual(1);
    expect(s.sync_info.latest_app_hash).toMatch(HEX64);
    expect(s.validator_info.voting_power).not.toBe('0');
  });

  test('tx bank send --broadcast-mode block --output json prints the committed TxResponse', async () => {
    const r = await ok(h('tx', 'bank', 'send', 'val', dev.bob, '1000ukex', ...txFlags));
    const res = JSON.parse(r.stdout);
    expect(Object.keys(res)).toEqual(['height', 'txhash', 'codespace', 'code', 'data', 'raw_log', 'logs', 'info', 'gas_wanted', 'gas_used', 'tx', 'timestamp', 'events']);
    expect(res.code).toBe(0);
    expect(res.codespace).toBe('');
    expect(Number(res.height)).toBeGreaterThan(0);
    expect(res.txhash).toMatch(HEX64);
    expect(res.gas_wanted).toBe('200000');
    expect(Number(res.gas_used)).toBeGreaterThan(0);
    expect(Number(res.gas_used)).toBeLessThanOrEqual(200000);
    expect(res.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(res.tx['@type']).toBe('/cosmos.tx.v1beta1.Tx');
    expect(res.tx.body.messages).toEqual([
      { '@type': '/cosmos.bank.v1beta1.MsgSend', from_address: dev.val, to_address: dev.bob, amount: [{ denom: 'ukex', amount: '1000' }] },
    ]);
    expect(res.tx.auth_info.fee).toMatchObject({ amount: [{ denom: 'ukex', amount: '100' }], gas_limit: '200000' });
    expect(res.tx.auth_info.signer_infos[0]).toMatchObject({ sequence: '0', mode_info: { single: { mode: 'SIGN_MODE_DIRECT' } } });
    // Two transfers: the fee to the fee collector, then the send itself.
    const transfers = res.events.filter((e: { type: string }) => e.type === 'transfer').map((e: { attributes: Array<{ key: string; value: string }> }) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));
    expect(transfers).toEqual(expect.arrayContaining([expect.objectContaining({ sender: dev.val, recipient: dev.bob, amount: '1000ukex' }), expect.objectContaining({ sender: dev.val, amount: '100ukex' })]));
    sendHash = res.txhash;

    // query tx of that hash gives the same response, field for field.
    const q = JSON.parse((await ok(h('query', 'tx', sendHash))).stdout);
    expect(q).toEqual(res);
    // Lower-case hashes are accepted too.
    expect(JSON.parse((await ok(h('q', 'tx', sendHash.toLowerCase()))).stdout).txhash).toBe(sendHash);

    const bal = JSON.parse((await ok(h('query', 'bank', 'balances', dev.bob))).stdout);
    expect(bal.balances).toEqual([{ denom: 'ukex', amount: '1000' }]);
    const acc = JSON.parse((await ok(h('query', 'account', dev.val))).stdout);
    expect(acc).toMatchObject({ address: dev.val, sequence: '1' });
  });

  test('query txs --events and query block find the tx', async () => {
    const found = JSON.parse((await ok(h('query', 'txs', '--events', `message.sender=${dev.val}&message.module=bank`))).stdout);
    expect(found.txs.map((t: { txhash: string }) => t.txhash)).toContain(sendHash);
    expect(Number(found.total_count)).toBeGreaterThanOrEqual(1);
    const height = found.txs.find((t: { txhash: string }) => t.txhash === sendHash).height;
    const block = JSON.parse((await ok(h('query', 'block', height))).stdout);
    expect(block.block.header.height).toBe(height);
    expect(block.block.header.chain_id).toBe(CHAIN_ID);
    expect(block.block.data.txs).toHaveLength(1);
  });

  test('--generate-only, tx sign, tx encode/decode and tx broadcast', async () => {
    const unsigned = JSON.parse((await ok(h('tx', 'bank', 'send', 'val', dev.bob, '7ukex', '--fees', '100ukex', '--memo', 'offline', '--generate-only'))).stdout);
    expect(unsigned.signatures).toEqual([]);
    expect(unsigned.body.memo).toBe('offline');
    const file = join(dev.home, 'unsigned.json');
    writeFileSync(file, JSON.stringify(unsigned));
    const signed = JSON.parse((await ok(h('tx', 'sign', file, '--from', 'val', '--chain-id', CHAIN_ID))).stdout);
    expect(signed.signatures).toHaveLength(1);
    expect(signed.auth_info.signer_infos[0].sequence).toBe('1');
    const signedFile = join(dev.home, 'signed.json');
    writeFileSync(signedFile, JSON.stringify(signed));

    const b64 = (await ok(h('tx', 'encode', signedFile))).stdout.trim();
    expect(JSON.parse((await ok(h('tx', 'decode', b64))).stdout)).toEqual(signed);

    const res = JSON.parse((await ok(h('tx', 'broadcast', signedFile, '--broadcast-mode', 'block'))).stdout);
    expect(res.code).toBe(0);
    expect(res.tx.body.memo).toBe('offline');
    // An unsigned file is refused before anything is sent.
    expect(oneLineError(await cli(h('tx', 'broadcast', file)))).toMatch(/unsigned tx; sign it first/);
  });

  test('text output is YAML with the same content as --output json, for tx and query commands alike', async () => {
    const text = (...a: string[]) => [...a, '--home', dev.home, '--node', rpc];
    // A tx in text mode prints the TxResponse as YAML (the same shape as every other tx command).
    const sent = parseYaml((await ok(text('tx', 'bank', 'send', 'val', dev.bob, '2ukex', ...txFlags))).stdout);
    expect(Object.keys(sent).sort()).toEqual(['code', 'codespace', 'data', 'events', 'gas_used', 'gas_wanted', 'height', 'info', 'logs', 'raw_log', 'timestamp', 'tx', 'txhash']);
    expect(sent).toMatchObject({ code: 0, codespace: '', tx: { '@type': '/cosmos.tx.v1beta1.Tx' } });
    expect(typeof sent.height).toBe('string');
    const sameContent = [
      ['query', 'tx', sent.txhash],
      ['query', 'bank', 'balances', dev.bob],
      ['query', 'account', dev.val],
      ['query', 'txs', '--events', `message.sender=${dev.val}`],
      ['query', 'customstaking', 'validators'],
      ['query', 'customgov', 'network-properties'],
      ['keys', 'show', 'val'],
      ['keys', 'list'],
    ];
    // State queries read one committed height, so a block between the two reads (ranks and
    // streaks move every block) cannot make them differ.
    const pinned = (await ok(['query', 'block', '--node', rpc, '--output', 'json'])).stdout;
    const at = String(JSON.parse(pinned).block?.header?.height ?? JSON.parse(pinned).header?.height);
    expect(at).toMatch(/^[1-9]\d*$/);
    for (const args of sameContent) {
      // keys commands take no --node; tx lookups and searches are not read at a height.
      const node = args[0] === 'keys' ? [] : ['--node', rpc, ...(args[1] === 'tx' || args[1] === 'txs' ? [] : ['--height', at])];
      const [asText, asJson] = await Promise.all([ok([...args, '--home', dev.home, ...node]), ok([...args, '--home', dev.home, ...node, '--output', 'json'])]);
      expect([args.join(' '), parseYaml(asText.stdout)]).toEqual([args.join(' '), JSON.parse(asJson.stdout)]);
    }
  });

  test("an armored key exported by a Cosmos SDK chain imports, signs a tx the chain accepts, and exports back", async () => {
    // The SDK's own export vector (see keyring/armor.test.ts): bcrypt + xsalsa20poly1305, passphrase 123456789.
    const fixture = join(__dirname, '../fixtures/keyring/sdk-export.armor');
    const k = (...a: string[]) => [...a, '--home', dev.home, '--keyring-backend', 'test'];
    const imported = JSON.parse((await ok(k('keys', 'import', 'sdk', fixture, '--armor-passphrase', '123456789', '-o', 'json'))).stdout);
    await ok(h('tx', 'bank', 'send', 'val', imported.address, '1000ukex', ...txFlags));
    const res = JSON.parse((await ok(h('tx', 'bank', 'send', 'sdk', dev.bob, '1ukex', ...txFlags))).stdout);
    expect(res).toMatchObject({ code: 0 });
    expect(res.tx.body.messages[0].from_address).toBe(imported.address);
    const exported = (await ok(k('keys', 'export', 'sdk', '--armor-passphrase', 'moved-back'))).stdout;
    expect(exported).toMatch(/^-----BEGIN TENDERMINT PRIVATE KEY-----\nkdf: bcrypt\nsalt: [0-9A-F]{32}\ntype: secp256k1\n\n[\s\S]+\n=[A-Za-z0-9+/]{4}\n-----END TENDERMINT PRIVATE KEY-----\n$/);
    expect(Buffer.from(unarmorPrivateKey(exported, 'moved-back')).toString('hex')).toBe(Buffer.from(unarmorPrivateKey(readFileSync(fixture, 'utf8'), '123456789')).toString('hex'));
  });

  test("keys of a Cosmos SDK file keyring (proto and legacy Amino entries) and test keyring import and sign txs the chain accepts", async () => {
    // Written in the SDK's formats by test/fixtures/keyring/sdk-file-keyring/generate.ts.
    const fixtures = join(__dirname, '../fixtures/keyring/sdk-file-keyring');
    const k = (...a: string[]) => [...a, '--home', dev.home, '--keyring-backend', 'test'];
    // This home already has a "bob": nothing is imported, and the error names the clash.
    const clash = await cli(k('keys', 'import-file-keyring', join(fixtures, 'keyring-file'), '--source-passphrase', 'fixture passphrase'));
    expect(oneLineError(clash)).toMatch(/bob already in the test keyring; delete or rename them, or name the keys to import: key already exists/);
    const wrong = await cli(k('keys', 'import-file-keyring', join(fixtures, 'keyring-file'), 'alice', '--source-passphrase', 'nope'));
    expect(oneLineError(wrong)).toMatch(/wrong passphrase/);

    const fromFile = JSON.parse((await ok(k('keys', 'import-file-keyring', join(fixtures, 'keyring-file'), 'alice', '--source-passphrase', 'fixture passphrase', '-o', 'json'))).stdout);
    const fromTest = JSON.parse((await ok(k('keys', 'import-file-keyring', join(fixtures, 'keyring-test'), '-o', 'json'))).stdout);
    expect(fromFile.map((x: { name: string }) => x.name)).toEqual(['alice']);
    expect(fromTest.map((x: { name: string }) => x.name)).toEqual(['dave']);
    // The SDK keyring's <hex address>.address entries name the same accounts.
    const hexOf = (bech: string) => Buffer.from(decodeAddress(bech).bytes).toString('hex');
    expect(readdirSync(join(fixtures, 'keyring-file'))).toContain(`${hexOf(fromFile[0].address)}.address`);
    expect(readdirSync(join(fixtures, 'keyring-test'))).toContain(`${hexOf(fromTest[0].address)}.address`);

    for (const key of [fromFile[0], fromTest[0]]) {
      await ok(h('tx', 'bank', 'send', 'val', key.address, '1000ukex', ...txFlags));
      const res = JSON.parse((await ok(h('tx', 'bank', 'send', key.name, dev.val, '1ukex', ...txFlags))).stdout);
      expect(res).toMatchObject({ code: 0 });
      expect(res.tx.body.messages[0].from_address).toBe(key.address);
    }
  });

  test("client.toml names the node: the seed's pause line runs without --node against a non-default port", async () => {
    expect(rpc).not.toMatch(/:26657$/);
    await ok(['config', 'node', rpc, '--home', dev.home]);
    expect((await ok(['config', 'node', '--home', dev.home])).stdout.trim()).toBe(rpc);
    // Exactly as KIRA's scripts type it (ACCOUNT=val, NETWORK_NAME=the chain, SEKAID_HOME=the home).
    const line = `tx customslashing pause --from val --chain-id=${CHAIN_ID} --keyring-backend=test --home=${dev.home} --fees 100ukex --yes --broadcast-mode=async --log_format=json --output=json`;
    const res = JSON.parse((await ok(line.split(' '))).stdout);
    expect(res).toMatchObject({ code: 0, height: '0' });
    expect(res.txhash).toMatch(HEX64);
    // status and queries read the node from client.toml too; output and broadcast mode come from it when set.
    expect(JSON.parse((await ok(['status', '--home', dev.home])).stdout).node_info.network).toBe(CHAIN_ID);
    await ok(['config', 'output', 'json', '--home', dev.home]);
    await ok(['config', 'broadcast-mode', 'block', '--home', dev.home]);
    const committed = JSON.parse((await ok(['tx', 'bank', 'send', 'val', dev.bob, '3ukex', '--fees', '100ukex', '--yes', '--home', dev.home])).stdout);
    expect(committed.code).toBe(0);
    expect(Number(committed.height)).toBeGreaterThan(0);
    const paused = JSON.parse((await ok(['query', 'tx', res.txhash, '--home', dev.home])).stdout);
    // One active validator: the pause fails in its block, as on sekai (MIN_VALIDATORS).
    expect(paused).toMatchObject({ codespace: 'customslashing', code: 2 });
    await ok(['config', 'output', 'text', '--home', dev.home]);
    await ok(['config', 'broadcast-mode', 'sync', '--home', dev.home]);
    expect(oneLineError(await cli(['config', 'output', 'yaml', '--home', dev.home]))).toMatch(/output must be one of text\|json, got "yaml"/);
  });

  test('errors a person can act on: one line on stderr, non-zero exit', async () => {
    const port = await freePort();
    const down = `tcp://127.0.0.1:${port}`;
    const send = (...extra: string[]) => ['tx', 'bank', 'send', 'val', dev.bob, '1ukex', '--home', dev.home, '--fees', '100ukex', '--yes', ...extra];

    expect(oneLineError(await cli(send('--node', down)))).toBe(`Error: cannot reach node at ${down}: connection refused`);
    expect(oneLineError(await cli(['status', '--node', down]))).toBe(`Error: cannot reach node at ${down}: connection refused`);
    expect(oneLineError(await cli(['tx', 'bank', 'send', 'nobody', dev.bob, '1ukex', '--home', dev.home, '--node', rpc, '--yes']))).toMatch(/no key named "nobody"/);
    expect(oneLineError(await cli(send('--node', rpc, '--chain-id', 'other-chain')))).toBe(
      `Error: --chain-id "other-chain" does not match the chain of node ${rpc}, which is "${CHAIN_ID}"`,
    );
    expect(oneLineError(await cli(send('--node', rpc, '--broadcast-mode', 'now')))).toMatch(/--broadcast-mode.*now/);
    expect(oneLineError(await cli(send('--node', rpc, '--gas', 'lots')))).toMatch(/--gas must be a positive integer or "auto"/);
    expect(oneLineError(await cli(['query', 'tx', 'nothex', '--node', rpc]))).toMatch(/not a tx hash/);
    expect(oneLineError(await cli(['query', 'tx', 'AB'.repeat(32), '--node', rpc]))).toMatch(/not found/);
    // A keyring name or other non-address is refused, not answered with an empty balance.
    const notAddress = await cli(['query', 'bank', 'balances', 'notanaddress', '--node', rpc]);
    expect(notAddress.code).not.toBe(0);
    expect(oneLineError(notAddress)).toMatch(/"notanaddress" is not a kira address and names no account/);

    // Without --yes the tx is shown and the answer read from stdin; "n" cancels.
    const declined = await cli(['tx', 'bank', 'send', 'val', dev.bob, '1ukex', '--home', dev.home, '--node', rpc, '--fees', '100ukex'], { input: 'n\n' });
    expect(declined.code).not.toBe(0);
    expect(declined.stderr).toMatch(/MsgSend/);
    expect(declined.stderr).toMatch(/transaction canceled/);

    // No fee: CheckTx refuses it; the TxResponse still goes to stdout for scripts.
    const noFee = await cli(['tx', 'bank', 'send', 'val', dev.bob, '1ukex', '--home', dev.home, '--node', rpc, '--yes', '--output', 'json']);
    expect(oneLineError(noFee)).toMatch(/failed \(sdk 13\): .*insufficient fee/);
    const refused = JSON.parse(noFee.stdout);
    expect(refused).toMatchObject({ code: 13, codespace: 'sdk', height: '0' });
    expect(refused.raw_log).toMatch(/insufficient fee/);

    // --trace adds the stack.
    const traced = await cli(['status', '--node', down, '--trace']);
    expect(traced.stderr.split('\n').length).toBeGreaterThan(2);
  });

  test("start honours config.toml's log_level with per-module levels and log_format json", async () => {
    expect(await node.stop()).toBe(0);
    const configToml = join(dev.home, 'config/config.toml');
    const original = readFileSync(configToml, 'utf8');
    writeFileSync(configToml, original.replace(/^log_level = .*$/m, 'log_level = "consensus:info,*:error"').replace(/^log_format = .*$/m, 'log_format = "json"'));
    try {
      const port = await freePort();
      rpc = `tcp://127.0.0.1:${port}`;
      node = await spawnCli(['start', '--home', dev.home, '--rpc.laddr', rpc, '--block-time', '200ms'], /RPC listening at /);
      await ok(h('status'));
      const lines = node.stderr().trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { level: string; module: string; time: string; msg: string });
      // The engine's handshake is logged at info under "consensus"; the node's own info lines ("main") are not.
      expect(lines.some((l) => l.module === 'consensus' && l.level === 'info')).toBe(true);
      expect(lines.filter((l) => l.level === 'info' || l.level === 'debug').every((l) => l.module === 'consensus')).toBe(true);
      for (const l of lines) expect(l.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    } finally {
      writeFileSync(configToml, original);
    }
  });

  test("start honours config.toml's [mempool] size and max_txs_bytes and [instrumentation] prometheus on and off", async () => {
    expect(await node.stop()).toBe(0);
    const configToml = join(dev.home, 'config/config.toml');
    const original = readFileSync(configToml, 'utf8');
    const withSettings = (s: { size: number; maxTxsBytes: number; prometheus: boolean; promAddr: string }) =>
      original
        .replace(/^size = .*$/m, `size = ${s.size}`)
        .replace(/^max_txs_bytes = .*$/m, `max_txs_bytes = ${s.maxTxsBytes}`)
        .replace(/^prometheus = .*$/m, `prometheus = ${s.prometheus}`)
        .replace(/^prometheus_listen_addr = .*$/m, `prometheus_listen_addr = "${s.promAddr}"`);
    const restart = async () => {
      rpc = `tcp://127.0.0.1:${await freePort()}`;
      node = await spawnCli(['start', '--home', dev.home, '--rpc.laddr', rpc, '--block-time', '200ms', '--log_level', 'warn'], /RPC listening at /);
    };
    // A tx CheckTx accepts (val pays itself, so nothing else moves), sent in sync mode.
    const send = () => cli(h('tx', 'bank', 'send', 'val', dev.val, '1ukex', '--fees', '100ukex', '--chain-id', CHAIN_ID, '--yes', '--broadcast-mode', 'sync'));
    const listening = async (addr: string) => {
      try {
        return (await fetch(`http://${addr}/metrics`)).status;
      } catch {
        return 'refused';
      }
    };
    const promAddr = `127.0.0.1:${await freePort()}`;
    try {
      // size = 0: the pool holds no tx; the refusal names the limit it met.
      writeFileSync(configToml, withSettings({ size: 0, maxTxsBytes: 1073741824, prometheus: true, promAddr }));
      await restart();
      // As CometBFT answers broadcast_tx_sync then: an RPC error, not a CheckTx result.
      expect(oneLineError(await send())).toMatch(/^Error: node at tcp:\/\/127\.0\.0\.1:\d+: mempool is full: number of txs 0 \(max: 0\), total txs bytes 0 \(max: 1073741824\)$/);
      // prometheus = true serves CometBFT's metrics at prometheus_listen_addr.
      const scrape = await fetch(`http://${promAddr}/metrics`);
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toMatch(/^cometbft_consensus_height\{chain_id="sekai-e2e-1"\} \d+$/m);
      expect(await node.stop()).toBe(0);

      // max_txs_bytes below one tx's size: refused on bytes; prometheus = false: nothing listens there.
      writeFileSync(configToml, withSettings({ size: 5000, maxTxsBytes: 100, prometheus: false, promAddr }));
      await restart();
      expect(oneLineError(await send())).toMatch(/: mempool is full: number of txs 0 \(max: 5000\), total txs bytes 0 \(max: 100\)$/);
      expect(await listening(promAddr)).toBe('refused');
      expect(await node.stop()).toBe(0);
    } finally {
      writeFileSync(configToml, original);
    }
    // The home's own settings again: the same tx is accepted.
    await restart();
    expect(JSON.parse((await ok(h('tx', 'bank', 'send', 'val', dev.val, '1ukex', ...txFlags))).stdout)).toMatchObject({ code: 0 });
  });

  test('SIGTERM stops the node cleanly and start resumes the same chain', async () => {
    const before = JSON.parse((await ok(h('status'))).stdout);
    expect(await node.stop()).toBe(0);
    ({ node, rpc } = await startEmbedded(dev.home));
    const after = JSON.parse((await ok(h('status'))).stdout);
    expect(after.node_info.id).toBe(before.node_info.id);
    expect(Number(after.sync_info.latest_block_height)).toBeGreaterThanOrEqual(Number(before.sync_info.latest_block_height));
    expect(JSON.parse((await ok(h('query', 'tx', sendHash))).stdout).code).toBe(0);
    expect(JSON.parse((await ok(h('query', 'bank', 'balances', dev.bob))).stdout).balances).toEqual([{ denom: 'ukex', amount: '1013' }]);
  });
});
