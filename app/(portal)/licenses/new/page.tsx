import type { Metadata } from "next";
import { NewLicenseWizard } from "@/components/licenses/new-license-wizard";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { suspensionMessage } from "@/lib/domain/reporting";
import { wizardFacts } from "@/lib/server/licenses";

export const metadata: Metadata = { title: "New License Key" };

export default async function NewLicensePage() {
  const user = await requireProvider();
  const { facts, suspension } = await wizardFacts(await providerContext(user));
  return (
    <>
      <PageHeader title="New License Key" description="Create a rental license key under one of your active contracts." />
      {!can(user.role, "license:create") ? (
        <p className="text-sm text-slate-700">You have read-only access: only an admin of your organization can create license keys.</p>
      ) : suspension.suspended ? (
        <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
          <p>{suspensionMessage(suspension)}</p>
          <ButtonLink href="/usage" variant="secondary" className="mt-3">
            Go to Monthly Usages
          </ButtonLink>
        </div>
      ) : (
        <NewLicenseWizard facts={facts} />
      )}
    </>
  );
}
