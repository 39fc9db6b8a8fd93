// The floor of any resource server built the way issue 3 prescribes: bare Koa
// making the one Redis round trip of a rate-limit decision (rate-limiter-flexible
// through @passerelle/store, so the same connection options and auto-pipelining
// as the API) and nothing else. No chain can be faster than this, so its ratio
// to bare Koa is the highest "full chain / bare Koa" this machine allows.
import Koa from 'koa';
import { openStore } from '@passerelle/store';
import { serveForBench } from '../child.ts';
import { serveKoa } from './listen.ts';

serveForBench(async () => {
  const store = await openStore({ kind: 'redis', url: process.env['REDIS_URL']!, keyPrefix: `${process.env['REDIS_KEY_PREFIX'] ?? 'passerelle-bench'}:floor:` });
  // Never refuses: the decision's round trip is what is measured.
  const limiter = store.limiter({ keyPrefix: 'rl:floor', points: 2_000_000_000, duration: 60 });
  const app = new Koa();
  app.use(async (ctx) => {
    await limiter.consume('client');
    ctx.body = 'hello';
  });
  return serveKoa(app, () => store.close());
});
