/**
 * Child process for the crash test: runs the engine with the kv app in <home>, adds every
 * stdin line as a tx, and prints `C <height> <index> <hash> <code>` for each tx once its
 * block is stored and committed, and `READY <height>` after startup.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import pino from 'pino';
import { Engine } from '../../node/engine/engine';
import { parseGenesis } from '../../node/engine/genesis';
import { parsePrivValidatorKey } from '../../node/consensus/signing';
import type { TxEvent } from '../../node/types';
import { KvApp } from './kvApp';

async function main(): Promise<void> {
  const home = process.argv[2];
  const key = parsePrivValidatorKey(JSON.parse(fs.readFileSync(path.join(home, 'key.json'), 'utf8')));
  const genesis = parseGenesis(JSON.parse(fs.readFileSync(path.join(home, 'genesis.json'), 'utf8')));
  const app = await KvApp.open(path.join(home, 'app'));
  const engine = await Engine.start({
    home,
    app,
    genesis,
    privValidatorKey: key,
    blockTime: 40,
    emptyBlockInterval: 30,
    batchDelay: 3,
    logger: pino({ level: 'silent' }),
  });
  engine.events.on('fatal', (e: Error) => {
    process.stderr.write(`FATAL ${e.message}\n`);
    process.exit(3);
  });
  engine.events.on('tx', (e: TxEvent) => {
    process.stdout.write(`C ${e.height} ${e.index} ${Buffer.from(e.hash).toString('hex')} ${e.result.code}\n`);
  });
  process.stdout.write(`READY ${engine.height()}\n`);
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    engine.mempool.add(new Uint8Array(Buffer.from(line))).catch(() => undefined);
  });
}

main().catch((e: Error) => {
  process.stderr.write(`FATAL ${e.message}\n`);
  process.exit(2);
});
