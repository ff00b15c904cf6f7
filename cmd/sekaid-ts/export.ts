/**
 * `sekaid-ts export [--height H]`: writes the chain's state at a committed height as a
 * genesis document (stdout, or `--output-document`) from which a new chain can start.
 *
 * The node must be stopped: the state and block databases are opened for reading here.
 * The new chain starts at `initial_height` H+1 with block H's time and the validator set
 * CometBFT would use at H+1. Its state re-exports to the same bytes; its AppHash differs
 * from the original chain's because IAVL node hashes include the version that wrote them.
 */
import { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../app/app';
import { BlockStore } from '../../node/blockstore/blockStore';
import { consensusParamsJson } from '../../node/rpc/encoding';
import { formatRfc3339, parseGenesis } from '../../node/engine/genesis';
import type { SekaidEnv } from './env';
import { ErrUsage } from './errors';

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** True when LevelDB refused to open because another process (a running node) holds its LOCK file. */
export function isLocked(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) if ((e as { code?: unknown }).code === 'LEVEL_LOCKED') return true;
  return false;
}

/** The opening error of a database the node owns, as one line that says what to do. */
export function openError(what: string, dir: string, home: string, err: unknown, doing = 'exporting'): Error {
  // classic-level reports a held lock as "Database failed to open" with the reason in `cause`,
  // which read as a corrupt store; a running node is the usual holder.
  if (isLocked(err)) return ErrUsage.wrap(`the ${what} in ${dir} is in use: stop the node running on ${home} before ${doing}`);
  return ErrUsage.wrap(`cannot open the ${what} in ${dir}: ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * Ascending heights as ranges, e.g. "500, 1000 and 1638 to 2000" (the default pruning keeps
 * every 500th height besides the recent ones); long lists keep their newest ranges.
 */
export function describeHeights(heights: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < heights.length; ) {
    let j = i;
    while (j + 1 < heights.length && heights[j + 1] === heights[j] + 1) j++;
    ranges.push(j === i ? String(heights[i]) : `${heights[i]} to ${heights[j]}`);
    i = j + 1;
  }
  const shown = ranges.length > 6 ? ['…', ...ranges.slice(-5)] : ranges;
  return shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

export function exportCommand(env: SekaidEnv): Command {
  return new Command('export')
    .description('export the state at a committed height as a genesis document (stop the node first)')
    .option('--height <n>', 'height to export (default: the last committed height)')
    .option('--output-document <file>', 'write the document to this file instead of stdout')
    .action(async (opts: { height?: string; outputDocument?: string }) => {
      const layout = env.layout();
      if (opts.height !== undefined && !/^[1-9][0-9]*$/.test(opts.height)) {
        throw ErrUsage.wrap(`--height must be a positive integer, got "${opts.height}"`);
      }
      const genesisJson = readJson(layout.genesis);
      const genesis = parseGenesis(genesisJson);
      const sekai = await createApp({
        dbDir: join(layout.dataDir, 'application.db'),
        // Opening prunes nothing: no version is committed here.
        pruning: { strategy: 'nothing' },
        initialHeight: Number(genesis.initialHeight),
      }).catch((err: unknown) => {
        throw openError('application state', layout.dataDir, layout.home, err);
      });
      try {
        const last = sekai.store.lastCommitId().version;
        if (last === 0) throw ErrUsage.wrap('the chain has no committed block to export yet');
        const height = opts.height === undefined ? last : Number(opts.height);
        if (height > last) throw ErrUsage.wrap(`height ${height} is above the last committed height ${last}`);
        if (height < Number(genesis.initialHeight)) throw ErrUsage.wrap(`height ${height} is below the chain's initial height ${genesis.initialHeight}`);
        if (!sekai.store.versionExists(height)) {
          // Otherwise the app answers "version H is not available" without saying why or what is.
          throw ErrUsage.wrap(`the state at height ${height} was pruned (see pruning in app.toml); heights ${describeHeights(sekai.store.availableVersions())} can be exported`);
        }
        const appState = sekai.app.exportGenesis(height);

        const blocks = await BlockStore.open(join(layout.dataDir, 'blockstore.db')).catch((err: unknown) => {
          throw openError('block store', layout.dataDir, layout.home, err);
        });
        let genesisTime = genesisJson.genesis_time;
        let validators: unknown = genesisJson.validators ?? [];
        let consensusParams: unknown = genesisJson.consensus_params;
        try {
          // An empty block store (the app served an external CometBFT, which keeps its own blocks)
          // leaves genesis.json's time and validators. One of the embedded engine that pruned the
          // block (min-retain-blocks) used to fall back the same way, silently giving the old
          // genesis time; it is refused instead.
          if (blocks.height() > 0 && height < blocks.base()) {
            throw ErrUsage.wrap(`block ${height} was pruned from the block store, which holds heights ${blocks.base()} to ${blocks.height()} (see min-retain-blocks in app.toml): its time and next validator set are needed`);
          }
          const block = await blocks.block(height);
          if (block?.block.header) genesisTime = formatRfc3339(block.block.header.time);
          // The parameters the chain runs with at the next height (end-block updates may have
          // changed genesis.json's); fields the engine does not record (abci) stay as they were.
          const params = (await blocks.consensusParams(height + 1)) ?? (await blocks.consensusParams(height));
          if (params) consensusParams = { ...(genesisJson.consensus_params ?? {}), ...(consensusParamsJson(params) as object) };
          const vals = await blocks.validators(height + 1);
          if (vals) {
            validators = vals.map((v) => ({
              address: Buffer.from(v.address).toString('hex').toUpperCase(),
              pub_key: { type: 'tendermint/PubKeyEd25519', value: Buffer.from(v.pubKey).toString('base64') },
              power: v.power.toString(),
              name: '',
            }));
          }
        } finally {
          await blocks.close();
        }
        const doc = {
          ...genesisJson,
          genesis_time: genesisTime,
          initial_height: String(height + 1),
          validators,
          consensus_params: consensusParams,
          app_hash: '',
          app_state: appState,
        };
        const text = JSON.stringify(doc, null, 2) + '\n';
        if (opts.outputDocument) writeFileSync(opts.outputDocument, text);
        else process.stdout.write(text);
        env.logger().info({ height }, 'exported');
      } finally {
        await sekai.app.close();
      }
    });
}
