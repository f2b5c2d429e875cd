-- CreateTable
CREATE TABLE "Company" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "externalId" TEXT,
    "archivedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Company_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_License" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "licenseId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "contractId" TEXT,
    "type" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "autoReported" BOOLEAN NOT NULL DEFAULT false,
    "expirationDate" TEXT NOT NULL,
    "supportExpirationDate" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "currentVersion" INTEGER NOT NULL DEFAULT 0,
    "revokedAt" DATETIME,
    "revokedById" TEXT,
    "lastCheckAt" DATETIME,
    "lastCheckResult" TEXT,
    "keyIssuedAt" DATETIME,
    "companyId" TEXT,
    "usageType" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "License_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "License_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "License_revokedById_fkey" FOREIGN KEY ("revokedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "License_companyId_fkey" FOREIGN KEY ("companyId") REFERENCES "Company" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_License" ("autoReported", "contractId", "createdAt", "currentVersion", "description", "expirationDate", "id", "keyIssuedAt", "lastCheckAt", "lastCheckResult", "licenseId", "organizationId", "points", "productId", "revokedAt", "revokedById", "supportExpirationDate", "type", "updatedAt") SELECT "autoReported", "contractId", "createdAt", "currentVersion", "description", "expirationDate", "id", "keyIssuedAt", "lastCheckAt", "lastCheckResult", "licenseId", "organizationId", "points", "productId", "revokedAt", "revokedById", "supportExpirationDate", "type", "updatedAt" FROM "License";
DROP TABLE "License";
ALTER TABLE "new_License" RENAME TO "License";
CREATE UNIQUE INDEX "License_licenseId_key" ON "License"("licenseId");
CREATE INDEX "License_organizationId_createdAt_idx" ON "License"("organizationId", "createdAt");
CREATE INDEX "License_organizationId_expirationDate_idx" ON "License"("organizationId", "expirationDate");
CREATE INDEX "License_organizationId_productId_expirationDate_idx" ON "License"("organizationId", "productId", "expirationDate");
CREATE INDEX "License_organizationId_autoReported_idx" ON "License"("organizationId", "autoReported");
CREATE INDEX "License_organizationId_licenseId_idx" ON "License"("organizationId", "licenseId");
CREATE INDEX "License_contractId_idx" ON "License"("contractId");
CREATE INDEX "License_organizationId_companyId_idx" ON "License"("organizationId", "companyId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Company_organizationId_name_key" ON "Company"("organizationId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Company_organizationId_externalId_key" ON "Company"("organizationId", "externalId");
