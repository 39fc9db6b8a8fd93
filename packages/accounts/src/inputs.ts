// What may be sent to create a user or change a password. Length rules follow
// NIST SP 800-63B §5.1.1.2: at least 12 characters here, long passphrases
// allowed, no composition rules, no truncation.
import { z } from 'zod';

export const email = z.string().trim().toLowerCase().max(254).email();

export const password = z.string()
  .min(12, 'at least 12 characters')
  .max(256, 'at most 256 characters');

export const createUserInput = z.strictObject({
  email,
  name: z.string().trim().min(1).max(120).regex(/^[^\p{Cc}]*$/u, 'no control characters'),
  password,
  /** Slug of the partner the user belongs to. */
  partner: z.string().optional(),
  /** In the partner portal: `member` sees their own partner only, `admin` every partner. */
  role: z.enum(['member', 'admin']).default('member'),
});

export type CreateUserInput = z.input<typeof createUserInput>;

export const changePasswordInput = z.strictObject({
  email,
  currentPassword: z.string().min(1).max(256),
  newPassword: password,
}).refine((v) => v.currentPassword !== v.newPassword, { path: ['newPassword'], message: 'must differ from the current password' });

export type ChangePasswordInput = z.input<typeof changePasswordInput>;

/** `users list` filters. */
export const userListInput = z.strictObject({
  /** Slug of the partner the users belong to. */
  partner: z.string().max(63).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export type UserListInput = z.input<typeof userListInput>;

/** An operator's password reset: only the new password. */
export const resetPasswordInput = z.strictObject({ password });

export type ResetPasswordInput = z.input<typeof resetPasswordInput>;

/** How an operator names a user: the id, or the email (any case). */
export const userRef = z.union([z.uuid().transform((id) => ({ id })), email.transform((value) => ({ email: value }))], {
  error: 'an email address or a user id',
});
