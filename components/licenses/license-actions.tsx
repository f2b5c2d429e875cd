"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { api, failure } from "../api";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { AutoReportedSwitch } from "./auto-reported-switch";

export function DetailAutoReportedToggle({
  licenseId, checked, expirationDate, today, refusal, canEdit,
}: { licenseId: string; checked: boolean; expirationDate: string; today: string; refusal: string | null; canEdit: boolean }) {
  return (
    <div className="flex items-center gap-3">
      <AutoReportedSwitch
        licenseId={licenseId}
        autoReported={checked}
        expirationDate={expirationDate}
        today={today}
        disabled={!canEdit || refusal !== null}
        describedBy={refusal ? "toggle-refusal" : undefined}
      />
      <span className="text-sm">{checked ? "On" : "Off"}</span>
      {refusal && (
        <span id="toggle-refusal" className="text-xs text-slate-600">
          {refusal}
        </span>
      )}
    </div>
  );
}

export function RevokeButton({ licenseId, versions }: { licenseId: string; versions: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function revoke() {
    setPending(true);
    setError(null);
    try {
      await api(`/api/portal/licenses/${encodeURIComponent(licenseId)}/revoke`, { method: "POST" });
      toast.success(`License ${licenseId} is revoked.`);
      setOpen(false);
      router.refresh();
    } catch (error) {
      setError(failure(error, `${licenseId} was not revoked; its keys still work.`));
    } finally {
      setPending(false);
    }
  }
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Revoke
      </Button>
      <ConfirmDialog open={open} title={`Revoke ${licenseId}?`} confirmLabel="Revoke license" danger pending={pending} error={error} onConfirm={revoke} onCancel={() => { setOpen(false); setError(null); }}>
        <p>
          All {versions} key version{versions === 1 ? "" : "s"} of this license stop working at once: a backup server that presents any of them
          is refused (InvalidLicense) and gets no more updates.
        </p>
        <p>The license is no longer extended by usage reports. This cannot be undone; create a new key if you need one.</p>
      </ConfirmDialog>
    </>
  );
}
