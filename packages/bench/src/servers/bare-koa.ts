// The floor: Koa answering "hello" with nothing else in the way.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { serveForBench } from '../child.ts';

serveForBench(async () => {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = 'hello';
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urls: { app: `http://127.0.0.1:${port}` },
    stop: async () => {
      server.closeAllConnections();
      server.close();
    },
  };
});
