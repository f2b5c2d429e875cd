-- CreateTable
CREATE TABLE "Organization" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "autoReportingEnabled" BOOLEAN NOT NULL DEFAULT false,
    "autoReportingChangedAt" DATETIME,
    "autoReportingChangedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Organization_autoReportingChangedById_fkey" FOREIGN KEY ("autoReportingChangedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "organizationId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSignInAt" DATETIME,
    CONSTRAINT "User_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Contract" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "startDate" TEXT NOT NULL,
    "endDate" TEXT,
    "pointsLimit" INTEGER,
    "dueDay" INTEGER NOT NULL DEFAULT 10,
    "terminatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Contract_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "License" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "License_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "License_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "License_revokedById_fkey" FOREIGN KEY ("revokedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LicenseWorkload" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "licenseId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    CONSTRAINT "LicenseWorkload_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "KeyVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "licenseId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "jws" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "expirationDate" TEXT NOT NULL,
    "autoReported" BOOLEAN NOT NULL,
    "points" INTEGER NOT NULL,
    "issuedAt" DATETIME NOT NULL,
    "issuedById" TEXT,
    CONSTRAINT "KeyVersion_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "KeyVersion_issuedById_fkey" FOREIGN KEY ("issuedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Installation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "licenseId" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "productVersion" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    CONSTRAINT "Installation_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Installation_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "UpdateSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "licenseId" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "productVersion" TEXT NOT NULL,
    "versionPresented" INTEGER NOT NULL,
    "versionIssued" INTEGER,
    "result" TEXT NOT NULL,
    "clientAddress" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "UpdateSession_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "UpdateSession_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "UsageReport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "licenseId" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "collectedAt" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "contentHash" TEXT NOT NULL,
    "versionPresented" INTEGER NOT NULL,
    CONSTRAINT "UsageReport_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "UsageReport_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "UsageReportWorkload" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "usageReportId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "newCount" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "UsageReportWorkload_usageReportId_fkey" FOREIGN KEY ("usageReportId") REFERENCES "UsageReport" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MonthlyReport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "dueAt" DATETIME NOT NULL,
    "submittedAt" DATETIME,
    "submittedById" TEXT,
    "onTime" BOOLEAN,
    "totalPoints" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MonthlyReport_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "MonthlyReport_submittedById_fkey" FOREIGN KEY ("submittedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MonthlyReportLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "monthlyReportId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "licenseId" TEXT,
    "productId" TEXT NOT NULL,
    "workloadType" TEXT NOT NULL,
    "reportedCount" INTEGER,
    "count" INTEGER NOT NULL,
    "points" INTEGER NOT NULL,
    "adjustmentReason" TEXT,
    "sourceDetail" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "MonthlyReportLine_monthlyReportId_fkey" FOREIGN KEY ("monthlyReportId") REFERENCES "MonthlyReport" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MonthlyReportLine_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LicenseExtension" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "licenseId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "monthlyReportId" TEXT NOT NULL,
    "fromDate" TEXT NOT NULL,
    "toDate" TEXT NOT NULL,
    "keyVersionId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "LicenseExtension_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "LicenseExtension_monthlyReportId_fkey" FOREIGN KEY ("monthlyReportId") REFERENCES "MonthlyReport" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "LicenseExtension_keyVersionId_fkey" FOREIGN KEY ("keyVersionId") REFERENCES "KeyVersion" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SupportCase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" INTEGER NOT NULL,
    "organizationId" TEXT NOT NULL,
    "openedById" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "problemArea" TEXT NOT NULL,
    "severity" INTEGER NOT NULL DEFAULT 3,
    "summary" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "state" TEXT NOT NULL DEFAULT 'OPEN',
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    CONSTRAINT "SupportCase_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "SupportCase_openedById_fkey" FOREIGN KEY ("openedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaseComment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "authorId" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'COMMENT',
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "CaseComment_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "SupportCase" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CaseComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL,
    "organizationId" TEXT,
    "actorType" TEXT NOT NULL,
    "actorUserId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT,
    CONSTRAINT "AuditEvent_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "AuditEvent_actorUserId_fkey" FOREIGN KEY ("actorUserId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Notice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Notice_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NoticeDismissal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "noticeId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "dismissedAt" DATETIME NOT NULL,
    CONSTRAINT "NoticeDismissal_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "Notice" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "NoticeDismissal_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RateLimitBucket" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "count" INTEGER NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Counter" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" INTEGER NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Organization_name_key" ON "Organization"("name");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "User_organizationId_idx" ON "User"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Contract_number_key" ON "Contract"("number");

-- CreateIndex
CREATE INDEX "Contract_organizationId_startDate_idx" ON "Contract"("organizationId", "startDate");

-- CreateIndex
CREATE UNIQUE INDEX "License_licenseId_key" ON "License"("licenseId");

-- CreateIndex
CREATE INDEX "License_organizationId_createdAt_idx" ON "License"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "License_organizationId_expirationDate_idx" ON "License"("organizationId", "expirationDate");

-- CreateIndex
CREATE INDEX "License_organizationId_productId_expirationDate_idx" ON "License"("organizationId", "productId", "expirationDate");

-- CreateIndex
CREATE INDEX "License_organizationId_autoReported_idx" ON "License"("organizationId", "autoReported");

-- CreateIndex
CREATE INDEX "License_organizationId_licenseId_idx" ON "License"("organizationId", "licenseId");

-- CreateIndex
CREATE INDEX "License_contractId_idx" ON "License"("contractId");

-- CreateIndex
CREATE UNIQUE INDEX "LicenseWorkload_licenseId_type_key" ON "LicenseWorkload"("licenseId", "type");

-- CreateIndex
CREATE UNIQUE INDEX "KeyVersion_licenseId_version_key" ON "KeyVersion"("licenseId", "version");

-- CreateIndex
CREATE INDEX "Installation_organizationId_idx" ON "Installation"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Installation_licenseId_installationId_key" ON "Installation"("licenseId", "installationId");

-- CreateIndex
CREATE INDEX "UpdateSession_licenseId_createdAt_idx" ON "UpdateSession"("licenseId", "createdAt");

-- CreateIndex
CREATE INDEX "UpdateSession_organizationId_createdAt_idx" ON "UpdateSession"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "UsageReport_organizationId_period_idx" ON "UsageReport"("organizationId", "period");

-- CreateIndex
CREATE INDEX "UsageReport_licenseId_period_idx" ON "UsageReport"("licenseId", "period");

-- CreateIndex
CREATE UNIQUE INDEX "UsageReport_licenseId_reportId_key" ON "UsageReport"("licenseId", "reportId");

-- CreateIndex
CREATE UNIQUE INDEX "UsageReportWorkload_usageReportId_type_key" ON "UsageReportWorkload"("usageReportId", "type");

-- CreateIndex
CREATE INDEX "MonthlyReport_organizationId_status_period_idx" ON "MonthlyReport"("organizationId", "status", "period");

-- CreateIndex
CREATE UNIQUE INDEX "MonthlyReport_organizationId_period_key" ON "MonthlyReport"("organizationId", "period");

-- CreateIndex
CREATE INDEX "MonthlyReportLine_monthlyReportId_position_idx" ON "MonthlyReportLine"("monthlyReportId", "position");

-- CreateIndex
CREATE INDEX "MonthlyReportLine_licenseId_idx" ON "MonthlyReportLine"("licenseId");

-- CreateIndex
CREATE UNIQUE INDEX "LicenseExtension_keyVersionId_key" ON "LicenseExtension"("keyVersionId");

-- CreateIndex
CREATE UNIQUE INDEX "LicenseExtension_licenseId_period_key" ON "LicenseExtension"("licenseId", "period");

-- CreateIndex
CREATE UNIQUE INDEX "SupportCase_number_key" ON "SupportCase"("number");

-- CreateIndex
CREATE INDEX "SupportCase_organizationId_updatedAt_idx" ON "SupportCase"("organizationId", "updatedAt");

-- CreateIndex
CREATE INDEX "SupportCase_createdAt_idx" ON "SupportCase"("createdAt");

-- CreateIndex
CREATE INDEX "SupportCase_state_createdAt_idx" ON "SupportCase"("state", "createdAt");

-- CreateIndex
CREATE INDEX "SupportCase_problemArea_createdAt_idx" ON "SupportCase"("problemArea", "createdAt");

-- CreateIndex
CREATE INDEX "CaseComment_caseId_createdAt_idx" ON "CaseComment"("caseId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_at_idx" ON "AuditEvent"("organizationId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_action_at_idx" ON "AuditEvent"("organizationId", "action", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "Notice_organizationId_createdAt_idx" ON "Notice"("organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeDismissal_noticeId_userId_key" ON "NoticeDismissal"("noticeId", "userId");

-- CreateIndex
CREATE INDEX "RateLimitBucket_expiresAt_idx" ON "RateLimitBucket"("expiresAt");
