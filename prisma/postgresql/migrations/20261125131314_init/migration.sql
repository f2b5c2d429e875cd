-- CreateEnum
CREATE TYPE "Role" AS ENUM ('PROVIDER_ADMIN', 'PROVIDER_VIEWER', 'SUPPORT_STAFF');

-- CreateEnum
CREATE TYPE "ContractType" AS ENUM ('NO_COMMIT', 'VOLUME');

-- CreateEnum
CREATE TYPE "ContractStatus" AS ENUM ('ACTIVE', 'TERMINATED');

-- CreateEnum
CREATE TYPE "LicenseType" AS ENUM ('RENTAL', 'NFR', 'EVALUATION');

-- CreateEnum
CREATE TYPE "KeyVersionReason" AS ENUM ('CREATED', 'EXTENDED', 'AUTO_REPORTED_ON', 'AUTO_REPORTED_OFF', 'WORKLOADS_CHANGED');

-- CreateEnum
CREATE TYPE "UpdateResult" AS ENUM ('Success', 'NotRequired', 'UnsupportedLicenseType', 'ContractTerminated', 'InvalidLicense', 'GenerationFailed');

-- CreateEnum
CREATE TYPE "ReportKind" AS ENUM ('weekly', 'monthly');

-- CreateEnum
CREATE TYPE "MonthlyReportStatus" AS ENUM ('DRAFT', 'SUBMITTED');

-- CreateEnum
CREATE TYPE "ReportLineSource" AS ENUM ('AUTO', 'MANUAL');

-- CreateEnum
CREATE TYPE "CaseType" AS ENUM ('GENERAL_INQUIRY', 'TECHNICAL', 'LICENSING');

-- CreateEnum
CREATE TYPE "ProblemArea" AS ENUM ('VCSP_PULSE', 'VEEAM_BACKUP_AND_REPLICATION', 'VEEAM_ONE', 'VEEAM_SERVICE_PROVIDER_CONSOLE', 'LICENSING', 'OTHER');

-- CreateEnum
CREATE TYPE "CaseState" AS ENUM ('OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED');

-- CreateEnum
CREATE TYPE "CommentKind" AS ENUM ('COMMENT', 'SYSTEM');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('USER', 'INSTALLATION', 'SYSTEM');

-- CreateTable
CREATE TABLE "Organization" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "autoReportingEnabled" BOOLEAN NOT NULL DEFAULT false,
    "autoReportingChangedAt" TIMESTAMP(3),
    "autoReportingChangedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "organizationId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSignInAt" TIMESTAMP(3),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contract" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "type" "ContractType" NOT NULL,
    "status" "ContractStatus" NOT NULL DEFAULT 'ACTIVE',
    "startDate" TEXT NOT NULL,
    "endDate" TEXT,
    "pointsLimit" INTEGER,
    "dueDay" INTEGER NOT NULL DEFAULT 10,
    "terminatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Contract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "License" (
    "id" TEXT NOT NULL,
    "licenseId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "contractId" TEXT,
    "type" "LicenseType" NOT NULL,
    "productId" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "autoReported" BOOLEAN NOT NULL DEFAULT false,
    "expirationDate" TEXT NOT NULL,
    "supportExpirationDate" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "currentVersion" INTEGER NOT NULL DEFAULT 0,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,
    "lastCheckAt" TIMESTAMP(3),
    "lastCheckResult" "UpdateResult",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "License_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LicenseWorkload" (
    "id" TEXT NOT NULL,
    "licenseId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "LicenseWorkload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KeyVersion" (
    "id" TEXT NOT NULL,
    "licenseId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "jws" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "reason" "KeyVersionReason" NOT NULL,
    "expirationDate" TEXT NOT NULL,
    "autoReported" BOOLEAN NOT NULL,
    "points" INTEGER NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "issuedById" TEXT,

    CONSTRAINT "KeyVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Installation" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "licenseId" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "productVersion" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Installation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpdateSession" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "licenseId" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "productVersion" TEXT NOT NULL,
    "versionPresented" INTEGER NOT NULL,
    "versionIssued" INTEGER,
    "result" "UpdateResult" NOT NULL,
    "clientAddress" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UpdateSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageReport" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "licenseId" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "kind" "ReportKind" NOT NULL,
    "period" TEXT NOT NULL,
    "collectedAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "contentHash" TEXT NOT NULL,
    "versionPresented" INTEGER NOT NULL,

    CONSTRAINT "UsageReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageReportWorkload" (
    "id" TEXT NOT NULL,
    "usageReportId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "newCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "UsageReportWorkload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonthlyReport" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "status" "MonthlyReportStatus" NOT NULL DEFAULT 'DRAFT',
    "dueAt" TIMESTAMP(3) NOT NULL,
    "submittedAt" TIMESTAMP(3),
    "submittedById" TEXT,
    "onTime" BOOLEAN,
    "totalPoints" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MonthlyReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonthlyReportLine" (
    "id" TEXT NOT NULL,
    "monthlyReportId" TEXT NOT NULL,
    "source" "ReportLineSource" NOT NULL,
    "licenseId" TEXT,
    "productId" TEXT NOT NULL,
    "workloadType" TEXT NOT NULL,
    "reportedCount" INTEGER,
    "count" INTEGER NOT NULL,
    "points" INTEGER NOT NULL,
    "adjustmentReason" TEXT,
    "sourceDetail" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "MonthlyReportLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LicenseExtension" (
    "id" TEXT NOT NULL,
    "licenseId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "monthlyReportId" TEXT NOT NULL,
    "fromDate" TEXT NOT NULL,
    "toDate" TEXT NOT NULL,
    "keyVersionId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LicenseExtension_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupportCase" (
    "id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "organizationId" TEXT NOT NULL,
    "openedById" TEXT NOT NULL,
    "type" "CaseType" NOT NULL,
    "problemArea" "ProblemArea" NOT NULL,
    "severity" INTEGER NOT NULL DEFAULT 3,
    "summary" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "state" "CaseState" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "SupportCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseComment" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "authorId" TEXT,
    "kind" "CommentKind" NOT NULL DEFAULT 'COMMENT',
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CaseComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "organizationId" TEXT,
    "actorType" "ActorType" NOT NULL,
    "actorUserId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notice" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoticeDismissal" (
    "id" TEXT NOT NULL,
    "noticeId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "dismissedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NoticeDismissal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimitBucket" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RateLimitBucket_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Counter" (
    "name" TEXT NOT NULL,
    "value" INTEGER NOT NULL,

    CONSTRAINT "Counter_pkey" PRIMARY KEY ("name")
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

-- AddForeignKey
ALTER TABLE "Organization" ADD CONSTRAINT "Organization_autoReportingChangedById_fkey" FOREIGN KEY ("autoReportingChangedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "License" ADD CONSTRAINT "License_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "License" ADD CONSTRAINT "License_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "License" ADD CONSTRAINT "License_revokedById_fkey" FOREIGN KEY ("revokedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LicenseWorkload" ADD CONSTRAINT "LicenseWorkload_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyVersion" ADD CONSTRAINT "KeyVersion_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyVersion" ADD CONSTRAINT "KeyVersion_issuedById_fkey" FOREIGN KEY ("issuedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Installation" ADD CONSTRAINT "Installation_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Installation" ADD CONSTRAINT "Installation_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateSession" ADD CONSTRAINT "UpdateSession_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateSession" ADD CONSTRAINT "UpdateSession_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageReport" ADD CONSTRAINT "UsageReport_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageReport" ADD CONSTRAINT "UsageReport_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageReportWorkload" ADD CONSTRAINT "UsageReportWorkload_usageReportId_fkey" FOREIGN KEY ("usageReportId") REFERENCES "UsageReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonthlyReport" ADD CONSTRAINT "MonthlyReport_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonthlyReport" ADD CONSTRAINT "MonthlyReport_submittedById_fkey" FOREIGN KEY ("submittedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonthlyReportLine" ADD CONSTRAINT "MonthlyReportLine_monthlyReportId_fkey" FOREIGN KEY ("monthlyReportId") REFERENCES "MonthlyReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonthlyReportLine" ADD CONSTRAINT "MonthlyReportLine_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LicenseExtension" ADD CONSTRAINT "LicenseExtension_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LicenseExtension" ADD CONSTRAINT "LicenseExtension_monthlyReportId_fkey" FOREIGN KEY ("monthlyReportId") REFERENCES "MonthlyReport"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LicenseExtension" ADD CONSTRAINT "LicenseExtension_keyVersionId_fkey" FOREIGN KEY ("keyVersionId") REFERENCES "KeyVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupportCase" ADD CONSTRAINT "SupportCase_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupportCase" ADD CONSTRAINT "SupportCase_openedById_fkey" FOREIGN KEY ("openedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseComment" ADD CONSTRAINT "CaseComment_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "SupportCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseComment" ADD CONSTRAINT "CaseComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorUserId_fkey" FOREIGN KEY ("actorUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeDismissal" ADD CONSTRAINT "NoticeDismissal_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "Notice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeDismissal" ADD CONSTRAINT "NoticeDismissal_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
