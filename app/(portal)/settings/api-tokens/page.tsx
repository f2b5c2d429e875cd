import type { Metadata } from "next";
import Link from "next/link";
import { ApiTokens } from "@/components/settings/api-tokens";
import { PageHeader } from "@/components/ui/card";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { listApiTokens } from "@/lib/server/api-tokens";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const user = await requireProvider();
  const { items } = await listApiTokens(await providerContext(user));
  return (
    <>
      <PageHeader
        title="API tokens"
        description={
          <>
            Tokens let your scripts call the{" "}
            <Link href="/docs/api/portal" className="font-medium text-brand-800 underline">
              portal API
            </Link>{" "}
            as your organization: read-only tokens list licenses and download keys, admin tokens may also switch Auto Reported License. Every call is
            recorded in Activity with the token&apos;s name.
          </>
        }
      />
      <ApiTokens items={items} canManage={can(user.role, "token:manage")} />
    </>
  );
}
