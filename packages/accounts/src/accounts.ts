// The one domain layer for end users: creation (CLI), sign-in (the login page),
// password change (the account page), and the operator's user management
// (administration.ts). It never returns a password hash.
// - Sign-in answers an unknown account and a wrong password the same way, after
//   the same Argon2id work (a dummy hash stands in for the missing account).
// - Every refused sign-in is a security event; locks come from the throttle.
// - A password change is audited in the same transaction as the change, then
//   `onCredentialsChanged` lets the authorization server end the user's
//   sessions, grants and tokens.
import { Prisma, type PrismaClient } from '@passerelle/db';
import { Problem } from '@passerelle/errors';
import { recordSecurityEvent, writeAudit, type Actor } from '@passerelle/audit';
import type { Store } from '@passerelle/store';
import { changePasswordInput, createUserInput, email as emailSchema, type ChangePasswordInput, type CreateUserInput } from './inputs.ts';
import { dummyHash, hashPassword, verifyPassword } from './password.ts';
import { createSignInThrottle, type SignInLimits, type SignInLock } from './throttle.ts';
import { validate } from '@passerelle/registry';
import { userAdministration, userView, type UserView } from './administration.ts';

export type { UserView } from './administration.ts';


/** Where an attempt came from, for the audit trail and the per-IP limit. */
export interface AttemptContext {
  ip: string;
  requestId?: string | undefined;
  method?: string | undefined;
  path?: string | undefined;
}

export type SignInResult =
  | { ok: true; user: UserView }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

export interface AccountsOptions {
  prisma: PrismaClient;
  store: Pick<Store, 'limiter'>;
  limits?: SignInLimits;
  /**
   * Ends everything the user was signed in with: after a password change is
   * committed, and inside an operator's disable or reset (see administration.ts).
   */
  onCredentialsChanged?: (userId: string) => Promise<void>;
  /** Told of every refused attempt once it is audited, for the service's log and metrics (never the email or password). */
  onRefused?: (refusal: SignInRefusal) => void;
}

/** A refused sign-in or password check: why, and the locks it started. */
export interface SignInRefusal {
  action: string;
  reason: 'locked' | 'unknown_account' | 'wrong_password' | 'account_disabled';
  userId: string | undefined;
  startedLockout: SignInLock[];
  context: AttemptContext;
}

function anonymous(context: AttemptContext): Actor {
  return { type: 'anonymous', id: 'anonymous', credential: 'password', ...context };
}

export function createAccounts({ prisma, store, limits, onCredentialsChanged, onRefused }: AccountsOptions) {
  const throttle = createSignInThrottle(store, limits);

  async function createUser(actor: Actor, input: CreateUserInput): Promise<UserView> {
    const data = validate(createUserInput, input);
    const partner = data.partner === undefined ? null : await prisma.partner.findUnique({ where: { slug: data.partner } });
    if (data.partner !== undefined && !partner) throw new Problem('not_found', { detail: `no partner "${data.partner}"` });
    const passwordHash = await hashPassword(data.password);
    try {
      const user = await prisma.$transaction(async (tx) => {
        const created = await tx.user.create({ data: { email: data.email, name: data.name, passwordHash, partnerId: partner?.id ?? null, role: data.role } });
        await writeAudit(tx, actor, { action: 'user.create', targetType: 'user', targetId: created.id, partnerId: created.partnerId ?? undefined, diff: { after: userView(created) } });
        return created;
      });
      return userView(user);
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        throw new Problem('conflict', { detail: `a user with email "${data.email}" already exists`, cause: err });
      }
      throw err;
    }
  }

  /** The one credential check: throttle, constant-work verify, security event on failure. */
  async function checkPassword(context: AttemptContext, rawEmail: string, password: string, action: string): Promise<SignInResult & { hash?: string }> {
    const parsed = emailSchema.safeParse(rawEmail);
    const email = parsed.success ? parsed.data : rawEmail.trim().toLowerCase().slice(0, 254);
    const retryAfterSeconds = await throttle.lockedFor(email, context.ip);
    if (retryAfterSeconds > 0) {
      // Looked up for the trail only: the answer is the same whether the account exists.
      const target = parsed.success ? await prisma.user.findUnique({ where: { email }, select: { id: true, partnerId: true } }) : null;
      await recordSecurityEvent(prisma, anonymous(context), {
        action, targetType: 'user', targetId: target?.id, partnerId: target?.partnerId ?? undefined, diff: { reason: 'locked' },
      });
      onRefused?.({ action, reason: 'locked', userId: target?.id, startedLockout: [], context });
      return { ok: false, reason: 'locked', retryAfterSeconds };
    }
    const user = parsed.success ? await prisma.user.findUnique({ where: { email } }) : null;
    const matches = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
    if (user && matches && user.status === 'active') {
      await throttle.recordSuccess(email);
      return { ok: true, user: userView(user), hash: user.passwordHash };
    }
    const startedLockout = await throttle.recordFailure(email, context.ip);
    const reason = !user ? 'unknown_account' : !matches ? 'wrong_password' : 'account_disabled';
    await recordSecurityEvent(prisma, anonymous(context), {
      action, targetType: 'user', targetId: user?.id, partnerId: user?.partnerId ?? undefined, diff: { reason },
    });
    onRefused?.({ action, reason, userId: user?.id, startedLockout, context });
    return { ok: false, reason: 'invalid_credentials' };
  }

  async function signIn(context: AttemptContext, email: string, password: string): Promise<SignInResult> {
    const { hash: _hash, ...result } = await checkPassword(context, email, password, 'user.sign_in');
    return result as SignInResult;
  }

  /**
   * Changes the password of the account whose current password is given, then
   * revokes every session, grant and token of the user (`onCredentialsChanged`).
   */
  async function changePassword(context: AttemptContext, input: ChangePasswordInput): Promise<SignInResult> {
    const data = validate(changePasswordInput, input);
    const check = await checkPassword(context, data.email, data.currentPassword, 'user.password_change');
    if (!check.ok) return check;
    const passwordHash = await hashPassword(data.newPassword);
    const user = await prisma.$transaction(async (tx) => {
      const updated = await tx.user.update({ where: { id: check.user.id }, data: { passwordHash, passwordChangedAt: new Date() } });
      await writeAudit(tx, { type: 'user', id: updated.id, credential: 'password', ...context }, {
        action: 'user.password_change', targetType: 'user', targetId: updated.id, partnerId: updated.partnerId ?? undefined,
      });
      return updated;
    });
    await onCredentialsChanged?.(user.id);
    return { ok: true, user: userView(user) };
  }

  async function findActiveUser(id: string): Promise<UserView | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const user = await prisma.user.findUnique({ where: { id } });
    return user?.status === 'active' ? userView(user) : undefined;
  }

  return { createUser, signIn, changePassword, findActiveUser, ...userAdministration({ prisma, throttle, revokeUser: onCredentialsChanged }) };
}

export type Accounts = ReturnType<typeof createAccounts>;
