import { caseNumberParam } from "@/lib/http/case-number";
import { json, providerRoute } from "@/lib/http/route";
import { commentSchema } from "@/lib/schemas/support";
import { commentOnOwnCase } from "@/lib/server/support-cases";

export const POST = providerRoute("case:comment", { body: commentSchema }, async ({ ctx, params, body }) =>
  json(await commentOnOwnCase(ctx, caseNumberParam(params), body.body), { status: 201 }),
);
