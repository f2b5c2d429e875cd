import { staffRoute } from "@/lib/http/route";
import { listQueryFrom } from "@/lib/schemas/licenses";
import { parseWith } from "@/lib/schemas/parse";
import { staffCaseListQuery } from "@/lib/schemas/support";
import { listAllCases } from "@/lib/server/support-cases";

export const dynamic = "force-dynamic";

export const GET = staffRoute("staff:cases", {}, ({ ctx, query }) => listAllCases(ctx, parseWith(staffCaseListQuery, listQueryFrom(query), "The query")));
