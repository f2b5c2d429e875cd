// Formatting shared by the report screen's parts.
import { findWorkloadType } from "@/lib/domain/catalog";

/** A workload type's name in its product's catalog, else its id. */
export const typeName = (productId: string, type: string) => findWorkloadType(productId, type)?.name ?? type;
/** A whole number as every page shows it: 12,345 (the one number formatter). */
export { formatNumber as n } from "../ui/format";
