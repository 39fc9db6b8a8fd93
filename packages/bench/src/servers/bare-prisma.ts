// The API's floor once it reads the database: bare Koa answering one Prisma
// `findUnique` of the bench's order, through the same database module (and so
// the same driver adapter and pool) as the API, with nothing else in the way.
import Koa from 'koa';
import { openDatabase } from '@passerelle/db';
import { serveForBench } from '../child.ts';
import { serveKoa } from './listen.ts';

serveForBench(async () => {
  const db = await openDatabase({ kind: 'postgres', url: process.env['DATABASE_URL']! });
  const app = new Koa();
  app.use(async (ctx) => {
    const order = await db.prisma.order.findUnique({ where: { id: ctx.path.slice(1) } });
    if (order) ctx.body = { ...order, totalMinor: Number(order.totalMinor) };
  });
  return serveKoa(app, () => db.close());
});
