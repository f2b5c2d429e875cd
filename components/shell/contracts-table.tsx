import type { ReactNode } from "react";
import type { ContractView } from "@/lib/schemas/organizations";
import { Badge } from "../ui/badge";
import { LocalDate } from "../ui/local-date";
import { EmptyRow, Table, Td, Th } from "../ui/table";

/** A contract as GET /api/portal/contracts/{number} answers it (the fields this table shows). */
export type ContractRow = Pick<ContractView, "number" | "type" | "state" | "startDate" | "endDate" | "dueDay" | "pointsLimit">;

const STATE_TONE = { ACTIVE: "green", EXPIRED: "amber", TERMINATED: "red" } as const;

export function ContractsTable({ contracts, caption, actions }: { contracts: ContractRow[]; caption: string; actions?: (c: ContractRow) => ReactNode }) {
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <Th>Support ID</Th>
          <Th>Type</Th>
          <Th>State</Th>
          <Th>Start</Th>
          <Th>End</Th>
          <Th>Report due day</Th>
          <Th>Points limit</Th>
          {actions && <Th>Actions</Th>}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {contracts.length === 0 && <EmptyRow colSpan={actions ? 8 : 7}>No contracts yet. Contracts are added by the vendor.</EmptyRow>}
        {contracts.map((c) => (
          <tr key={c.number}>
            <Td label="Support ID" className="font-mono">{c.number}</Td>
            <Td label="Type">{c.type === "NO_COMMIT" ? "No commit" : "Volume"}</Td>
            <Td label="State">
              <Badge tone={STATE_TONE[c.state]}>{c.state.charAt(0) + c.state.slice(1).toLowerCase()}</Badge>
            </Td>
            <Td label="Start">
              <LocalDate value={c.startDate} />
            </Td>
            <Td label="End">{c.endDate ? <LocalDate value={c.endDate} /> : "—"}</Td>
            <Td label="Report due day">{c.dueDay}</Td>
            <Td label="Points limit">{c.pointsLimit ?? "—"}</Td>
            {actions && <Td label="Actions">{actions(c)}</Td>}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
