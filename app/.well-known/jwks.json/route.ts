import { jwks } from "@/lib/crypto/keys";
import { json, publicRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => json(await jwks(), { headers: { "Cache-Control": "public, max-age=300" } }));
