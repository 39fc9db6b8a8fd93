export { createMetrics, type Metrics, type MirrorStats, type DependencyStatus } from './metrics.ts';
export { httpMetrics, type RouteOf } from './http.ts';
export { serveMetrics, type MetricsListener } from './server.ts';
