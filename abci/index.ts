/** The ABCI 2.0 socket layer: the application contract, the server CometBFT connects to, and a client. */
export type { AbciApplication } from './application';
export { AbciServer, type AbciServerOptions } from './server';
export { AbciClient, type AbciClientOptions } from './client';
export { type AbciAddress, formatAbciAddress, parseAbciAddress } from './address';
export { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, encodeFrame } from './framing';
export { ABCI_METHODS, type AbciMethod, CONSENSUS_METHODS, decodeRequest, decodeResponse, encodeRequestFrame, encodeResponseFrame } from './messages';
export * from './errors';
