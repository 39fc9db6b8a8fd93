// The floor: Koa answering "hello" with nothing else in the way.
import Koa from 'koa';
import { serveForBench } from '../child.ts';
import { serveKoa } from './listen.ts';

serveForBench(async () => {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = 'hello';
  });
  return serveKoa(app);
});
