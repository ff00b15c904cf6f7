/**
 * ABCI addresses as CometBFT writes them in `proxy_app`: `tcp://host:port` or
 * `unix://path` (`unix:///abs/path.sock` for an absolute path). A bare `host:port`
 * means TCP, as in CometBFT's `ProtocolAndAddress`.
 */
import { ErrInvalidAddress } from './errors';

export type AbciAddress = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

export function parseAbciAddress(address: string): AbciAddress {
  const sep = address.indexOf('://');
  const scheme = sep >= 0 ? address.slice(0, sep) : 'tcp';
  const rest = sep >= 0 ? address.slice(sep + 3) : address;
  if (scheme === 'unix') {
    if (rest.length === 0) throw ErrInvalidAddress.wrap(`${JSON.stringify(address)} has no socket path`);
    return { kind: 'unix', path: rest };
  }
  if (scheme !== 'tcp') {
    throw ErrInvalidAddress.wrap(`${JSON.stringify(address)}: scheme ${JSON.stringify(scheme)} is not tcp or unix`);
  }
  const colon = rest.lastIndexOf(':');
  if (colon <= 0) throw ErrInvalidAddress.wrap(`${JSON.stringify(address)} has no host:port`);
  let host = rest.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const portText = rest.slice(colon + 1);
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 65535 || host.length === 0) {
    throw ErrInvalidAddress.wrap(`${JSON.stringify(address)} has no valid host and port`);
  }
  return { kind: 'tcp', host, port };
}

/** The canonical text of an address (IPv6 hosts in brackets). */
export function formatAbciAddress(addr: AbciAddress): string {
  if (addr.kind === 'unix') return `unix://${addr.path}`;
  const host = addr.host.includes(':') ? `[${addr.host}]` : addr.host;
  return `tcp://${host}:${addr.port}`;
}
