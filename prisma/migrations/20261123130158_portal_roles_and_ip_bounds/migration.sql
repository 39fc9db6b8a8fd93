-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('member', 'admin');

-- AlterTable
ALTER TABLE "partners" ADD COLUMN     "ip_allowlist_bounds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "role" "UserRole" NOT NULL DEFAULT 'member';
