import { providerRoute } from "@/lib/http/route";
import { getOwnContract } from "@/lib/server/organizations";

export const GET = providerRoute("overview:read", {}, ({ ctx, params }) => getOwnContract(ctx, params.number));
