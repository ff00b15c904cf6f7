/**
 * A small TOML writer for flat config sections and a typed reader on top of smol-toml.
 *
 * Both config files are described by a schema: an ordered list of sections, each an ordered
 * list of keys with a one-line comment. The writer renders the schema with values; the reader
 * merges a parsed file over the defaults and checks that every known key has the type its
 * default has, naming the key when it does not.
 */
import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };
import { ErrInvalidConfig, ErrMalformedFile } from './errors';

// smol-toml ships a CommonJS build, but its typings are ESM-only: types from the ESM side,
// the value from require().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse, TomlError } = require('smol-toml') as typeof SmolToml;

export type TomlScalar = string | number | boolean | string[];
export type TomlSection = Record<string, TomlScalar>;

export interface KeySpec {
  key: string;
  /** Comment lines written above the key. */
  doc: string;
  /** Extra validation after the type check; returns a reason when the value is bad. */
  check?: (value: TomlScalar) => string | undefined;
  /** Read only by a real CometBFT node; the embedded engine ignores it (the file says so). */
  cometOnly?: true;
}

/** The line written under the doc of a `cometOnly` key. */
export const COMET_ONLY_NOTE = 'Used only by CometBFT: the embedded engine (sekaid-ts start) ignores this setting.';

export interface SectionSpec {
  /** '' for the top-level table. */
  name: string;
  title?: string;
  keys: KeySpec[];
}

/** TOML basic string: the escapes TOML shares with JSON, without JSON's \/ form. */
function quote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

function renderValue(value: TomlScalar): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`config writer only writes integers, got ${value}`);
    return String(value);
  }
  return `[${value.map(quote).join(', ')}]`;
}

/** Renders `values` (section name -> key -> value) in the order and with the comments of `schema`. */
export function renderToml(header: string, schema: SectionSpec[], values: Record<string, TomlSection>): string {
  const lines: string[] = header.split('\n').map((l) => (l === '' ? '' : `# ${l}`));
  for (const section of schema) {
    lines.push('');
    if (section.title) {
      lines.push('#######################################################');
      lines.push(`###  ${section.title}`);
      lines.push('#######################################################');
    }
    if (section.name !== '') lines.push(`[${section.name}]`, '');
    const sectionValues = values[section.name] ?? {};
    for (const spec of section.keys) {
      const value = sectionValues[spec.key];
      if (value === undefined) throw new Error(`config writer: no value for ${qualified(section.name, spec.key)}`);
      for (const docLine of spec.doc.split('\n')) lines.push(`# ${docLine}`);
      if (spec.cometOnly) lines.push(`# ${COMET_ONLY_NOTE}`);
      lines.push(`${spec.key} = ${renderValue(value)}`, '');
    }
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/** Parses TOML text into plain objects (smol-toml), for callers that need the raw document. */
export function parseToml(text: string): Record<string, unknown> {
  return parse(text) as Record<string, unknown>;
}

function qualified(section: string, key: string): string {
  return section === '' ? key : `${section}.${key}`;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array of strings';
  if (typeof value === 'number') return 'integer';
  return typeof value;
}

/**
 * Parses `text` and merges it over `defaults`: keys absent from the file keep their default,
 * keys unknown to the schema are ignored (as CometBFT does), and a known key of the wrong type
 * or failing its check is an ErrInvalidConfig naming `file` and the key.
 */
export function readToml(
  file: string,
  text: string,
  schema: SectionSpec[],
  defaults: Record<string, TomlSection>,
): Record<string, TomlSection> {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    const where = err instanceof TomlError ? ` (line ${err.line}, column ${err.column})` : '';
    const first = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw ErrMalformedFile.wrap(`${file}${where}: ${first}`);
  }
  const out: Record<string, TomlSection> = {};
  for (const section of schema) {
    const raw = section.name === '' ? doc : doc[section.name];
    if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
      throw ErrInvalidConfig.wrap(`${file}: [${section.name}] must be a table`);
    }
    const table = (raw ?? {}) as Record<string, unknown>;
    const merged: TomlSection = {};
    for (const spec of section.keys) {
      const def = defaults[section.name][spec.key];
      const name = qualified(section.name, spec.key);
      let value = table[spec.key];
      if (value === undefined) {
        merged[spec.key] = Array.isArray(def) ? [...def] : def;
        continue;
      }
      if (typeof value === 'bigint') value = Number(value);
      const ok = Array.isArray(def)
        ? Array.isArray(value) && value.every((v) => typeof v === 'string')
        : typeof def === 'number'
          ? typeof value === 'number' && Number.isInteger(value)
          : typeof value === typeof def;
      if (!ok) throw ErrInvalidConfig.wrap(`${file}: ${name} must be ${article(typeName(def))}, got ${JSON.stringify(value)}`);
      const reason = spec.check?.(value as TomlScalar);
      if (reason) throw ErrInvalidConfig.wrap(`${file}: ${name} ${reason}, got ${JSON.stringify(value)}`);
      merged[spec.key] = value as TomlScalar;
    }
    out[section.name] = merged;
  }
  return out;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

// ---- reusable checks ------------------------------------------------------------------------

/** Go duration text as CometBFT reads it: "1s", "500ms", "1m30s", "168h0m0s", "0s". */
export const checkDuration = (v: TomlScalar): string | undefined =>
  typeof v === 'string' && /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$|^0$/.test(v) ? undefined : 'must be a duration such as "1s" or "500ms"';

export const checkNonNegative = (v: TomlScalar): string | undefined =>
  typeof v === 'number' && v >= 0 ? undefined : 'must not be negative';

/** "tcp://host:port" or "unix://path"; empty allowed when `optional`. */
export function checkListenAddress(optional: boolean) {
  return (v: TomlScalar): string | undefined => {
    if (typeof v !== 'string') return 'must be a string';
    if (v === '' && optional) return undefined;
    return /^tcp:\/\/[^\s/]*:\d{1,5}$/.test(v) || /^unix:\/\/\S+$/.test(v) ? undefined : 'must look like tcp://host:port or unix://path';
  };
}

/** "host:port" (host may be empty, meaning every interface). */
export function checkHostPort(optional: boolean) {
  return (v: TomlScalar): string | undefined => {
    if (typeof v !== 'string') return 'must be a string';
    if (v === '' && optional) return undefined;
    return /^[^\s/]*:\d{1,5}$/.test(v) ? undefined : 'must look like host:port';
  };
}

export function checkOneOf(...allowed: string[]) {
  return (v: TomlScalar): string | undefined => (typeof v === 'string' && allowed.includes(v) ? undefined : `must be one of ${allowed.join('|')}`);
}
