import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { parseGenesis, type GenesisDoc } from '../../node/engine/genesis';
import { generatePrivValidatorKey, type PrivValidatorKey } from '../../node/consensus/signing';
import type { Engine } from '../../node/engine/engine';

export const silent = pino({ level: 'silent' });

export function tmpHome(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `engine-${tag}-`));
}

export function genesisFor(keys: PrivValidatorKey[], extra: Record<string, unknown> = {}): GenesisDoc {
  return parseGenesis({
    genesis_time: '2024-01-02T03:04:05.123456789Z',
    chain_id: 'kv-test-1',
    initial_height: '1',
    consensus_params: { block: { max_bytes: '22020096', max_gas: '-1' } },
    validators: keys.map((k, i) => ({
      pub_key: { type: 'tendermint/PubKeyEd25519', value: Buffer.from(k.pubKey).toString('base64') },
      power: String(10 - i),
      name: `v${i}`,
    })),
    app_hash: '',
    app_state: { seed: 'yes' },
    ...extra,
  });
}

export const newKey = generatePrivValidatorKey;

/** Resolves once the engine has committed `height`. */
export function waitHeight(engine: Engine, height: number, timeoutMs = 10000): Promise<void> {
  if (engine.height() >= height) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`height ${height} not reached (at ${engine.height()})`)), timeoutMs);
    const on = (h: number) => {
      if (h >= height) {
        clearTimeout(timer);
        engine.events.off('block', on);
        resolve();
      }
    };
    engine.events.on('block', on);
  });
}
