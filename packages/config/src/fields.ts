// Field types shared by every service's schema, so "a port" or "a URL" means
// the same thing everywhere.
import { isCidr } from '@passerelle/client-ip';
import { z } from 'zod';

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

export const seconds = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

export const httpUrl = z
  .string()
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'expected an http(s) URL');

export const absoluteUri = z.string().refine((v) => URL.canParse(v), 'expected an absolute URI');

export const postgresUrl = z
  .string()
  .refine((v) => URL.canParse(v) && /^postgres(ql)?:$/.test(new URL(v).protocol), 'expected a postgres:// URL');

export const redisUrl = z
  .string()
  .refine((v) => URL.canParse(v) && /^rediss?:$/.test(new URL(v).protocol), 'expected a redis:// or rediss:// URL');

/** 32 random bytes, base64url: an AES-256 key. */
export const aesKey = z
  .string()
  .refine((v) => Buffer.from(v, 'base64url').length === 32, 'expected 32 bytes, base64url-encoded (e.g. `openssl rand -base64 32 | tr "+/" "-_" | tr -d "="`)');

/** Comma-separated IP addresses or CIDR ranges (IPv4 or IPv6); unset is the empty list. */
export const cidrList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string()).superRefine((list, ctx) => {
    list.forEach((entry, i) => {
      if (!isCidr(entry)) ctx.addIssue({ code: 'custom', path: [i], message: `not an IP address or CIDR range: ${entry}` });
    });
  }))
  .default([]);

export const milliseconds = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** `true`/`false` (also `1`/`0`); anything else is a configuration error, not a silent false. */
export const flag = (fallback: boolean) =>
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').default(fallback);
