// Formatting shared by the report screen's parts.
import { findWorkloadType } from "@/lib/domain/catalog";

/** A workload type's name in its product's catalog, else its id. */
export const typeName = (productId: string, type: string) => findWorkloadType(productId, type)?.name ?? type;
/** A whole number as the report shows it: 12,345. */
export const n = (v: number) => v.toLocaleString("en-US");
