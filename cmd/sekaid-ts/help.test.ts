import type { Command } from 'commander';
import { buildCli } from './root';
import { sekaiExtensions } from './sekaiCli';

function leaves(cmd: Command, path: string[] = []): Array<{ path: string; cmd: Command }> {
  if (cmd.commands.length === 0) return [{ path: path.join(' '), cmd }];
  return cmd.commands.flatMap((c) => leaves(c, [...path, c.name()]));
}

describe('leaf --help lists the inherited flags', () => {
  const { program } = buildCli(sekaiExtensions());
  const sub = (name: string) => program.commands.find((c) => c.name() === name)!;

  test.each(leaves(sub('tx'), ['tx']).map((l) => [l.path, l.cmd] as const))('%s', (_path, cmd) => {
    const help = cmd.helpInformation();
    for (const flag of ['--from', '--fees', '--yes', '--node', '--chain-id', '--broadcast-mode', '--keyring-backend', '--output', '--home']) expect(help).toContain(flag);
    expect(help.replace(/\s+/g, ' ')).toMatch(/--node <url> [^-]*default: client\.toml node, else tcp:\/\/localhost:26657/);
  });

  test.each(leaves(sub('query'), ['query']).map((l) => [l.path, l.cmd] as const))('%s', (_path, cmd) => {
    const help = cmd.helpInformation();
    for (const flag of ['--node', '--height', '--output', '--home']) expect(help).toContain(flag);
  });
});
