import { caseNumberParam } from "@/lib/http/case-number";
import { providerRoute } from "@/lib/http/route";
import { getOwnCase } from "@/lib/server/support-cases";

export const dynamic = "force-dynamic";

export const GET = providerRoute("case:read", {}, ({ ctx, params }) => getOwnCase(ctx, caseNumberParam(params)));
