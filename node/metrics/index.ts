export { Metrics, LATENCY_BUCKETS, INTERVAL_BUCKETS, MAX_PATH_LABELS, OTHER_PATH, type BlockRecord, type MetricsOptions } from './metrics';
export { startMetricsServer, PROMETHEUS_CONTENT_TYPE, type MetricsServer } from './server';
