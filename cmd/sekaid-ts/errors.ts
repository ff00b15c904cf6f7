import { registerError } from '../../types/errors';

export { ErrUsage } from '../../client/errors';
/** A genesis edit conflicts with what genesis.json already holds. */
export const ErrGenesisConflict = registerError('cli', 3, 'genesis conflict');
/** A directory the command would write into is not empty. */
export const ErrOutputExists = registerError('cli', 4, 'output directory not empty');
/** A process of a local network (`testnet start`) stopped on its own. */
export const ErrNodeExited = registerError('cli', 12, 'local network node exited');
