// POST /api/v1/license/update — is a newer license key available? (PRODUCT-API.md)
import { json, productRoute } from "@/lib/http/route";
import { licenseUpdateRequest, UPDATE_MESSAGES, UPDATE_STATUS } from "@/lib/schemas/product-api";
import { answerUpdateCheck } from "@/lib/server/license-update";

export const dynamic = "force-dynamic";

export const POST = productRoute(
  {
    body: licenseUpdateRequest,
    onInvalidKey: (at) =>
      json({ result: "InvalidLicense", message: UPDATE_MESSAGES.InvalidLicense, checkedAt: at.toISOString() }, { status: UPDATE_STATUS.InvalidLicense }),
    // A database or signing failure is GenerationFailed, never an unhandled 500.
    onFailure: (_error, at) =>
      json(
        {
          result: "GenerationFailed",
          message: UPDATE_MESSAGES.GenerationFailed,
          checkedAt: at.toISOString(),
          nextCheckAfter: new Date(at.getTime() + 86_400_000).toISOString(),
        },
        { status: UPDATE_STATUS.GenerationFailed, headers: { "Retry-After": "86400" } },
      ),
  },
  async ({ ctx, body, clientAddress }) => json(await answerUpdateCheck(ctx.actor, body, ctx.now, clientAddress)),
);
