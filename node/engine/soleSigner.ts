/**
 * The embedded engine signs every block with its one key. It may only run a validator set in
 * which that key holds more than 2/3 of the voting power; anything else needs the other
 * validators' votes, which only a real CometBFT network collects (a 4-validator home run here
 * would make blocks with 1 of 4 voting power that no honest node accepts).
 */
import { registerError } from '../../types/errors';

export const ErrNotSoleSigner = registerError('engine', 10, 'the embedded engine does not hold more than 2/3 of the voting power');

export interface PoweredKey {
  pubKey: Uint8Array;
  power: bigint;
}

/** Throws ErrNotSoleSigner unless `local` holds more than 2/3 of `validators`' voting power. */
export function checkSoleSigner(validators: readonly PoweredKey[], local: Uint8Array, what: string): void {
  const total = validators.reduce((sum, v) => sum + v.power, 0n);
  const mine = validators.filter((v) => Buffer.from(v.pubKey).equals(Buffer.from(local))).reduce((sum, v) => sum + v.power, 0n);
  if (total > 0n && mine * 3n > total * 2n) return;
  throw ErrNotSoleSigner.wrap(
    `this node's validator key holds ${mine} of ${total} voting power in the ${what} (${validators.length} validators) and the embedded engine signs alone; ` +
      'run this home under CometBFT instead: `sekaid-ts start --with-comet=false` beside `cometbft node`, or `sekaid-ts testnet start`',
  );
}
