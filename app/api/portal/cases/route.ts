import { json, providerRoute } from "@/lib/http/route";
import { listQueryFrom } from "@/lib/schemas/licenses";
import { parseWith } from "@/lib/schemas/parse";
import { caseListQuery, openCaseSchema } from "@/lib/schemas/support";
import { listOwnCases, openCase } from "@/lib/server/support-cases";

export const dynamic = "force-dynamic";

export const GET = providerRoute("case:read", {}, ({ ctx, query }) => listOwnCases(ctx, parseWith(caseListQuery, listQueryFrom(query), "The query")));

export const POST = providerRoute("case:open", { body: openCaseSchema }, async ({ ctx, body }) => json(await openCase(ctx, body), { status: 201 }));
