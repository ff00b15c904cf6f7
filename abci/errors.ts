/**
 * Errors of the ABCI socket layer (codespace `abci`).
 *
 * None of these reach block results: they describe a broken connection or a bad address,
 * so their messages may carry offsets and lengths. Codes are stable; never renumber.
 */
import { registerError } from '../types/errors';

export const ABCI_CODESPACE = 'abci';

/** A frame announced a body longer than the configured maximum. */
export const ErrFrameTooLarge = registerError(ABCI_CODESPACE, 2, 'frame length exceeds the maximum');
/** The uvarint length prefix is longer than 10 bytes or overflows 64 bits. */
export const ErrMalformedLength = registerError(ABCI_CODESPACE, 3, 'malformed uvarint frame length');
/** The frame body is not a decodable `tendermint.abci.Request` / `Response`. */
export const ErrUndecodableMessage = registerError(ABCI_CODESPACE, 4, 'undecodable ABCI message');
/** The message decoded but sets no known oneof method, or more than one. */
export const ErrUnknownMethod = registerError(ABCI_CODESPACE, 5, 'ABCI message carries no single known method');
/** A response whose oneof does not answer the oldest outstanding request. */
export const ErrUnexpectedResponse = registerError(ABCI_CODESPACE, 6, 'unexpected ABCI response');
/** The peer answered with `ResponseException`. */
export const ErrApplicationException = registerError(ABCI_CODESPACE, 7, 'ABCI application exception');
/** The connection closed (or was never open) while requests were outstanding. */
export const ErrConnectionClosed = registerError(ABCI_CODESPACE, 8, 'ABCI connection closed');
/** `tcp://host:port` or `unix://path` expected. */
export const ErrInvalidAddress = registerError(ABCI_CODESPACE, 9, 'invalid ABCI address');
