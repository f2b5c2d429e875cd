import { caseNumberParam } from "@/lib/http/case-number";
import { staffRoute } from "@/lib/http/route";
import { caseStatePatch } from "@/lib/schemas/support";
import { changeCaseState, getCaseForStaff } from "@/lib/server/support-cases";

export const dynamic = "force-dynamic";

export const GET = staffRoute("staff:cases", {}, ({ ctx, params }) => getCaseForStaff(ctx, caseNumberParam(params)));

/** Changes the case's state (OPEN -> IN_PROGRESS -> RESOLVED -> CLOSED). */
export const PATCH = staffRoute("staff:cases", { body: caseStatePatch }, ({ ctx, params, body }) => changeCaseState(ctx, caseNumberParam(params), body.state));
