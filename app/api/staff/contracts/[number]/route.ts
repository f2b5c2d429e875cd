// PATCH /api/staff/contracts/{number} — support staff end a contract on a date, or terminate it.
import { staffRoute } from "@/lib/http/route";
import { contractChangeInput } from "@/lib/schemas/organizations";
import { changeContract } from "@/lib/server/contracts";
import { idParam } from "@/lib/http/path-id";

export const dynamic = "force-dynamic";

export const PATCH = staffRoute("staff:contracts", { body: contractChangeInput }, ({ ctx, params, body }) => changeContract(ctx, idParam(params, "number", "Contract not found."), body));
