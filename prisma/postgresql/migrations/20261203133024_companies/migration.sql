-- CreateEnum
CREATE TYPE "UsageType" AS ENUM ('SINGLE_CUSTOMER', 'MULTI_CUSTOMER', 'INTERNAL');

-- AlterTable
ALTER TABLE "License" ADD COLUMN     "companyId" TEXT,
ADD COLUMN     "usageType" "UsageType";

-- CreateTable
CREATE TABLE "Company" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "externalId" TEXT,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Company_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Company_organizationId_name_key" ON "Company"("organizationId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Company_organizationId_externalId_key" ON "Company"("organizationId", "externalId");

-- CreateIndex
CREATE INDEX "License_organizationId_companyId_idx" ON "License"("organizationId", "companyId");

-- AddForeignKey
ALTER TABLE "License" ADD CONSTRAINT "License_companyId_fkey" FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Company" ADD CONSTRAINT "Company_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
