import { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './main';
import type { SekaidEnv } from './env';

describe('buildCli extensions', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'cli-ext-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  test('modules add tx/query subcommands that see the shared flags and env', async () => {
    const seen: Record<string, unknown>[] = [];
    const bank = {
      name: 'bank',
      cli: {
        tx: (env: SekaidEnv) =>
          new Command('bank').addCommand(
            new Command('send').argument('<to>').action((to: string, _o: unknown, cmd: Command) => {
              seen.push({ to, home: env.home(), ...cmd.optsWithGlobals() });
            }),
          ),
        query: () => new Command('bank').addCommand(new Command('balances').action((_o: unknown, cmd: Command) => void seen.push(cmd.optsWithGlobals()))),
      },
    };
    const start = () => new Command('start').action(() => void seen.push({ started: true }));
    const argv = (...a: string[]) => ['node', 'sekaid-ts', ...a];
    expect(await run(argv('tx', 'bank', 'send', 'kira1xyz', '--from', 'alice', '--fees', '100ukex', '--home', home), { modules: [bank], commands: [start] })).toBe(0);
    expect(seen[0]).toMatchObject({ to: 'kira1xyz', home, from: 'alice', fees: '100ukex', node: 'tcp://localhost:26657', gas: '200000', broadcastMode: 'sync' });
    expect(await run(argv('q', 'bank', 'balances', '--height', '5'), { modules: [bank] })).toBe(0);
    expect(seen[1]).toMatchObject({ height: '5', node: 'tcp://localhost:26657' });
    expect(await run(argv('start'), { commands: [start] })).toBe(0);
    expect(seen[2]).toEqual({ started: true });
  });

  test('genesis registry and editors replace the defaults', async () => {
    const calls: string[] = [];
    const registry = {
      defaultGenesis: () => ({ customgov: { network_properties: { min_tx_fee: '100' } } }),
      validateGenesis: (s: Record<string, unknown>) => void calls.push(`validate:${Object.keys(s).join(',')}`),
    };
    const gov = {
      assignRole: () => undefined,
      whitelistPermission: () => undefined,
      setMoniker: () => undefined,
      setNetworkProperty: (s: Record<string, unknown>, name: string, value: string) => {
        calls.push(`set:${name}=${value}`);
        (s.customgov as { network_properties: Record<string, string> }).network_properties[name] = value;
      },
    };
    const argv = (...a: string[]) => ['node', 'sekaid-ts', ...a, '--home', home, '--log_level', 'silent', '-o', 'json'];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await run(argv('init', 'n', '--chain-id', 'c-1'), { genesisRegistry: registry })).toBe(0);
      expect(await run(argv('genesis', 'set-network-property', 'anything', 'goes'), { genesisRegistry: registry, genesisEditors: { gov } })).toBe(0);
    } finally {
      write.mockRestore();
    }
    expect(calls).toEqual(['set:anything=goes', 'validate:customgov']);
    const genesis = JSON.parse(readFileSync(join(home, 'config/genesis.json'), 'utf8'));
    expect(genesis.app_state).toEqual({ customgov: { network_properties: { min_tx_fee: '100', anything: 'goes' } } });
  });
});
