import { findWorkloadType } from "./catalog";

export interface WorkloadCount {
  type: string;
  count: number;
}

/**
 * Points of a set of workloads of one product = ceiling of sum(count x weight).
 * Weights are catalog data; a type the product does not have is an error, never zero points.
 * The sum is taken in hundredths so that fractional weights add up exactly.
 */
export function pointsFor(productId: string, workloads: readonly WorkloadCount[]): number {
  let hundredths = 0;
  for (const w of workloads) {
    if (!Number.isInteger(w.count) || w.count < 0) throw new RangeError(`count of ${w.type} must be a whole number >= 0`);
    const def = findWorkloadType(productId, w.type);
    if (!def) throw new RangeError(`${productId} has no workload type ${w.type}`);
    hundredths += w.count * Math.round(def.weight * 100);
  }
  return Math.ceil(hundredths / 100);
}
