// @passerelle/db: the Prisma client over PostgreSQL or PGlite, and the
// migrations that shape both. See open.ts for the choice of engine, migrations/
// for how Prisma's WASM schema engine runs without its native binary.
export { Prisma, PrismaClient, ClientStatus, OrderStatus, PartnerStatus, RateTier, SigningKeyStatus, UserStatus } from './generated/client.ts';
export type { ApiKey, AuditEvent, Client, IdempotencyKey, Order, Partner, SigningKey, User } from './generated/client.ts';
export type { ApplyMigrationsOptions, Database, DatabaseTarget, OpenOptions } from './types.ts';
export { DatabaseLockedError, MigrationError } from './errors.ts';
export { openDatabase } from './open.ts';
export { applyMigrations } from './migrate.ts';
