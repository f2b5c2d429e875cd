// POST /api/v1/license/update — is a newer license key available? (PRODUCT-API.md)
import { RETRY_AFTER_GENERATION_FAILURE_MS } from "@/lib/domain/schedule";
import { json, productRoute } from "@/lib/http/route";
import { licenseUpdateRequest, UPDATE_STATUS } from "@/lib/schemas/product-api";
import { answerUpdateCheck, generationFailedAnswer, invalidLicenseAnswer } from "@/lib/server/license-update";

export const dynamic = "force-dynamic";

export const POST = productRoute(
  {
    body: licenseUpdateRequest,
    onInvalidKey: (at) => json(invalidLicenseAnswer(at), { status: UPDATE_STATUS.InvalidLicense }),
    // A database or signing failure is GenerationFailed, never an unhandled 500.
    onFailure: (_error, at) =>
      json(generationFailedAnswer(at), {
        status: UPDATE_STATUS.GenerationFailed,
        headers: { "Retry-After": String(RETRY_AFTER_GENERATION_FAILURE_MS / 1000) },
      }),
  },
  async ({ ctx, body }) => {
    const answer = await answerUpdateCheck(ctx, body);
    return json(answer, { status: UPDATE_STATUS[answer.result] });
  },
);
