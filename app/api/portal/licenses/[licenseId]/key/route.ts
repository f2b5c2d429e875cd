import { z } from "zod";
import { portalRoute } from "@/lib/http/route";
import { parseWith } from "@/lib/schemas/parse";
import { getKeyFile } from "@/lib/server/licenses";
import { idParam } from "@/lib/http/path-id";

export const dynamic = "force-dynamic";

const query = z.object({ version: z.coerce.number().int().min(1).optional() });

// Stable (PRODUCT-API.md): a session or an API token.
export const GET = portalRoute("license:read", {}, async ({ ctx, params, query: q }) => {
  const { version } = parseWith(query, Object.fromEntries(q), "The query");
  const file = await getKeyFile(ctx, idParam(params, "licenseId", "License not found."), version);
  return new Response(file.content, {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
