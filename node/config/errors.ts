import { registerError } from '../../types/errors';

/** A config file value is missing, of the wrong type or out of range; the message names the key. */
export const ErrInvalidConfig = registerError('config', 2, 'invalid config');
/** A file that should be in the home directory is missing. */
export const ErrMissingFile = registerError('config', 3, 'missing file');
/** A file exists but cannot be parsed (TOML or JSON syntax). */
export const ErrMalformedFile = registerError('config', 4, 'malformed file');
/** genesis.json breaks a rule that CometBFT or a module enforces. */
export const ErrInvalidGenesis = registerError('config', 5, 'invalid genesis');
/** The home directory already holds a node and overwriting was not asked for. */
export const ErrHomeExists = registerError('config', 6, 'home already initialized');
/** A key file (priv_validator_key.json, node_key.json) is malformed. */
export const ErrInvalidKeyFile = registerError('config', 7, 'invalid key file');
