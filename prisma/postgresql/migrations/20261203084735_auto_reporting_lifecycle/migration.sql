-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('PENDING', 'DONE', 'FAILED');

-- DropForeignKey
ALTER TABLE "LicenseExtension" DROP CONSTRAINT "LicenseExtension_monthlyReportId_fkey";

-- AlterTable
ALTER TABLE "LicenseExtension" ADD COLUMN     "usageReportId" TEXT,
ALTER COLUMN "monthlyReportId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "MonthlyReport" ADD COLUMN     "submittedAutomatically" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "autoSubmit" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "organizationId" TEXT,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "runAt" TIMESTAMP(3) NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "doneAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Job_key_key" ON "Job"("key");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE UNIQUE INDEX "LicenseExtension_usageReportId_key" ON "LicenseExtension"("usageReportId");

-- AddForeignKey
ALTER TABLE "LicenseExtension" ADD CONSTRAINT "LicenseExtension_monthlyReportId_fkey" FOREIGN KEY ("monthlyReportId") REFERENCES "MonthlyReport"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LicenseExtension" ADD CONSTRAINT "LicenseExtension_usageReportId_fkey" FOREIGN KEY ("usageReportId") REFERENCES "UsageReport"("id") ON DELETE SET NULL ON UPDATE CASCADE;
