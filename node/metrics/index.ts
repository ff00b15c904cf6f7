export { Metrics, Gauge, Counter, Histogram, LATENCY_BUCKETS, INTERVAL_BUCKETS, type BlockRecord } from './metrics';
export { startMetricsServer, PROMETHEUS_CONTENT_TYPE, type MetricsServer } from './server';
