"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { CASE_STATE_LABEL, type CaseState } from "@/lib/domain/support-cases";
import { api } from "../api";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { LocalDate } from "../ui/local-date";

const STATE_ACTION: Record<CaseState, string> = { OPEN: "Reopen", IN_PROGRESS: "Start work (In progress)", RESOLVED: "Resolve", CLOSED: "Close" };

/** The state buttons of a case: one per state support staff may move it to. Closing asks first. */
export function CaseStateActions({ number, state, nextStates }: { number: number; state: CaseState; nextStates: CaseState[] }) {
  const router = useRouter();
  const [confirmClose, setConfirmClose] = useState(false);
  const change = useMutation({
    mutationFn: (to: CaseState) => api(`/api/staff/cases/${number}`, { method: "PATCH", json: { state: to } }),
    onSuccess: (_, to) => {
      toast.success(`Case ${number} is ${CASE_STATE_LABEL[to].toLowerCase()} now.`);
      setConfirmClose(false);
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });
  if (nextStates.length === 0) return <p className="text-sm text-slate-600">The case is {CASE_STATE_LABEL[state].toLowerCase()}; its state no longer changes.</p>;
  return (
    <div className="flex flex-wrap gap-2">
      {nextStates.map((to) => (
        <Button
          key={to}
          variant={to === "RESOLVED" ? "primary" : "secondary"}
          disabled={change.isPending}
          onClick={() => (to === "CLOSED" ? setConfirmClose(true) : change.mutate(to))}
        >
          {STATE_ACTION[to]}
        </Button>
      ))}
      <ConfirmDialog
        open={confirmClose}
        title={`Close case ${number}?`}
        confirmLabel="Close case"
        pending={change.isPending}
        onConfirm={() => change.mutate("CLOSED")}
        onCancel={() => setConfirmClose(false)}
      >
        <p>A closed case is final: nobody can comment on it or change its state any more. The provider would open a new case.</p>
      </ConfirmDialog>
    </div>
  );
}

/**
 * The organization's automatic-license-reporting state on a case, with Enable automatic license
 * reporting / Disable, each behind a confirmation that says what will happen.
 */
export function AutoReportingControl({
  number,
  organization,
}: {
  number: number;
  organization: { name: string; autoReportingEnabled: boolean; autoReportingChangedAt: string | null; autoReportingChangedBy: string | null };
}) {
  const router = useRouter();
  const [confirm, setConfirm] = useState(false);
  const enabled = organization.autoReportingEnabled;
  const change = useMutation({
    mutationFn: (on: boolean) => api<{ changed: boolean }>(`/api/staff/cases/${number}/auto-reporting`, { method: "POST", json: { enabled: on } }),
    onSuccess: (result, on) => {
      const what = on ? "enabled" : "disabled";
      if (result.changed) toast.success(`Automatic license reporting ${what} for ${organization.name}. The case records it.`);
      else toast.info(`Automatic license reporting was already ${what} for ${organization.name}; nothing changed.`);
      setConfirm(false);
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <div className="space-y-3 text-sm">
      <p>
        <Badge tone={enabled ? "green" : "neutral"}>{enabled ? "Automatic license reporting is on" : "Automatic license reporting is off"}</Badge>
      </p>
      {organization.autoReportingChangedAt && (
        <p className="text-slate-600">
          {enabled ? "Enabled" : "Last changed"} <LocalDate value={organization.autoReportingChangedAt} withTime />
          {organization.autoReportingChangedBy ? ` by ${organization.autoReportingChangedBy}` : ""}.
        </p>
      )}
      <Button variant={enabled ? "danger" : "primary"} onClick={() => setConfirm(true)} disabled={change.isPending}>
        {enabled ? "Disable" : "Enable automatic license reporting"}
      </Button>
      <ConfirmDialog
        open={confirm}
        title={enabled ? `Disable automatic license reporting for ${organization.name}?` : `Enable automatic license reporting for ${organization.name}?`}
        confirmLabel={enabled ? "Disable" : "Enable"}
        danger={enabled}
        pending={change.isPending}
        onConfirm={() => change.mutate(!enabled)}
        onCancel={() => setConfirm(false)}
      >
        {enabled ? (
          <>
            <p>
              {organization.name} will no longer be able to switch keys to Auto Reported License or create auto-reported keys. Keys that are
              auto-reported now stay as they are.
            </p>
            <p>A comment on this case, a notice to the organization and an audit event record the change.</p>
          </>
        ) : (
          <>
            <p>
              {organization.name} will be able to turn on Auto Reported License for its keys and create auto-reported keys at once; its users see
              a notice on their next page view.
            </p>
            <p>A comment on this case and an audit event record the change, with your name and the time.</p>
          </>
        )}
      </ConfirmDialog>
    </div>
  );
}
