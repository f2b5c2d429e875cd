import { publicRoute, json } from "@/lib/http/route";
import { checkDatabase } from "@/lib/server/health";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () =>
  (await checkDatabase()) ? json({ status: "ok" }) : json({ status: "unavailable" }, { status: 503 }),
);
