"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { api } from "../api";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Switch } from "../ui/switch";
import { useToggleAutoReported } from "./hooks";

export function DetailAutoReportedToggle({ licenseId, checked, refusal, canEdit }: { licenseId: string; checked: boolean; refusal: string | null; canEdit: boolean }) {
  const router = useRouter();
  const toggle = useToggleAutoReported();
  return (
    <div className="flex items-center gap-3">
      <Switch
        checked={checked}
        label={`Auto Reported License for ${licenseId}`}
        disabled={!canEdit || refusal !== null}
        describedBy={refusal ? "toggle-refusal" : undefined}
        busy={toggle.isPending}
        onChange={(next) => toggle.mutate({ licenseId, autoReported: next }, { onSuccess: () => router.refresh() })}
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
  async function revoke() {
    setPending(true);
    try {
      await api(`/api/portal/licenses/${encodeURIComponent(licenseId)}/revoke`, { method: "POST" });
      toast.success(`License ${licenseId} is revoked.`);
      setOpen(false);
      router.refresh();
    } catch (error) {
      toast.error(error instanceof Error ? error.message : "The license could not be revoked.");
    } finally {
      setPending(false);
    }
  }
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Revoke
      </Button>
      <ConfirmDialog open={open} title={`Revoke ${licenseId}?`} confirmLabel="Revoke license" danger pending={pending} onConfirm={revoke} onCancel={() => setOpen(false)}>
        <p>
          All {versions} key version{versions === 1 ? "" : "s"} of this license stop working at once: a backup server that presents any of them
          is refused (InvalidLicense) and gets no more updates.
        </p>
        <p>The license is no longer extended by usage reports. This cannot be undone; create a new key if you need one.</p>
      </ConfirmDialog>
    </>
  );
}
