/**
 * The node's and CLI's logger: pino, with CometBFT's level syntax and output conventions.
 *
 * Levels: one level ("info") or per-module levels as config.toml's log_level takes them
 * ("consensus:info,rpc:debug,*:error"; `*` is every other module). Components log through
 * `logger.child({ module })`; a line is kept when its level reaches its module's level.
 *
 * Formats: `json` writes one object per line with a string `level`, an RFC 3339 `time`, a
 * `module` ("main" when none) and `msg`; `plain` is the same line through pino-pretty.
 */
import pino, { type Level, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Writable } from 'node:stream';
import { ErrUsage } from './errors';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'plain' | 'json';

export interface LevelSpec {
  /** Level of modules not named (`*`, or the bare level). */
  fallback: LogLevel;
  modules: ReadonlyMap<string, LogLevel>;
}

function level(text: string, spec: string): LogLevel {
  // CometBFT spells silence "none".
  const l = text === 'none' ? 'silent' : text;
  if (!(LOG_LEVELS as readonly string[]).includes(l)) throw ErrUsage.wrap(`log level "${text}" in "${spec}" must be one of ${LOG_LEVELS.join('|')}`);
  return l as LogLevel;
}

/** Parses "info" or "consensus:info,*:error" (a bare level in the list counts as `*`). */
export function parseLogLevel(spec: string): LevelSpec {
  const modules = new Map<string, LogLevel>();
  let fallback: LogLevel = 'info';
  const parts = spec.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw ErrUsage.wrap(`log level "${spec}" has an empty entry`);
  for (const part of parts) {
    const colon = part.lastIndexOf(':');
    if (colon < 0 || part.slice(0, colon) === '*') {
      fallback = level(part.slice(colon + 1), spec);
      continue;
    }
    const module = part.slice(0, colon);
    if (!/^[A-Za-z0-9_.-]+$/.test(module)) throw ErrUsage.wrap(`module "${module}" in log level "${spec}" must be a word such as consensus`);
    modules.set(module, level(part.slice(colon + 1), spec));
  }
  return { fallback, modules };
}

const value = (l: LogLevel): number => (l === 'silent' ? Infinity : pino.levels.values[l]);

/** The level pino itself must let through: the most verbose of all. */
function mostVerbose(spec: LevelSpec): LogLevel {
  let best: LogLevel = spec.fallback;
  for (const l of spec.modules.values()) if (value(l) < value(best)) best = l;
  return best;
}

export interface LoggerOptions {
  level: string;
  format: LogFormat;
  /** Where lines go (default: stderr). */
  destination?: Writable;
}

export function createLogger(opts: LoggerOptions): Logger {
  const spec = parseLogLevel(opts.level);
  const moduleOf = new WeakMap<object, string>();
  const module = (logger: Logger): string => {
    let m = moduleOf.get(logger);
    if (m === undefined) {
      const bound = (logger.bindings() as { module?: unknown }).module;
      m = typeof bound === 'string' ? bound : 'main';
      moduleOf.set(logger, m);
    }
    return m;
  };
  const perModule = spec.modules.size > 0;
  const options: pino.LoggerOptions = {
    level: mostVerbose(spec),
    base: undefined,
    ...(perModule && {
      hooks: {
        logMethod(args, method, lvl) {
          const wanted = spec.modules.get(module(this)) ?? spec.fallback;
          if (lvl >= value(wanted)) method.apply(this, args);
        },
      },
    }),
    // Lines of the root logger name their module too, as CometBFT's "main".
    mixin: (_obj, _lvl, logger) => (module(logger) === 'main' ? { module: 'main' } : {}),
  };
  if (opts.format === 'json') {
    return pino(
      { ...options, formatters: { level: (label) => ({ level: label }) }, timestamp: pino.stdTimeFunctions.isoTime },
      opts.destination ?? pino.destination({ fd: 2, sync: true }),
    );
  }
  const stream = pretty({
    destination: opts.destination ?? 2,
    sync: true,
    colorize: false,
    singleLine: true,
    translateTime: "UTC:yyyy-mm-dd'T'HH:MM:ss.l'Z'",
    ignore: 'pid,hostname,module',
    messageFormat: '{module}: {msg}',
  });
  return pino(options, stream);
}

export function checkLogFormat(format: string): LogFormat {
  if (format !== 'plain' && format !== 'json') throw ErrUsage.wrap(`--log_format must be plain or json, got "${format}"`);
  return format;
}

/** Re-exported so callers need not depend on pino's names. */
export type { Level, Logger };
