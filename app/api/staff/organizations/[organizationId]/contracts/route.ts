// POST /api/staff/organizations/{organizationId}/contracts — support staff create a contract.
import { json, staffRoute } from "@/lib/http/route";
import { contractCreateInput } from "@/lib/schemas/organizations";
import { createContract } from "@/lib/server/contracts";

export const dynamic = "force-dynamic";

export const POST = staffRoute("staff:contracts", { body: contractCreateInput }, async ({ ctx, params, body }) =>
  json(await createContract(ctx, params.organizationId, body), { status: 201 }),
);
