"use client";

// Support staff manage an organization's contracts: create one, end one on a date, terminate one.
// Each asks for confirmation first and says what it does to the organization's licenses.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { toast } from "sonner";
import type { ContractView } from "@/lib/schemas/organizations";
import { api, ApiError } from "../api";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { fieldAria, FormField, inputClass } from "../ui/form-field";
import { formatDate } from "../ui/format";

function failure(what: string, error: unknown): string {
  return `${what} failed, nothing changed: ${error instanceof Error ? error.message : "the request failed"}`;
}

export function NewContractForm({ organizationId, organizationName }: { organizationId: string; organizationName: string }) {
  const router = useRouter();
  const id = useId();
  const [form, setForm] = useState({ number: "", type: "NO_COMMIT", startDate: "", endDate: "", pointsLimit: "", dueDay: "10" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const body = {
    number: form.number.trim(),
    type: form.type,
    startDate: form.startDate,
    endDate: form.endDate || null,
    pointsLimit: form.pointsLimit === "" ? null : Number(form.pointsLimit),
    dueDay: Number(form.dueDay),
  };
  function check(): boolean {
    const e: Record<string, string> = {};
    if (!/^\d{8}$/.test(body.number)) e.number = "The Support ID is 8 digits.";
    if (!body.startDate) e.startDate = "Choose the start date.";
    if (body.endDate && body.startDate && body.endDate < body.startDate) e.endDate = "The end date cannot be before the start date.";
    if (!Number.isInteger(body.dueDay) || body.dueDay < 1 || body.dueDay > 28) e.dueDay = "The due day is 1 to 28.";
    if (body.pointsLimit !== null && (!Number.isInteger(body.pointsLimit) || body.pointsLimit < 0)) e.pointsLimit = "A whole number of points, or empty for none.";
    setErrors(e);
    return Object.keys(e).length === 0;
  }
  async function create() {
    setPending(true);
    try {
      await api<ContractView>(`/api/staff/organizations/${encodeURIComponent(organizationId)}/contracts`, { method: "POST", json: body });
      toast.success(`Contract ${body.number} created for ${organizationName}.`);
      setConfirming(false);
      setForm({ number: "", type: "NO_COMMIT", startDate: "", endDate: "", pointsLimit: "", dueDay: "10" });
      router.refresh();
    } catch (error) {
      if (error instanceof ApiError && error.errors.length) setErrors(Object.fromEntries(error.errors.map((x) => [x.path, x.message])));
      toast.error(failure("Creating the contract", error));
      setConfirming(false);
    } finally {
      setPending(false);
    }
  }
  const field = (k: keyof typeof form, label: string, input: "text" | "date" | "number", hint?: string) => (
    <FormField id={`${id}-${k}`} label={label} error={errors[k]} hint={hint}>
      <input id={`${id}-${k}`} type={input} className={inputClass} value={form[k]} onChange={set(k)} {...fieldAria(`${id}-${k}`, errors[k], hint)} />
    </FormField>
  );
  return (
    <details className="mt-4 rounded-md border border-slate-200 p-3">
      <summary className="cursor-pointer text-sm font-medium text-brand-800">New contract for {organizationName}</summary>
      <form
        className="mt-3 grid gap-3 sm:grid-cols-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (check()) setConfirming(true);
        }}
      >
        {field("number", "Support ID", "text", "8 digits, unique")}
        <FormField id={`${id}-type`} label="Type">
          <select id={`${id}-type`} className={inputClass} value={form.type} onChange={set("type")}>
            <option value="NO_COMMIT">No commit</option>
            <option value="VOLUME">Volume</option>
          </select>
        </FormField>
        {field("startDate", "Start date", "date")}
        {field("endDate", "End date (optional)", "date")}
        {field("pointsLimit", "Points limit (optional)", "number")}
        {field("dueDay", "Report due day", "number", "1 to 28")}
        <div className="sm:col-span-3">
          <Button type="submit">Create contract…</Button>
        </div>
      </form>
      <ConfirmDialog open={confirming} title={`Create contract ${body.number}`} confirmLabel="Create contract" pending={pending} onCancel={() => setConfirming(false)} onConfirm={create}>
        <p>
          {organizationName} gets a {body.type === "NO_COMMIT" ? "no-commit" : "volume"} contract from {formatDate(body.startDate)}
          {body.endDate ? ` to ${formatDate(body.endDate)}` : ", without an end date"}, reports due on day {body.dueDay} of each following month
          {body.pointsLimit !== null ? `, limited to ${body.pointsLimit} points` : ""}.
        </p>
        <p>Its reports from then on are due by the earliest due day among the organization&apos;s active contracts.</p>
      </ConfirmDialog>
    </details>
  );
}

export function ContractActions({ number, state }: { number: string; state: ContractView["state"] }) {
  const router = useRouter();
  const id = useId();
  const [dialog, setDialog] = useState<"end" | "terminate" | null>(null);
  const [endDate, setEndDate] = useState("");
  const [pending, setPending] = useState(false);
  if (state === "TERMINATED") return <span className="text-xs text-slate-600">None</span>;
  async function change(body: { action: "end"; endDate: string } | { action: "terminate" }) {
    setPending(true);
    try {
      await api<ContractView>(`/api/staff/contracts/${encodeURIComponent(number)}`, { method: "PATCH", json: body });
      toast.success(body.action === "end" ? `Contract ${number} ends ${formatDate(body.endDate)}.` : `Contract ${number} is terminated.`);
      setDialog(null);
      router.refresh();
    } catch (error) {
      toast.error(failure(body.action === "end" ? "Ending the contract" : "Terminating the contract", error));
    } finally {
      setPending(false);
    }
  }
  return (
    <div className="flex flex-wrap gap-2">
      <Button variant="secondary" onClick={() => setDialog("end")}>End…</Button>
      <Button variant="danger" onClick={() => setDialog("terminate")}>Terminate…</Button>
      <ConfirmDialog
        open={dialog === "end"}
        title={`End contract ${number}`}
        confirmLabel="End contract"
        pending={pending}
        onCancel={() => setDialog(null)}
        onConfirm={() => (endDate ? change({ action: "end", endDate }) : undefined)}
      >
        <FormField id={`${id}-end`} label="Last day of the contract">
          <input id={`${id}-end`} type="date" className={inputClass} value={endDate} onChange={(e) => setEndDate(e.target.value)} />
        </FormField>
        <p>After that day its licenses are Contract ended, cannot be extended, and their update checks answer ContractTerminated.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "terminate"}
        title={`Terminate contract ${number}`}
        confirmLabel="Terminate contract"
        danger
        pending={pending}
        onCancel={() => setDialog(null)}
        onConfirm={() => change({ action: "terminate" })}
      >
        <p>The contract ends now. Its licenses become Contract ended at once, are never extended again, and each product&apos;s next update check answers ContractTerminated, which turns its automatic update off.</p>
        <p>This cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}
