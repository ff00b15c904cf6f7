/**
 * config.toml keeps its promise: every key `init` writes is either read by `sekaid-ts start`
 * (start.ts, or env.ts for the log settings) or marked in the file as used only by CometBFT.
 * A key that starts being read must lose its mark, and the other way round. That the read
 * values take effect is shown on a real node: log levels, [mempool] size and max_txs_bytes and
 * [instrumentation] prometheus in test/e2e/cli.test.ts, the RPC limits in node/rpc/limits.test.ts
 * and test/abuse/abuse.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMET_ONLY_NOTE, COMET_SCHEMA, defaultCometConfig, renderCometConfig } from '../../node/config';

const source = ['start.ts', 'env.ts'].map((f) => readFileSync(join(__dirname, f), 'utf8')).join('\n');

function readByStart(section: string, key: string): boolean {
  const owner = section === '' ? 'base' : section;
  const esc = key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return new RegExp(`\\b${owner}(\\.${esc}\\b|\\['${esc}'\\])`).test(source);
}

describe('config.toml settings: honoured by the embedded engine or marked CometBFT-only', () => {
  const rows = COMET_SCHEMA.flatMap((s) => s.keys.map((k) => [s.name === '' ? k.key : `${s.name}.${k.key}`, s.name, k.key, k.cometOnly === true] as const));

  test.each(rows)('%s', (_name, section, key, cometOnly) => {
    expect({ key, read: readByStart(section, key) }).toEqual({ key, read: !cometOnly });
  });

  test('the written file carries the mark under each CometBFT-only key', () => {
    const text = renderCometConfig(defaultCometConfig());
    const marked = rows.filter((r) => r[3]).length;
    expect(text.split(COMET_ONLY_NOTE).length - 1).toBe(marked);
    expect(text).toContain(`# ${COMET_ONLY_NOTE}\ntimeout_commit = `);
    expect(text).not.toContain(`# ${COMET_ONLY_NOTE}\nmax_body_bytes = `);
  });
});
