// The API's floor once it reads the database: bare Koa answering one Prisma
// `findUnique` of the bench's order, through the same database module (and so
// the same driver adapter and pool) as the API, with nothing else in the way.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { openDatabase } from '@passerelle/db';
import { serveForBench } from '../child.ts';

serveForBench(async () => {
  const db = await openDatabase({ kind: 'postgres', url: process.env['DATABASE_URL']! });
  const app = new Koa();
  app.use(async (ctx) => {
    const order = await db.prisma.order.findUnique({ where: { id: ctx.path.slice(1) } });
    if (order) ctx.body = { ...order, totalMinor: Number(order.totalMinor) };
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urls: { app: `http://127.0.0.1:${port}` },
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await db.close();
    },
  };
});
