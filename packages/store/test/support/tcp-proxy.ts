// A TCP proxy in front of the real Redis, so a test can take Redis away from
// one store (dropping its connections and resetting new ones) and give it
// back, without disturbing anything else that shares the server.
import { createServer, connect, type Socket } from 'node:net';
import { once } from 'node:events';

export interface TcpProxy {
  readonly url: string;
  /** chunks received from clients so far: one per write the client made, on loopback, so one per round trip */
  readonly received: number;
  /** drops every open connection, and resets every new one until `restore` */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(redisUrl: string): Promise<TcpProxy> {
  const upstream = new URL(redisUrl);
  const open = new Set<Socket>();
  let down = false;
  let received = 0;
  const server = createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    client.on('data', () => {
      received += 1;
    });
    const server = connect(Number(upstream.port || 6379), upstream.hostname);
    for (const [from, to] of [[client, server], [server, client]] as const) {
      open.add(from);
      from.on('close', () => open.delete(from));
      from.on('error', () => to.destroy());
      from.pipe(to);
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const proxied = new URL(redisUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);
  const cut = () => {
    down = true;
    // destroy, not resetAndDestroy: resetting a socket whose pipe has begun
    // ending leaves a shutdown pending that keeps Node 20 alive.
    for (const socket of open) socket.destroy();
  };
  return {
    url: proxied.toString(),
    get received() {
      return received;
    },
    cut,
    restore() {
      down = false;
    },
    async close() {
      cut();
      server.close();
      await once(server, 'close');
    },
  };
}
