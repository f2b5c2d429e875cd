import { json, publicRoute } from "@/lib/http/route";
import { portalOpenApiDocument } from "@/lib/schemas/openapi";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => json(portalOpenApiDocument()));
