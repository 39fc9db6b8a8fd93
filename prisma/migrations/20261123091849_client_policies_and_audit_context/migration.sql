-- CreateEnum
CREATE TYPE "SignaturePolicy" AS ENUM ('off', 'writes', 'all');

-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "credential" TEXT,
ADD COLUMN     "method" TEXT,
ADD COLUMN     "partner_id" UUID,
ADD COLUMN     "path" TEXT;

-- AlterTable
ALTER TABLE "clients" ADD COLUMN     "daily_quota" INTEGER,
ADD COLUMN     "ip_allowlist" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "previous_secret_expires_at" TIMESTAMP(3),
ADD COLUMN     "previous_secret_hash" TEXT,
ADD COLUMN     "signature_policy" "SignaturePolicy" NOT NULL DEFAULT 'writes',
ADD COLUMN     "signing_key_version" INTEGER NOT NULL DEFAULT 1;

-- CreateIndex
CREATE INDEX "audit_events_partner_id_at_idx" ON "audit_events"("partner_id", "at");
