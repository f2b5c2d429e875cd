-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "organizationId" TEXT,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "runAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "lastError" TEXT,
    "doneAt" DATETIME,
    "createdAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_LicenseExtension" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "licenseId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "monthlyReportId" TEXT,
    "usageReportId" TEXT,
    "fromDate" TEXT NOT NULL,
    "toDate" TEXT NOT NULL,
    "keyVersionId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "LicenseExtension_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "LicenseExtension_monthlyReportId_fkey" FOREIGN KEY ("monthlyReportId") REFERENCES "MonthlyReport" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "LicenseExtension_usageReportId_fkey" FOREIGN KEY ("usageReportId") REFERENCES "UsageReport" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "LicenseExtension_keyVersionId_fkey" FOREIGN KEY ("keyVersionId") REFERENCES "KeyVersion" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_LicenseExtension" ("createdAt", "fromDate", "id", "keyVersionId", "licenseId", "monthlyReportId", "period", "toDate") SELECT "createdAt", "fromDate", "id", "keyVersionId", "licenseId", "monthlyReportId", "period", "toDate" FROM "LicenseExtension";
DROP TABLE "LicenseExtension";
ALTER TABLE "new_LicenseExtension" RENAME TO "LicenseExtension";
CREATE UNIQUE INDEX "LicenseExtension_usageReportId_key" ON "LicenseExtension"("usageReportId");
CREATE UNIQUE INDEX "LicenseExtension_keyVersionId_key" ON "LicenseExtension"("keyVersionId");
CREATE UNIQUE INDEX "LicenseExtension_licenseId_period_key" ON "LicenseExtension"("licenseId", "period");
CREATE TABLE "new_MonthlyReport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "dueAt" DATETIME NOT NULL,
    "submittedAt" DATETIME,
    "submittedById" TEXT,
    "onTime" BOOLEAN,
    "submittedAutomatically" BOOLEAN NOT NULL DEFAULT false,
    "totalPoints" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MonthlyReport_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "MonthlyReport_submittedById_fkey" FOREIGN KEY ("submittedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_MonthlyReport" ("createdAt", "dueAt", "id", "onTime", "organizationId", "period", "status", "submittedAt", "submittedById", "totalPoints", "updatedAt") SELECT "createdAt", "dueAt", "id", "onTime", "organizationId", "period", "status", "submittedAt", "submittedById", "totalPoints", "updatedAt" FROM "MonthlyReport";
DROP TABLE "MonthlyReport";
ALTER TABLE "new_MonthlyReport" RENAME TO "MonthlyReport";
CREATE INDEX "MonthlyReport_organizationId_status_period_idx" ON "MonthlyReport"("organizationId", "status", "period");
CREATE UNIQUE INDEX "MonthlyReport_organizationId_period_key" ON "MonthlyReport"("organizationId", "period");
CREATE TABLE "new_Organization" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "autoReportingEnabled" BOOLEAN NOT NULL DEFAULT false,
    "autoReportingChangedAt" DATETIME,
    "autoReportingChangedById" TEXT,
    "autoSubmit" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Organization_autoReportingChangedById_fkey" FOREIGN KEY ("autoReportingChangedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Organization" ("autoReportingChangedAt", "autoReportingChangedById", "autoReportingEnabled", "createdAt", "id", "name") SELECT "autoReportingChangedAt", "autoReportingChangedById", "autoReportingEnabled", "createdAt", "id", "name" FROM "Organization";
DROP TABLE "Organization";
ALTER TABLE "new_Organization" RENAME TO "Organization";
CREATE UNIQUE INDEX "Organization_name_key" ON "Organization"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Job_key_key" ON "Job"("key");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");
