// An HTTP server on an ephemeral loopback port, for every server of the bench.
// It listens before the service it will carry is built (the API needs the auth
// service's URL for its JWKS).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';

export async function listenEphemeral(): Promise<{ server: Server; url: string; close(): void }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A floor: a bare Koa app on an ephemeral port; `release` frees what it holds (a pool, a connection) on stop. */
export async function serveKoa(app: Koa, release: () => Promise<void> = async () => {}): Promise<{ urls: { app: string }; stop(): Promise<void> }> {
  const http = await listenEphemeral();
  http.server.on('request', app.callback());
  return {
    urls: { app: http.url },
    stop: async () => {
      http.close();
      await release();
    },
  };
}
