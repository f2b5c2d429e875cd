import type { Metadata } from "next";
import Link from "next/link";
import { AutoReportingStatus } from "@/components/shell/auto-reporting-status";
import { REQUEST_AUTO_REPORTING_HREF } from "@/components/support/request-feature";
import { ButtonLink } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { getOwnOrganization } from "@/lib/server/organizations";
import { openAutoReportingRequest } from "@/lib/server/support-cases";
import { RequestAutoReporting } from "@/components/support/request-auto-reporting";
import { AutoSubmitSwitch } from "@/components/settings/auto-submit-switch";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireProvider();
  const ctx = await providerContext(user);
  const [org, openRequest] = await Promise.all([getOwnOrganization(ctx), openAutoReportingRequest(ctx)]);
  return (
    <>
      <PageHeader title="Settings" description="Your organization's portal settings." />
      <Card title="Auto-Reporting" className="max-w-3xl">
        <AutoReportingStatus enabled={org.autoReportingEnabled} changedAt={org.autoReportingChangedAt} changedBy={org.autoReportingChangedBy} />
        {org.autoReportingEnabled ? (
          <p className="mt-3 text-sm text-slate-600">
            Auto-reported keys are renewed by your backup servers and extended by one month each month their usage is reported on time, by the backup server&apos;s own monthly report or by Submit Usage (a late report extends nothing). Turn the feature on or
            off per key in Manage Licenses.
          </p>
        ) : openRequest === null && can(user.role, "case:open") ? (
          <div className="mt-3 space-y-2 text-sm text-slate-600">
            <p>Support staff enable automatic license reporting on request. The button opens a support case already filled in.</p>
            <ButtonLink href={REQUEST_AUTO_REPORTING_HREF}>Request automatic license reporting</ButtonLink>
          </div>
        ) : (
          <RequestAutoReporting className="mt-3 text-sm text-slate-700" canOpenCase={can(user.role, "case:open")} openRequest={openRequest} />
        )}
      </Card>
      <Card title="Notifications and webhooks" className="mt-6 max-w-3xl">
        <ul className="list-disc space-y-1 pl-5 text-sm">
          <li><Link href="/settings/notifications" className="text-brand-800 underline">Settings &gt; Notifications</Link>: which notifications are also emailed to you, or one digest a day.</li>
          <li><Link href="/settings/webhooks" className="text-brand-800 underline">Settings &gt; Webhooks</Link>: signed events sent to your own HTTPS endpoints, each delivery with its status.</li>
        </ul>
      </Card>
      <Card title="Usage submission" className="mt-6 max-w-3xl">
        <AutoSubmitSwitch checked={org.autoSubmit} canEdit={can(user.role, "usage:submit")} />
        <p id="auto-submit-help" className="mt-3 text-sm text-slate-600">
          When this is on, the portal submits each month&apos;s usage itself at 00:00 UTC of the due day, with the figures as they stand then,
          exactly as Submit Usage would; the activity log shows it as &quot;system (automatic submission)&quot;. A month already past its due day
          is submitted at once, late.{can(user.role, "usage:submit") ? "" : " Only an admin of your organization can change this."}
        </p>
      </Card>
      <Card title="API tokens" className="mt-6 max-w-3xl">
        <p className="text-sm text-slate-600">
          Tokens for your scripts and integrations (Authorization: Bearer).{" "}
          <Link href="/settings/api-tokens" className="font-medium text-brand-800 underline">
            Manage API tokens
          </Link>
        </p>
      </Card>
      <Card title="Companies" className="mt-6 max-w-3xl">
        <p className="text-sm text-slate-600">
          Your own customers, each license key assigned to one, and usage broken down per company.{" "}
          <Link href="/settings/companies" className="font-medium text-brand-800 underline">
            Manage companies
          </Link>
        </p>
      </Card>
    </>
  );
}
