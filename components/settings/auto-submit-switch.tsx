"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import type { UsageSubmission } from "@/lib/schemas/organizations";
import { api } from "../api";
import { Switch } from "../ui/switch";

/** Settings > Usage submission: "Submit automatically on the due day" (admins change it; viewers read it). */
export function AutoSubmitSwitch({ checked, canEdit }: { checked: boolean; canEdit: boolean }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  async function change(next: boolean) {
    setPending(true);
    try {
      const r = await api<UsageSubmission>("/api/portal/settings/usage-submission", { method: "PUT", json: { autoSubmit: next } });
      toast.success(
        r.autoSubmit
          ? `Automatic submission is on: ${r.scheduled} open period${r.scheduled === 1 ? "" : "s"} will be submitted on the due day.`
          : "Automatic submission is off: submit usage yourself each month.",
      );
      router.refresh();
    } catch (error) {
      toast.error(`The setting was not changed: ${error instanceof Error ? error.message : "the request failed"}. Try again.`);
    } finally {
      setPending(false);
    }
  }
  return (
    <div className="flex items-center gap-3">
      <Switch checked={checked} label="Submit automatically on the due day" disabled={!canEdit} describedBy="auto-submit-help" busy={pending} onChange={change} />
      <span className="text-sm">{checked ? "On" : "Off"}</span>
    </div>
  );
}
