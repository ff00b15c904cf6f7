import { Metrics, startMetricsServer, PROMETHEUS_CONTENT_TYPE } from './index';
import { startRpcServer } from '../rpc/server';
import { RpcTestNode } from '../../test/fixtures/rpcNode';

/** Parses exposition text into `name{labels}` → value, checking every line's syntax. */
function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (!m) throw new Error(`bad exposition line: ${line}`);
    out.set(m[1], m[2] === '+Inf' ? Infinity : Number(m[2]));
  }
  return out;
}

describe('Prometheus metrics', () => {
  it('scrapes block, mempool and query metrics over HTTP', async () => {
    const metrics = new Metrics();
    metrics.recordBlock({ height: 7, txs: 3, intervalMs: 1500, commitMs: 12, codes: [0, 0, 5] });
    metrics.recordBlock({ height: 8, txs: 1, intervalMs: 4000, commitMs: 3, codes: [0] });
    metrics.setMempoolSize(42);
    metrics.recordQuery('/cosmos.bank.v1beta1.Query/Balance', 2);
    const server = await startMetricsServer(metrics, { laddr: 'tcp://127.0.0.1:0' });
    try {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
      const text = await res.text();
      expect(text).toContain('# TYPE cometbft_consensus_block_interval_seconds histogram');
      const m = parseExposition(text);
      expect(m.get('cometbft_consensus_height')).toBe(8);
      expect(m.get('cometbft_consensus_num_txs')).toBe(1);
      expect(m.get('cometbft_consensus_total_txs')).toBe(4);
      expect(m.get('sekai_tx_results_total{code="0"}')).toBe(3);
      expect(m.get('sekai_tx_results_total{code="5"}')).toBe(1);
      expect(m.get('cometbft_mempool_size')).toBe(42);
      expect(m.get('cometbft_consensus_block_interval_seconds_bucket{le="2"}')).toBe(1);
      expect(m.get('cometbft_consensus_block_interval_seconds_bucket{le="5"}')).toBe(2);
      expect(m.get('cometbft_consensus_block_interval_seconds_bucket{le="+Inf"}')).toBe(2);
      expect(m.get('cometbft_consensus_block_interval_seconds_sum')).toBeCloseTo(5.5);
      expect(m.get('sekai_block_commit_duration_seconds_count')).toBe(2);
      expect(m.get('sekai_query_duration_seconds_count{path="/cosmos.bank.v1beta1.Query/Balance"}')).toBe(1);
      expect((await fetch(`${server.url}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('escapes label values', () => {
    const metrics = new Metrics();
    metrics.recordQuery('/a"b\\c\nd', 1);
    expect(metrics.render()).toContain('sekai_query_duration_seconds_count{path="/a\\"b\\\\c\\nd"} 1');
  });

  it('records abci_query latency from the RPC server', async () => {
    const metrics = new Metrics();
    const node = new RpcTestNode();
    node.produceBlock([]);
    const rpc = await startRpcServer(node, { laddr: 'tcp://127.0.0.1:0', metrics });
    try {
      const res = await fetch(`${rpc.url}/abci_query?path="/store/kv/key"&data=0x61`);
      expect(res.status).toBe(200);
      expect(parseExposition(metrics.render()).get('sekai_query_duration_seconds_count{path="/store/kv/key"}')).toBe(1);
    } finally {
      await rpc.close();
    }
  });
});
