/**
 * The sekai-ts CLI as shipped: the app's modules (genesis defaults and validation, their tx
 * and query commands) and the node's `start`.
 */
import type { Command } from 'commander';
import { appModules, CODE_VERSION } from '../../app/app';
import { ErrUsage } from './errors';
import type { GenesisEditors } from './genesisEditors';
import type { CliExtensions } from './root';
import { exportCommand } from './export';
import { startCommand } from './start';
import { snapshotsCommand } from './snapshots';
import { bridgeCommand } from './bridge';
import type { SekaidEnv } from './env';
import { notaryCommand } from './notary';
import { versionCommand } from './version';
import { txRoot } from './txFlags';

/**
 * `bridge listener|approver` sign and broadcast like any `tx` line, so the operator loops
 * carry the `tx` flags (--from, --node, --fees, --broadcast-mode, keyring, …) themselves.
 */
function bridgeOperators(env: SekaidEnv): Command {
  const bridge = bridgeCommand(env);
  for (const option of txRoot().options) bridge.addOption(option);
  return bridge;
}

/**
 * Genesis editors for sections the app has no module for are left out: writing them would
 * make genesis.json fail the app's own validation. `gentx-claim` then only lists the
 * consensus key in genesis.json `validators`.
 */
function editorsFor(moduleNames: ReadonlySet<string>): Partial<GenesisEditors> {
  const editors: Partial<GenesisEditors> = {};
  const absent = (module: string) => () => {
    throw ErrUsage.wrap(`this build has no ${module} module`);
  };
  if (!moduleNames.has('customstaking')) editors.validators = { addValidator: () => undefined };
  if (!moduleNames.has('customgov')) {
    editors.gov = { assignRole: () => undefined, setMoniker: () => undefined, whitelistPermission: absent('customgov'), setNetworkProperty: absent('customgov') };
  }
  return editors;
}

/**
 * The sekaid-ts commands. `codeVersion` is the version this binary runs (default CODE_VERSION);
 * a build for a software upgrade names the plan's version here.
 */
export function sekaiExtensions(opts: { codeVersion?: string } = {}): CliExtensions {
  const codeVersion = opts.codeVersion ?? CODE_VERSION;
  const manager = appModules();
  return {
    genesisRegistry: manager,
    genesisEditors: editorsFor(new Set(manager.modules.map((m) => m.name))),
    modules: manager.modules,
    commands: [(env) => startCommand(env, codeVersion), exportCommand, snapshotsCommand, notaryCommand, bridgeOperators, (env) => versionCommand(env, codeVersion)],
  };
}
