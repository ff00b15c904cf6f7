/**
 * Proposer rotation on the embedded engine: every header names the proposer CometBFT's
 * priority algorithm elects (the engine still signs alone), and the `validators` RPC reports
 * each height's priorities, the same after a restart.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connectComet, type Comet38Client } from '@cosmjs/tendermint-rpc';
import { validatorAddress } from '../../node/consensus/hashes';
import { startNode } from '../../node/node';
import { startRpcServer } from '../../node/rpc/server';
import { KvApp } from './kvApp';
import { genesisFor, newKey, silent, tmpHome, waitHeight } from './helpers';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

it('rotates the header proposer by priority and serves priorities per height across a restart', async () => {
  const dir = tmpHome('proposer');
  const [a, b, c] = [newKey(), newKey(), newKey()];
  const genesis = genesisFor([a, b, c]); // powers 10, 9, 8
  const opts = { home: dir, genesis, privValidatorKey: a, logger: silent, emptyBlockInterval: 10, batchDelay: 1 };
  const name = new Map([a, b, c].map((k, i) => [hex(validatorAddress(k.pubKey)), 'ABC'[i]]));
  // Worked by hand (total 27): h1 (10, 9, 8) -> A, A = -17; h2 (-7, 18, 16) -> B, B = -9;
  // h3 (3, 0, 24) -> C, C = -3; h4 (13, 9, 5) -> A, A = -14; h5 (-4, 18, 13) -> B; h6 -> C.
  const expected: Record<number, [string, string[]]> = {
    1: ['A', ['-17', '9', '8']],
    2: ['B', ['-7', '-9', '16']],
    3: ['C', ['3', '0', '-3']],
    4: ['A', ['-14', '9', '5']],
  };
  let app = await KvApp.open(path.join(dir, 'app'));
  let node = await startNode({ ...opts, app });
  let seen: string;
  try {
    await waitHeight(node.engine, 6);
    const proposers: string[] = [];
    for (let h = 1; h <= 6; h++) proposers.push(name.get(hex((await node.blocks.block(h))!.block.header.proposerAddress))!);
    seen = proposers.join('');
    expect(seen).toBe('ABCABC');
    // Every block still carries only A's signature.
    const sigs = (await node.blocks.block(2))!.seenCommit.signatures.map((s) => s.signature.length);
    expect(sigs).toEqual([64, 0, 0]);
  } finally {
    await node.stop();
    await app.close();
  }

  app = await KvApp.open(path.join(dir, 'app'));
  node = await startNode({ ...opts, app });
  const server = await startRpcServer(node, { laddr: 'tcp://127.0.0.1:0' });
  const client = (await connectComet(server.url)) as Comet38Client;
  try {
    for (const [h, [proposer, prios]] of Object.entries(expected)) {
      const res = await fetch(`${server.url}/validators?height=${h}`);
      const body = (await res.json()) as { result: { validators: Array<{ address: string; proposer_priority: string }> } };
      // CometBFT's JSON: proposer_priority as a decimal string, validators in power order.
      expect(body.result.validators.map((v) => [name.get(v.address), v.proposer_priority])).toEqual([
        ['A', prios[0]],
        ['B', prios[1]],
        ['C', prios[2]],
      ]);
      expect(name.get(hex((await client.block(Number(h))).block.header.proposerAddress))).toBe(proposer);
      // cosmjs parses the priorities as numbers.
      const vals = await client.validators({ height: Number(h) });
      expect(vals.validators.map((v) => String(v.proposerPriority))).toEqual(prios);
    }
  } finally {
    client.disconnect();
    await server.close();
    await node.stop();
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
