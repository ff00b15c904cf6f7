import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { Metrics, MAX_PATH_LABELS, startMetricsServer, PROMETHEUS_CONTENT_TYPE } from './index';
import { startRpcServer } from '../rpc/server';
import { RpcTestNode } from '../../test/fixtures/rpcNode';

/** CometBFT's consensus and mempool metrics and the type CometBFT gives each. */
const CONSENSUS_TYPES: [string, string][] = [
  ['cometbft_consensus_height', 'GAUGE'],
  ['cometbft_consensus_validators', 'GAUGE'],
  ['cometbft_consensus_validators_power', 'GAUGE'],
  ['cometbft_consensus_missing_validators', 'GAUGE'],
  ['cometbft_consensus_byzantine_validators', 'GAUGE'],
  ['cometbft_consensus_block_size_bytes', 'GAUGE'],
  ['cometbft_consensus_num_txs', 'GAUGE'],
  ['cometbft_consensus_total_txs', 'GAUGE'],
  ['cometbft_consensus_block_interval_seconds', 'HISTOGRAM'],
  ['cometbft_mempool_size', 'GAUGE'],
  ['cometbft_mempool_failed_txs', 'COUNTER'],
];

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/y;

/**
 * Parses exposition text (format 0.0.4) strictly into flat samples: every line must be a
 * comment, blank or a valid sample. parse-prometheus-text-format checks the scrape too, but
 * it drops the labels, _count and _sum of labelled histograms (chain_id, path), so the
 * values are read here.
 */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    const head = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (!head) throw new Error(`bad exposition line: ${line}`);
    let pos = head[0].length;
    const labels: Record<string, string> = {};
    if (line[pos] === '{') {
      pos++;
      while (line[pos] !== '}') {
        LABEL.lastIndex = pos;
        const m = LABEL.exec(line);
        if (!m) throw new Error(`bad label in: ${line}`);
        labels[m[1]] = m[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
        pos = LABEL.lastIndex;
        if (line[pos] === ',') pos++;
      }
      pos++;
    }
    const rest = /^ (\S+)( -?\d+)?$/.exec(line.slice(pos));
    if (!rest) throw new Error(`bad value in: ${line}`);
    // Go's ParseFloat, which Prometheus uses, reads Inf and NaN in any case.
    const word = rest[1].toLowerCase();
    const v = word === '+inf' || word === 'inf' ? Infinity : word === '-inf' ? -Infinity : word === 'nan' ? NaN : Number(rest[1]);
    if (Number.isNaN(v) && word !== 'nan') throw new Error(`bad value in: ${line}`);
    out.push({ name: head[1], labels, value: v });
  }
  return out;
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

function series(samples: Sample[], name: string): Sample[] {
  return samples.filter((s) => s.name === name);
}

describe('Prometheus metrics', () => {
  it('scrapes CometBFT-standard block, validator and mempool series with a chain_id label over HTTP', async () => {
    const metrics = new Metrics({ chainId: 'test-1' });
    metrics.recordBlock({
      height: 7,
      txs: 3,
      intervalMs: 1500,
      commitMs: 12,
      codes: [0, 0, 5],
      sizeBytes: 900,
      validators: 4,
      validatorsPower: 4n,
      missingValidators: 1,
      missingValidatorsPower: 1n,
      byzantineValidators: 0,
    });
    metrics.recordBlock({ height: 8, txs: 1, intervalMs: 4000, commitMs: 3, codes: [0] });
    metrics.setMempoolSize(42);
    metrics.recordMempoolFailure();
    metrics.recordQuery('/cosmos.bank.v1beta1.Query/Balance', 2);
    const server = await startMetricsServer(metrics, { laddr: 'tcp://127.0.0.1:0' });
    try {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
      const text = await res.text();
      expect(text).toContain('# TYPE cometbft_consensus_block_interval_seconds histogram');
      expect(text).toContain('# TYPE cometbft_consensus_total_txs gauge');
      // A published parser (the Prometheus Python client's, ported) reads the whole scrape and
      // finds every family with CometBFT's types.
      const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f.type]));
      expect(Object.fromEntries(CONSENSUS_TYPES.map(([name]) => [name, families.get(name)]))).toEqual(Object.fromEntries(CONSENSUS_TYPES));
      const m = parse(text);
      const chain = { chain_id: 'test-1' };
      expect(value(m, 'cometbft_consensus_height', chain)).toBe(8);
      expect(value(m, 'cometbft_consensus_num_txs', chain)).toBe(1);
      expect(value(m, 'cometbft_consensus_total_txs', chain)).toBe(4);
      expect(value(m, 'cometbft_consensus_validators', chain)).toBe(4);
      expect(value(m, 'cometbft_consensus_validators_power', chain)).toBe(4);
      expect(value(m, 'cometbft_consensus_missing_validators', chain)).toBe(1);
      expect(value(m, 'cometbft_consensus_byzantine_validators', chain)).toBe(0);
      expect(value(m, 'cometbft_consensus_block_size_bytes', chain)).toBe(900);
      expect(value(m, 'sekai_tx_results_total', { code: '0' })).toBe(3);
      expect(value(m, 'sekai_tx_results_total', { code: '5' })).toBe(1);
      expect(value(m, 'cometbft_mempool_size', chain)).toBe(42);
      expect(value(m, 'cometbft_mempool_failed_txs', chain)).toBe(1);
      expect(value(m, 'cometbft_consensus_block_interval_seconds_bucket', { le: '2' })).toBe(1);
      expect(value(m, 'cometbft_consensus_block_interval_seconds_bucket', { le: '5' })).toBe(2);
      expect(value(m, 'cometbft_consensus_block_interval_seconds_bucket', { le: '+Inf' })).toBe(2);
      expect(value(m, 'cometbft_consensus_block_interval_seconds_sum')).toBeCloseTo(5.5);
      expect(value(m, 'sekai_block_commit_duration_seconds_count')).toBe(2);
      expect(value(m, 'sekai_query_duration_seconds_count', { path: '/cosmos.bank.v1beta1.Query/Balance' })).toBe(1);
      // prom-client's default process and Node.js metrics
      expect(value(m, 'process_resident_memory_bytes', chain)).toBeGreaterThan(0);
      expect(value(m, 'nodejs_heap_size_used_bytes', chain)).toBeGreaterThan(0);
      expect((await fetch(`${server.url}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('keeps a bounded set of path labels however many made-up paths clients send', async () => {
    const known = new Set(['/cosmos.bank.v1beta1.Query/Balance', '/app/version']);
    const metrics = new Metrics({ knownQueryPath: (p) => known.has(p), defaultMetrics: false });
    metrics.recordQuery('/cosmos.bank.v1beta1.Query/Balance', 1);
    const before = (await metrics.render()).length;
    for (let i = 0; i < 1000; i++) metrics.recordQuery(`/made/up/${i}/${'x'.repeat(i % 50)}`, 1);
    metrics.recordQuery('/x'.repeat(500_000), 1);
    metrics.recordQuery('/app/version', 1);
    const text = await metrics.render();
    expect(() => parsePrometheusTextFormat(text)).not.toThrow();
    const m = parse(text);
    const paths = series(m, 'sekai_query_duration_seconds_count').map((x) => x.labels.path);
    expect(paths.sort()).toEqual(['/app/version', '/cosmos.bank.v1beta1.Query/Balance', 'other']);
    expect(value(m, 'sekai_query_duration_seconds_count', { path: 'other' })).toBe(1001);
    expect(text.length).toBeLessThan(before * 3);
  });

  it('caps labelled paths even when every path is known', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    for (let i = 0; i < MAX_PATH_LABELS + 50; i++) metrics.recordQuery(`/p${i}`, 1);
    const paths = series(parse(await metrics.render()), 'sekai_query_duration_seconds_count');
    expect(paths).toHaveLength(MAX_PATH_LABELS + 1);
  });

  it('answers a failed scrape with 500 and keeps serving', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const errors: string[] = [];
    const server = await startMetricsServer(metrics, {
      laddr: 'tcp://127.0.0.1:0',
      logger: { warn: () => undefined, error: (_o: unknown, msg: string) => void errors.push(msg) } as never,
    });
    const render = metrics.render.bind(metrics);
    try {
      metrics.render = () => Promise.reject(new RangeError('Invalid string length'));
      expect((await fetch(`${server.url}/metrics`)).status).toBe(500);
      expect(errors).toEqual(['metrics scrape failed']);
      metrics.render = render;
      expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('records abci_query latency from the RPC server', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const node = new RpcTestNode();
    node.produceBlock([]);
    const rpc = await startRpcServer(node, { laddr: 'tcp://127.0.0.1:0', metrics });
    try {
      const res = await fetch(`${rpc.url}/abci_query?path="/store/kv/key"&data=0x61`);
      expect(res.status).toBe(200);
      expect(value(parse(await metrics.render()), 'sekai_query_duration_seconds_count', { path: '/store/kv/key' })).toBe(1);
    } finally {
      await rpc.close();
    }
  });
});

describe('Grafana dashboard', () => {
  it('reads only series the node exports', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dashboard = JSON.parse(readFileSync(join(__dirname, '../../docs/grafana-dashboard.json'), 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const metrics = new Metrics({ chainId: 'c-1' });
    metrics.recordBlock({ height: 1, txs: 1, intervalMs: 1000, commitMs: 1, codes: [0], sizeBytes: 1, validators: 1, validatorsPower: 1, missingValidators: 0, missingValidatorsPower: 0, byzantineValidators: 0 });
    metrics.recordQuery('/q', 1);
    const names = new Set(parse(await metrics.render()).map((s) => s.name));
    const used = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/\b((?:cometbft|sekai|process|nodejs)_[a-z0-9_]+)\{/g)].map((m) => m[1])));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((n) => !names.has(n))).toEqual([]);
  });
});
