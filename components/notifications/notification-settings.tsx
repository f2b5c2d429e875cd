"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import type { NotificationSettings, NotificationSettingsInput } from "@/lib/schemas/notifications";
import { api } from "../api";
import { Switch } from "../ui/switch";

/** Settings > Notifications: per kind, email on or off; a daily digest instead of single mails. */
export function NotificationSettingsForm({ settings }: { settings: NotificationSettings }) {
  const router = useRouter();
  const [pending, setPending] = useState<string | null>(null);
  async function save(key: string, input: NotificationSettingsInput, message: string) {
    setPending(key);
    try {
      await api<NotificationSettings>("/api/portal/settings/notifications", { method: "PUT", json: input });
      toast.success(message);
      router.refresh();
    } catch (error) {
      toast.error(`Not saved: ${error instanceof Error ? error.message : "the request failed"}. Try again.`);
    } finally {
      setPending(null);
    }
  }
  return (
    <div className="space-y-6">
      <ul className="divide-y divide-slate-200" aria-label="Email per kind">
        {settings.kinds.map((k) => (
          <li key={k.type} className="flex items-center justify-between gap-4 py-3">
            <span className="text-sm text-slate-800" id={`kind-${k.type}`}>
              {k.label}
            </span>
            <span className="flex shrink-0 items-center gap-2">
              <Switch
                checked={k.email}
                label={`Email: ${k.label}`}
                busy={pending === k.type}
                onChange={(on) => save(k.type, { email: { [k.type]: on } }, on ? `You will get emails about: ${k.label}.` : `No more emails about: ${k.label}. It still shows under the bell.`)}
              />
              <span className="w-7 text-sm">{k.email ? "On" : "Off"}</span>
            </span>
          </li>
        ))}
      </ul>
      <div className="flex items-center justify-between gap-4 border-t border-slate-200 pt-4">
        <span className="text-sm text-slate-800" id="digest-help">
          One email a day (at 00:00 UTC) with the day&apos;s notifications, instead of one email each
        </span>
        <span className="flex shrink-0 items-center gap-2">
          <Switch
            checked={settings.digest}
            label="Daily digest instead of single emails"
            describedBy="digest-help"
            busy={pending === "digest"}
            onChange={(on) => save("digest", { digest: on }, on ? "You will get one digest email a day." : "You will get one email per notification.")}
          />
          <span className="w-7 text-sm">{settings.digest ? "On" : "Off"}</span>
        </span>
      </div>
    </div>
  );
}
