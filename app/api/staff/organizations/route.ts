import { parseWith } from "@/lib/schemas/parse";
import { z } from "zod";
import { staffRoute } from "@/lib/http/route";
import { listOrganizations } from "@/lib/server/organizations";

const query = z.object({ page: z.coerce.number().int().min(1).default(1) });

export const GET = staffRoute("staff:organizations", {}, ({ ctx, query: q }) =>
  listOrganizations(ctx, parseWith(query, Object.fromEntries(q), "The query").page),
);
