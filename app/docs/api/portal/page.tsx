import type { Metadata } from "next";
import { ApiReference } from "@/components/docs/api-reference";
import { portalOpenApiDocument } from "@/lib/schemas/openapi";

export const metadata: Metadata = { title: "Portal API reference" };

export default function PortalApiReferencePage() {
  return <ApiReference document={portalOpenApiDocument()} source="/api/portal/openapi.json" current="/docs/api/portal" />;
}
