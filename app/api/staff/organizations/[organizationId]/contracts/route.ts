// POST /api/staff/organizations/{organizationId}/contracts — support staff create a contract.
import { json, staffRoute } from "@/lib/http/route";
import { contractCreateInput } from "@/lib/schemas/organizations";
import { createContract } from "@/lib/server/contracts";
import { idParam } from "@/lib/http/path-id";

export const dynamic = "force-dynamic";

export const POST = staffRoute("staff:contracts", { body: contractCreateInput }, async ({ ctx, params, body }) =>
  json(await createContract(ctx, idParam(params, "organizationId", "Organization not found."), body), { status: 201 }),
);
