// The chain-overhead target: the API's whole middleware chain and guard (every
// step, the rate limiter's Redis round trip included) in front of a handler that
// does no I/O. Mounted by the bench behind the API's own routes, in the bench's
// process only: it tells what the chain costs apart from the database read.
import type Koa from 'koa';

export const CHAIN_HELLO_PATH = '/v1/bench/hello';

export function mountChainHello(app: Koa<never>): void {
  app.use(async (ctx, next) => {
    if (ctx.path !== CHAIN_HELLO_PATH) return next();
    ctx.body = { hello: 'world' };
  });
}
