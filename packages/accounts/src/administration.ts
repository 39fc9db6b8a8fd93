// What an operator does to end users (`pnpm admin users ...`): find, list,
// disable, enable, and reset a password (a user who forgot theirs, or one
// whose password is known to be compromised).
// - Each change is audited in the same transaction as the change; the diff
//   never holds a password or a hash.
// - Disabling and resetting end every session, grant and token of the user
//   (`revokeUser`) as the transaction's last step: if the store cannot be
//   reached, the change rolls back and the operator retries; a commit failing
//   after it only revoked early, the safe way to be wrong.
// - A reset also lifts the account's sign-in lock, so the user can use the new
//   password at once.
import type { Prisma, PrismaClient, User } from '@passerelle/db';
import { Problem } from '@passerelle/errors';
import { writeAudit, type Actor } from '@passerelle/audit';
import { after, decodeCursor, toPage, validate, type Page } from '@passerelle/registry';
import { resetPasswordInput, userListInput, userRef, type ResetPasswordInput, type UserListInput } from './inputs.ts';
import { hashPassword } from './password.ts';
import type { SignInThrottle } from './throttle.ts';

export type UserView = Omit<User, 'passwordHash'>;

export function userView(user: User): UserView {
  const { passwordHash: _hidden, ...rest } = user;
  return rest;
}

export interface AdministrationDeps {
  prisma: PrismaClient;
  throttle: SignInThrottle;
  /** Ends everything the user is signed in with; without one, disabling and resetting refuse. */
  revokeUser?: ((userId: string) => Promise<void>) | undefined;
}

async function findOrThrow(tx: Prisma.TransactionClient, ref: string): Promise<User> {
  const where = validate(userRef, ref);
  const user = await tx.user.findUnique({ where });
  if (!user) throw new Problem('not_found', { detail: `no user "${ref}"` });
  return user;
}

export function userAdministration({ prisma, throttle, revokeUser }: AdministrationDeps) {
  function revoker(): (userId: string) => Promise<void> {
    if (!revokeUser) throw new Error('these accounts have no revoker: they cannot end a user\'s tokens');
    return revokeUser;
  }

  async function findUser(ref: string): Promise<UserView> {
    return userView(await findOrThrow(prisma, ref));
  }

  async function listUsers(input: UserListInput = {}): Promise<Page<UserView>> {
    const query = validate(userListInput, input);
    const partner = query.partner ? await prisma.partner.findUnique({ where: { slug: query.partner } }) : undefined;
    if (query.partner && !partner) throw new Problem('not_found', { detail: `no partner "${query.partner}"` });
    const rows = await prisma.user.findMany({
      where: {
        ...(partner ? { partnerId: partner.id } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...after('createdAt', decodeCursor(query.cursor), 'asc'),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: query.limit + 1,
    });
    return toPage(rows, query.limit, (r) => r.createdAt, userView);
  }

  async function setUserStatus(actor: Actor, ref: string, status: 'active' | 'disabled'): Promise<UserView> {
    const revoke = status === 'disabled' ? revoker() : undefined;
    return prisma.$transaction(async (tx) => {
      const before = await findOrThrow(tx, ref);
      const updated = await tx.user.update({ where: { id: before.id }, data: { status } });
      await writeAudit(tx, actor, {
        action: status === 'active' ? 'user.enable' : 'user.disable', targetType: 'user', targetId: updated.id,
        partnerId: updated.partnerId ?? undefined, diff: { before: { status: before.status }, after: { status } },
      });
      await revoke?.(updated.id);
      return userView(updated);
    });
  }

  async function resetPassword(actor: Actor, ref: string, input: ResetPasswordInput): Promise<UserView> {
    const revoke = revoker();
    const { password } = validate(resetPasswordInput, input);
    const before = await findOrThrow(prisma, ref);
    const passwordHash = await hashPassword(password);
    const user = await prisma.$transaction(async (tx) => {
      const updated = await tx.user.update({ where: { id: before.id }, data: { passwordHash, passwordChangedAt: new Date() } });
      await writeAudit(tx, actor, {
        action: 'user.password_reset', targetType: 'user', targetId: updated.id, partnerId: updated.partnerId ?? undefined,
        diff: { after: { credentialsChangedAt: updated.passwordChangedAt } },
      });
      await revoke(updated.id);
      return updated;
    });
    await throttle.recordSuccess(user.email);
    return userView(user);
  }

  return { findUser, listUsers, setUserStatus, resetPassword };
}
