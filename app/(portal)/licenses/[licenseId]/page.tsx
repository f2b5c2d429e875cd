import type { Metadata } from "next";
import { AssignCompany } from "@/components/companies/assign-company";
import { ExpirationChart } from "@/components/licenses/expiration-chart";
import { DetailAutoReportedToggle, RevokeButton } from "@/components/licenses/license-actions";
import { LicenseStateBadge } from "@/components/licenses/state-badge";
import { Card, PageHeader } from "@/components/ui/card";
import { formatNumber } from "@/components/ui/format";
import { LocalDate } from "@/components/ui/local-date";
import { relativeDays } from "@/components/ui/relative-days";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { findWorkloadType } from "@/lib/domain/catalog";
import { toDateString } from "@/lib/domain/dates";
import type { LicenseState } from "@/lib/domain/licenses";
import { decodeSegment, orNotFound } from "@/lib/http/not-found";
import { getLicenseDetail } from "@/lib/server/licenses";

export async function generateMetadata({ params }: PageProps<"/licenses/[licenseId]">): Promise<Metadata> {
  return { title: decodeSegment((await params).licenseId) };
}

const REASON = { CREATED: "Created", EXTENDED: "Extended by usage report", AUTO_REPORTED_ON: "Auto-reporting on", AUTO_REPORTED_OFF: "Auto-reporting off", WORKLOADS_CHANGED: "Workloads changed" } as const;

export default async function LicensePage({ params }: PageProps<"/licenses/[licenseId]">) {
  const user = await requireProvider();
  const ctx = await providerContext(user);
  const licenseId = decodeSegment((await params).licenseId);
  const license = await orNotFound(getLicenseDetail(ctx, licenseId));
  const today = toDateString(ctx.now);
  const revoked = license.state === "REVOKED";
  const mayDownload = can(user.role, "license:download");
  const keyHref = (v: number) => `/api/portal/licenses/${encodeURIComponent(license.licenseId)}/key?version=${v}`;
  return (
    <>
      <PageHeader
        title={license.licenseId}
        description={`${license.productName}${license.productEdition ? ` ${license.productEdition}` : ""} · ${license.description || "no description"}`}
        actions={can(user.role, "license:revoke") && !revoked ? <RevokeButton licenseId={license.licenseId} versions={license.versions.length} /> : undefined}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="License">
          <dl className="grid grid-cols-[9rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-600">State</dt>
            <dd>
              <LicenseStateBadge state={license.state as LicenseState} />
            </dd>
            <dt className="text-slate-600">Type</dt>
            <dd>{license.type}</dd>
            <dt className="text-slate-600">Support ID</dt>
            <dd className="font-mono">{license.supportId ?? "— (no contract)"}</dd>
            <dt className="text-slate-600">Expiration</dt>
            <dd>
              <LocalDate value={license.expirationDate} /> <span className="text-slate-600">({relativeDays(license.expirationDate, today)})</span>
            </dd>
            <dt className="text-slate-600">Support expiration</dt>
            <dd>
              <LocalDate value={license.supportExpirationDate} />
            </dd>
            <dt className="text-slate-600">Points</dt>
            <dd>{formatNumber(license.points)}</dd>
            <dt className="text-slate-600">Created</dt>
            <dd>
              <LocalDate value={license.createdAt} withTime />
            </dd>
            {license.revokedAt && (
              <>
                <dt className="text-slate-600">Revoked</dt>
                <dd>
                  <LocalDate value={license.revokedAt} withTime /> {license.revokedBy && `by ${license.revokedBy}`}
                </dd>
              </>
            )}
            <dt className="text-slate-600">Auto Reported</dt>
            <dd>
              <DetailAutoReportedToggle licenseId={license.licenseId} checked={license.autoReported} expirationDate={license.expirationDate} today={today} refusal={license.toggleRefusal} canEdit={can(user.role, "license:update")} />
            </dd>
          </dl>
        </Card>
        <Card title="Expiration over time" className="lg:col-span-2">
          <ExpirationChart versions={license.versions} />
        </Card>
        <Card title="Company">
          <AssignCompany
            licenseId={license.licenseId}
            companyId={license.companyId}
            companyName={license.companyName}
            usageType={license.usageType}
            canEdit={can(user.role, "company:manage")}
          />
        </Card>
      </div>

      <h2 className="mb-3 mt-8 text-lg font-semibold">Workloads</h2>
      <Table caption="Workloads of this license">
        <thead>
          <tr>
            <Th>Type</Th>
            <Th>Count</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {license.workloads.map((w) => (
            <tr key={w.type}>
              <Td label="Type">
                {findWorkloadType(license.productId, w.type)?.name ?? w.type} <span className="text-xs text-slate-600">({w.type})</span>
              </Td>
              <Td label="Count">{formatNumber(w.count)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>

      <h2 className="mb-3 mt-8 text-lg font-semibold">Key versions</h2>
      {!mayDownload && (
        <p className="mb-3 text-sm text-slate-600">Key files are your product servers&apos; credentials: only administrators of your organization download them.</p>
      )}
      <Table caption="Key versions, newest first">
        <thead>
          <tr>
            <Th>Version</Th>
            <Th>Issued</Th>
            <Th>Why</Th>
            <Th>Expiration</Th>
            <Th>Auto-reported</Th>
            <Th>Points</Th>
            <Th>Key file</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {license.versions.map((v) => (
            <tr key={v.version}>
              <Td label="Version">
                {v.version}
                {v.version === license.currentVersion && <span className="ml-2 text-xs text-brand-800">current</span>}
              </Td>
              <Td label="Issued">
                <LocalDate value={v.issuedAt} withTime />
                {v.issuedBy && <span className="block text-xs text-slate-600">{v.issuedBy}</span>}
              </Td>
              <Td label="Why">{REASON[v.reason]}</Td>
              <Td label="Expiration">
                <LocalDate value={v.expirationDate} />
              </Td>
              <Td label="Auto-reported">{v.autoReported ? "Yes" : "No"}</Td>
              <Td label="Points">{formatNumber(v.points)}</Td>
              <Td label="Key file">
                {mayDownload ? (
                  <a href={keyHref(v.version)} download={`${license.licenseId}.lic`} className="font-medium text-brand-800 underline">
                    Download v{v.version}
                  </a>
                ) : (
                  <span className="text-slate-600">Administrators only</span>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>

      <h2 className="mb-3 mt-8 text-lg font-semibold">Installations</h2>
      <Table caption="Product installations using this license">
        <thead>
          <tr>
            <Th>Installation ID</Th>
            <Th>Product version</Th>
            <Th>First seen</Th>
            <Th>Last seen</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {license.installations.length === 0 && <EmptyRow colSpan={4}>No backup server has checked this license yet.</EmptyRow>}
          {license.installations.map((i) => (
            <tr key={i.id}>
              <Td label="Installation ID" className="font-mono text-xs">{i.installationId}</Td>
              <Td label="Product version">{i.productVersion}</Td>
              <Td label="First seen">
                <LocalDate value={i.firstSeenAt} withTime />
              </Td>
              <Td label="Last seen">
                <LocalDate value={i.lastSeenAt} withTime />
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>

      <h2 className="mb-3 mt-8 text-lg font-semibold">Update sessions</h2>
      <Table caption="License update checks by product servers, newest first">
        <thead>
          <tr>
            <Th>When</Th>
            <Th>Installation</Th>
            <Th>Product version</Th>
            <Th>Presented</Th>
            <Th>Result</Th>
            <Th>Handed out</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {license.updateSessions.length === 0 && <EmptyRow colSpan={6}>No update check yet.</EmptyRow>}
          {license.updateSessions.map((s) => (
            <tr key={s.id}>
              <Td label="When">
                <LocalDate value={s.createdAt} withTime />
              </Td>
              <Td label="Installation" className="font-mono text-xs">{s.installationId}</Td>
              <Td label="Product version">{s.productVersion}</Td>
              <Td label="Presented">v{s.versionPresented}</Td>
              <Td label="Result">{s.result}</Td>
              <Td label="Handed out">{s.versionIssued ? `v${s.versionIssued}` : "—"}</Td>
            </tr>
          ))}
        </tbody>
      </Table>

      <h2 className="mb-3 mt-8 text-lg font-semibold">Usage reports</h2>
      <Table caption="Usage reported by product servers, newest first">
        <thead>
          <tr>
            <Th>Received</Th>
            <Th>Period</Th>
            <Th>Kind</Th>
            <Th>Installation</Th>
            <Th>Workloads</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {license.usageReports.length === 0 && <EmptyRow colSpan={5}>No usage reported by a product server yet.</EmptyRow>}
          {license.usageReports.map((r) => (
            <tr key={r.reportId}>
              <Td label="Received">
                <LocalDate value={r.receivedAt} withTime />
              </Td>
              <Td label="Period">{r.period}</Td>
              <Td label="Kind">{r.kind}</Td>
              <Td label="Installation" className="font-mono text-xs">{r.installationId}</Td>
              <Td label="Workloads" className="whitespace-normal text-xs">{r.workloads.map((w) => `${w.type}: ${w.count}`).join(", ")}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
