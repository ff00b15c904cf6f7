#!/usr/bin/env node
/**
 * sekaid-ts entry point. Errors a person can act on (unknown key, bad flag, existing home…)
 * end as one line on stderr and exit code 1; --trace adds the stack.
 */
import { Command, CommanderError } from 'commander';
import { CodedError } from '../../types/errors';
import { buildCli, type CliExtensions } from './root';
import { sekaiExtensions } from './sekaiCli';
import { CommandDone } from './txFlags';

/** Applies the same error handling to every command (commander does not inherit it into addCommand'ed trees). */
function quietErrors(cmd: Command): void {
  cmd.exitOverride();
  cmd.configureOutput({ outputError: () => undefined });
  for (const sub of cmd.commands) quietErrors(sub);
}

/** The one-line form of any error. */
export function errorLine(err: unknown): string {
  if (err instanceof CommanderError) return `Error: ${err.message.replace(/^error:\s*/i, '')}`;
  if (err instanceof CodedError) return `Error: ${err.message}`;
  if (err instanceof Error) return `Error: ${err.message.split('\n')[0]}`;
  return `Error: ${String(err)}`;
}

/** Runs the CLI on `argv` (as process.argv) and returns the exit code. */
export async function run(argv: readonly string[], extensions?: CliExtensions): Promise<number> {
  const { program } = buildCli(extensions);
  quietErrors(program);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommandDone) return 0;
    if (err instanceof CommanderError) {
      // Help and version output already went out; help after a usage error exits 1 without a message.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return err.exitCode;
    }
    process.stderr.write(errorLine(err) + '\n');
    if (argv.includes('--trace') && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    return 1;
  }
}

if (require.main === module) {
  void run(process.argv, sekaiExtensions()).then((code) => {
    process.exitCode = code;
  });
}
