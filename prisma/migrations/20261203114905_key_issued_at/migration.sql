-- AlterTable
ALTER TABLE "License" ADD COLUMN "keyIssuedAt" DATETIME;

-- Backfill: the current key version's issue time.
UPDATE "License" SET "keyIssuedAt" = (
  SELECT "issuedAt" FROM "KeyVersion" WHERE "KeyVersion"."licenseId" = "License"."id" AND "KeyVersion"."version" = "License"."currentVersion"
);
