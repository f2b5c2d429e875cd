import { providerRoute } from "@/lib/http/route";
import { getOwnContract } from "@/lib/server/organizations";
import { idParam } from "@/lib/http/path-id";

export const GET = providerRoute("overview:read", {}, ({ ctx, params }) => getOwnContract(ctx, idParam(params, "number", "Contract not found.")));
