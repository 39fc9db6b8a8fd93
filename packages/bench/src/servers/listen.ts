// An HTTP server on an ephemeral loopback port, listening before the service it
// will carry is built (the API needs the auth service's URL for its JWKS).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
