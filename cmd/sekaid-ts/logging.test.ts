import { Writable } from 'node:stream';
import { CodedError } from '../../types/errors';
import { createLogger, parseLogLevel } from './logging';

function sink(): { stream: Writable; lines: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, lines: () => text.split('\n').filter((l) => l !== '') };
}

describe('logging', () => {
  test('per-module levels: each module at its own level, * for the rest; a bare level is the default', () => {
    expect(parseLogLevel('info')).toEqual({ fallback: 'info', modules: new Map() });
    expect(parseLogLevel('consensus:info,*:error')).toEqual({ fallback: 'error', modules: new Map([['consensus', 'info']]) });
    expect(parseLogLevel('rpc:debug,warn')).toEqual({ fallback: 'warn', modules: new Map([['rpc', 'debug']]) });
    expect(parseLogLevel('*:none').fallback).toBe('silent');
    for (const bad of ['loud', 'consensus:loud', 'a b:info', 'info,']) expect(() => parseLogLevel(bad)).toThrow(CodedError);

    const { stream, lines } = sink();
    const log = createLogger({ level: 'consensus:info,*:error', format: 'json', destination: stream });
    const consensus = log.child({ module: 'consensus' });
    consensus.info('kept: consensus info');
    consensus.debug('dropped: consensus debug');
    consensus.child({ height: 5 }).info('kept: grandchild keeps the module');
    log.child({ module: 'rpc' }).warn('dropped: rpc warn');
    log.child({ module: 'rpc' }).error('kept: rpc error');
    log.info('dropped: main info');
    expect(lines().map((l) => JSON.parse(l).msg)).toEqual(['kept: consensus info', 'kept: grandchild keeps the module', 'kept: rpc error']);
  });

  test('JSON lines: string level, RFC 3339 time, module ("main" at the root), msg', () => {
    const { stream, lines } = sink();
    const log = createLogger({ level: 'info', format: 'json', destination: stream });
    log.info({ height: 3 }, 'committed');
    log.child({ module: 'consensus' }).warn('slow');
    const [a, b] = lines().map((l) => JSON.parse(l));
    expect(a).toEqual({ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), module: 'main', height: 3, msg: 'committed' });
    expect(b).toMatchObject({ level: 'warn', module: 'consensus', msg: 'slow' });
    expect(Object.keys(b).filter((k) => k === 'module')).toHaveLength(1);
  });

  test('plain lines: time, level, module and message on one line', () => {
    const { stream, lines } = sink();
    const log = createLogger({ level: 'debug', format: 'plain', destination: stream });
    log.child({ module: 'rpc' }).debug({ url: 'http://x' }, 'listening');
    expect(lines()).toEqual([expect.stringMatching(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] DEBUG: rpc: listening \{"url":"http:\/\/x"\}$/)]);
  });
});
