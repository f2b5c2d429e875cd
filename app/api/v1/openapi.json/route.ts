import { json, publicRoute } from "@/lib/http/route";
import { openApiDocument } from "@/lib/schemas/openapi";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => json(openApiDocument()));
