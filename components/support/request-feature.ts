import { AUTO_REPORTING_REQUEST_SUMMARY } from "@/lib/domain/support-cases";

/** The support case form, prefilled to ask for automatic license reporting (DOMAIN-RULES.md). */
export const REQUEST_AUTO_REPORTING_HREF =
  "/support/new?type=GENERAL_INQUIRY&problem=VCSP_PULSE&summary=" + encodeURIComponent(AUTO_REPORTING_REQUEST_SUMMARY);
