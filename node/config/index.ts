/** Home directory, config files (config.toml, app.toml), genesis.json and node keys. */
export * from './errors';
export * from './toml';
export * from './cometConfig';
export * from './appConfig';
export * from './clientConfig';
export * from './nodeKeys';
export * from './genesis';
export * from './home';
