/**
 * `version [--long] [--node <url>]`, as the Cosmos SDK prints it: the release alone, or with
 * --long the name, commit, app (code) and CometBFT versions, the Node.js runtime and every
 * runtime dependency. With --node it also asks that node which version the chain runs and
 * which upgrade is planned (`/app/chain_version`).
 */
import { Command } from 'commander';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMETBFT_VERSION } from '../../node/config';
import { abciQuery, withNode } from '../../client';
import { CHAIN_VERSION_PATH } from '../../runtime/query';
import type { SekaidEnv } from './env';

/** The package root: two levels above this file, in the source tree and in dist/ alike. */
function packageRoot(): string {
  for (const up of ['../..', '../../..']) {
    const dir = join(__dirname, up);
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'sekai-ts') return dir;
    } catch {
      // not here; try one level up
    }
  }
  return join(__dirname, '../..');
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The git commit of the checkout, or $SEKAID_TS_COMMIT for builds made outside one; '' when neither. */
function commitOf(root: string): string {
  if (process.env.SEKAID_TS_COMMIT) return process.env.SEKAID_TS_COMMIT;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).toString().trim();
  } catch {
    return '';
  }
}

export interface VersionInfo {
  name: string;
  server_name: string;
  version: string;
  commit: string;
  app_version: string;
  cometbft_version: string;
  node: string;
  build_deps: string[];
}

/** What `version --long` prints. Dependency versions are the installed ones, as `go version -m` lists modules. */
export function versionInfo(codeVersion: string): VersionInfo {
  const root = packageRoot();
  const pkg = readJson(join(root, 'package.json')) ?? {};
  const deps = Object.keys((pkg.dependencies as Record<string, string> | undefined) ?? {}).sort();
  return {
    name: 'sekai-ts',
    server_name: 'sekaid-ts',
    version: String(pkg.version ?? ''),
    commit: commitOf(root),
    app_version: codeVersion,
    cometbft_version: COMETBFT_VERSION,
    node: process.version,
    build_deps: deps.map((d) => `${d}@${String(readJson(join(root, 'node_modules', d, 'package.json'))?.version ?? 'missing')}`),
  };
}

/** What a node answers at `/app/chain_version`. */
export interface ChainVersionInfo {
  chain_version: string;
  upgrade_plan: { name: string; version: string; height: number } | null;
}

export async function chainVersionOf(node: string): Promise<ChainVersionInfo> {
  const bytes = await withNode(node, (conn) => abciQuery(conn, CHAIN_VERSION_PATH, new Uint8Array()));
  return JSON.parse(new TextDecoder().decode(bytes)) as ChainVersionInfo;
}

export function versionCommand(env: SekaidEnv, codeVersion: string): Command {
  return new Command('version')
    .description('Print the version (--long: commit, app and CometBFT versions, Node.js and dependencies; with --node the chain\'s version and planned upgrade)')
    .option('--long', 'print every version detail')
    .option('--node <url>', 'also ask this node which version the chain runs (with --long)')
    .action(async (o: { long?: boolean; node?: string }) => {
      const info = versionInfo(codeVersion);
      if (o.long) env.print(o.node ? { ...info, ...(await chainVersionOf(o.node)) } : info);
      else if (env.output() === 'json') env.print({ version: info.version });
      else process.stdout.write(info.version + '\n');
    });
}
