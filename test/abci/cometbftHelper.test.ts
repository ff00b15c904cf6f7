import * as fs from 'node:fs';
import * as path from 'node:path';
import { findCometBFT } from '../cometbft';
import { tempDir } from './helpers';

/** A stand-in executable that prints `version` for `<bin> version`. */
function fakeBinary(dir: string, version: string): string {
  const bin = path.join(dir, `cometbft-${version.replace(/\W/g, '_')}`);
  fs.writeFileSync(bin, `#!/bin/sh\n[ "$1" = version ] && echo "${version}" && exit 0\nexit 2\n`, { mode: 0o755 });
  return bin;
}

describe('findCometBFT', () => {
  const tmp = tempDir('cometbft-bin-');
  afterAll(() => tmp.cleanup());

  it('is undefined when COMETBFT_BIN is unset', () => {
    expect(findCometBFT({})).toBeUndefined();
  });

  it('accepts a v0.38 binary', () => {
    const bin = fakeBinary(tmp.dir, '0.38.17');
    expect(findCometBFT({ COMETBFT_BIN: bin })).toEqual({ bin, version: '0.38.17' });
  });

  it('refuses other versions and broken binaries loudly instead of skipping', () => {
    expect(() => findCometBFT({ COMETBFT_BIN: fakeBinary(tmp.dir, '0.37.4') })).toThrow(/need v0\.38/);
    expect(() => findCometBFT({ COMETBFT_BIN: fakeBinary(tmp.dir, '1.0.1') })).toThrow(/need v0\.38/);
    expect(() => findCometBFT({ COMETBFT_BIN: path.join(tmp.dir, 'missing') })).toThrow(/version` failed/);
  });
});
