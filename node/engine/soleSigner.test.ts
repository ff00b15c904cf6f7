import { CodedError } from '../../types/errors';
import { checkSoleSigner, ErrNotSoleSigner } from './soleSigner';

const key = (b: number) => new Uint8Array(32).fill(b);

describe('checkSoleSigner', () => {
  test('one validator, or a key past 2/3 of the power, may run alone', () => {
    expect(() => checkSoleSigner([{ pubKey: key(1), power: 1n }], key(1), 'genesis validator set')).not.toThrow();
    expect(() => checkSoleSigner([{ pubKey: key(1), power: 7n }, { pubKey: key(2), power: 3n }], key(1), 'set')).not.toThrow();
  });

  test('1 of 4, exactly 2/3, or none of the power is refused in one line naming CometBFT', () => {
    const four = [1, 2, 3, 4].map((b) => ({ pubKey: key(b), power: 1n }));
    let caught: unknown;
    try {
      checkSoleSigner(four, key(1), 'genesis validator set');
    } catch (e) {
      caught = e;
    }
    expect(caught instanceof CodedError && caught.is(ErrNotSoleSigner)).toBe(true);
    expect(() => checkSoleSigner(four, key(1), 'genesis validator set')).toThrow(
      /holds 1 of 4 voting power in the genesis validator set \(4 validators\).*--with-comet=false.*cometbft node/,
    );
    expect(() => checkSoleSigner([{ pubKey: key(1), power: 2n }, { pubKey: key(2), power: 1n }], key(1), 'set')).toThrow(/holds 2 of 3/);
    expect(() => checkSoleSigner([{ pubKey: key(2), power: 1n }], key(1), 'set')).toThrow(/holds 0 of 1/);
  });
});
