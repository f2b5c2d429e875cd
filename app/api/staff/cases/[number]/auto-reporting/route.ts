import { caseNumberParam } from "@/lib/http/case-number";
import { staffRoute } from "@/lib/http/route";
import { autoReportingChange } from "@/lib/schemas/support";
import { setAutoReportingFromCase } from "@/lib/server/support-cases";

/** Enables or disables automatic license reporting for the case's organization: { "enabled": true }. */
export const POST = staffRoute("staff:auto-reporting", { body: autoReportingChange }, ({ ctx, params, body }) =>
  setAutoReportingFromCase(ctx, caseNumberParam(params), body.enabled),
);
