"use client";

import { useState } from "react";
import { expirationWhenAutoReportedOn } from "@/lib/domain/licenses";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { formatDate } from "../ui/format";
import { Switch } from "../ui/switch";
import { useToggleAutoReported } from "./hooks";

/**
 * The Auto Reported License switch of one license, on the list and on the license page. Turning it
 * on can shorten the key (DOMAIN-RULES.md: the earlier of its date and 75 days from today), and
 * turning it off again does not give the time back: when the date would change, a confirmation
 * names both dates first. When nothing would change, the switch acts at once.
 */
export function AutoReportedSwitch({
  licenseId,
  autoReported,
  expirationDate,
  today,
  disabled,
  describedBy,
}: {
  licenseId: string;
  autoReported: boolean;
  expirationDate: string;
  today: string;
  disabled: boolean;
  describedBy?: string;
}) {
  const toggle = useToggleAutoReported();
  const [shortenedTo, setShortenedTo] = useState<string | null>(null);
  const busy = toggle.isPending && toggle.variables?.licenseId === licenseId;

  const change = (next: boolean) => {
    const to = next ? expirationWhenAutoReportedOn(expirationDate, today) : expirationDate;
    if (to !== expirationDate) setShortenedTo(to);
    else toggle.mutate({ licenseId, autoReported: next });
  };
  const close = () => {
    setShortenedTo(null);
    toggle.reset();
  };

  return (
    <>
      <Switch checked={autoReported} label={`Auto Reported License for ${licenseId}`} disabled={disabled} describedBy={describedBy} busy={busy} onChange={change} />
      <ConfirmDialog
        open={shortenedTo !== null}
        title={`Turn on Auto Reported License for ${licenseId}?`}
        confirmLabel="Turn on and change the date"
        pending={toggle.isPending}
        error={toggle.error ? `${toggle.error.message.replace(/\.?$/, ".")} ${licenseId} was not changed.` : null}
        onCancel={close}
        onConfirm={() => toggle.mutate({ licenseId, autoReported: true }, { onSuccess: () => setShortenedTo(null) })}
      >
        {shortenedTo && (
          <p data-testid="shortening">
            Expiration changes from <strong>{formatDate(expirationDate)}</strong> to <strong>{formatDate(shortenedTo)}</strong>. Turning it off later
            does not restore it.
          </p>
        )}
        <p>From then on, each on-time monthly usage report extends the key by one month. A new key version is issued.</p>
      </ConfirmDialog>
    </>
  );
}
