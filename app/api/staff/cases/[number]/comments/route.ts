import { caseNumberParam } from "@/lib/http/case-number";
import { json, staffRoute } from "@/lib/http/route";
import { commentSchema } from "@/lib/schemas/support";
import { replyAsStaff } from "@/lib/server/support-cases";

export const POST = staffRoute("staff:cases", { body: commentSchema }, async ({ ctx, params, body }) =>
  json(await replyAsStaff(ctx, caseNumberParam(params), body.body), { status: 201 }),
);
