import type { Metadata } from "next";
import { ApiReference } from "@/components/docs/api-reference";
import { openApiDocument } from "@/lib/schemas/openapi";

export const metadata: Metadata = { title: "API reference" };

export default function ApiReferencePage() {
  return <ApiReference document={openApiDocument()} source="/api/v1/openapi.json" current="/docs/api" />;
}
