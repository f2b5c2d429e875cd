// PUT /api/portal/settings/usage-submission — "Submit automatically on the due day" (admins).
import { providerRoute } from "@/lib/http/route";
import { usageSubmissionInput } from "@/lib/schemas/organizations";
import { setAutoSubmit } from "@/lib/server/organizations";

export const dynamic = "force-dynamic";

export const PUT = providerRoute("usage:submit", { body: usageSubmissionInput }, ({ ctx, body }) => setAutoSubmit(ctx, body.autoSubmit));
