/** sekaid-ts commands of x/bridge (filled in below). */
import { Command } from 'commander';

export function bridgeTxCommand(): Command {
  return new Command('bridge').description('Bridge messages');
}

export function bridgeQueryCommand(): Command {
  return new Command('bridge').description('Bridge state');
}
