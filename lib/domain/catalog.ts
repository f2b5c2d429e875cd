// The product catalog: products, editions, workload types and the points weight of each
// workload type. Weights are data (this table), not code: the points rule reads them.

export interface WorkloadTypeDef {
  /** Vendor-style id, as product servers report it (e.g. VBR_VM). */
  id: string;
  name: string;
  /** Points per workload; may be fractional, the points rule rounds the sum up. */
  weight: number;
}

export interface ProductDef {
  id: string;
  name: string;
  edition: string | null;
  workloadTypes: readonly WorkloadTypeDef[];
}

const vbrTypes = (vm: number, agent: number, ws: number, cloud: number, nas: number): WorkloadTypeDef[] => [
  { id: "VBR_VM", name: "Virtual machines", weight: vm },
  { id: "VBR_Server_Agent", name: "Server agents", weight: agent },
  { id: "VBR_Workstation_Agent", name: "Workstation agents", weight: ws },
  { id: "VBR_Cloud_VM", name: "Cloud virtual machines", weight: cloud },
  { id: "VBR_NAS_Backup", name: "NAS backup (per 500 GB)", weight: nas },
];

export const PRODUCTS: readonly ProductDef[] = [
  { id: "VBR_STD", name: "Veeam Backup & Replication", edition: "Standard", workloadTypes: vbrTypes(3, 3, 1, 3, 3) },
  { id: "VBR_ENT", name: "Veeam Backup & Replication", edition: "Enterprise", workloadTypes: vbrTypes(5, 5, 1, 5, 5) },
  { id: "VBR_ENTPLUS", name: "Veeam Backup & Replication", edition: "Enterprise Plus", workloadTypes: vbrTypes(7, 7, 1, 7, 7) },
  {
    id: "VONE",
    name: "Veeam ONE",
    edition: null,
    workloadTypes: [
      { id: "VONE_VM", name: "Virtual machines", weight: 2 },
      { id: "VONE_Server_Agent", name: "Server agents", weight: 2 },
      { id: "VONE_Workstation_Agent", name: "Workstation agents", weight: 0.5 },
    ],
  },
  {
    id: "VB365",
    name: "Veeam Backup for Microsoft 365",
    edition: null,
    workloadTypes: [{ id: "VB365_User", name: "Users", weight: 1.5 }],
  },
  {
    id: "VCC",
    name: "Veeam Cloud Connect",
    edition: null,
    workloadTypes: [
      { id: "CC_VM_Backup", name: "VM backups", weight: 4 },
      { id: "CC_VM_Replica", name: "VM replicas", weight: 8 },
      { id: "CC_Server_Backup", name: "Server backups", weight: 4 },
      { id: "CC_Workstation_Backup", name: "Workstation backups", weight: 1 },
    ],
  },
  {
    id: "VSPC",
    name: "Veeam Service Provider Console agents",
    edition: null,
    workloadTypes: [
      { id: "VAC_Server_Agent", name: "Managed server agents", weight: 1 },
      { id: "VAC_Workstation_Agent", name: "Managed workstation agents", weight: 0.25 },
    ],
  },
  {
    id: "VBA",
    name: "Veeam Backup Agents",
    edition: null,
    workloadTypes: [
      { id: "VBA_Server_Agent", name: "Server agents", weight: 3 },
      { id: "VBA_Workstation_Agent", name: "Workstation agents", weight: 1 },
    ],
  },
];

const byId = new Map(PRODUCTS.map((p) => [p.id, p]));

export function findProduct(productId: string): ProductDef | undefined {
  return byId.get(productId);
}

export function productLabel(product: ProductDef): string {
  return product.edition ? `${product.name} ${product.edition}` : product.name;
}

export function findWorkloadType(productId: string, typeId: string): WorkloadTypeDef | undefined {
  return findProduct(productId)?.workloadTypes.find((t) => t.id === typeId);
}
