import type { Context } from 'koa';
import type { GuardState } from './principal.ts';

/** The Koa context every guard step and API route sees. */
export type GuardContext = Context & { state: GuardState };
