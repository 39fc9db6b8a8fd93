// The metrics listener: GET /metrics and nothing else, on its own port and, by
// default, on 127.0.0.1, so the public listener never exposes it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.ts';

export interface MetricsListener {
  url: string;
  shutdown(): Promise<{ forced: boolean }>;
}

export async function serveMetrics(metrics: Metrics, { host, port }: { host: string; port: number }): Promise<MetricsListener> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    metrics.registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed'),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    shutdown: () => new Promise((resolve) => {
      server.close(() => resolve({ forced: false }));
      server.closeAllConnections();
    }),
  };
}
