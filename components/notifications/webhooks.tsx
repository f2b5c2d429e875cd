"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { WEBHOOK_EVENT_TYPES } from "@/lib/domain/notifications";
import type { CreatedWebhookEndpoint, WebhookDeliveryPage, WebhookDeliveryView, WebhookEndpointView } from "@/lib/schemas/notifications";
import { api, ApiError } from "../api";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { fieldAria, FormField, inputClass } from "../ui/form-field";
import { LocalDate } from "../ui/local-date";
import { EmptyRow, Table, Td, Th } from "../ui/table";

const ENDPOINTS = ["webhooks"] as const;

function urlError(url: string): string | null {
  if (!url.trim()) return "Enter the endpoint's URL";
  try {
    const u = new URL(url.trim());
    if (u.protocol !== "https:" && u.protocol !== "http:") return "Only HTTPS URLs are allowed.";
  } catch {
    return "Enter a full URL, starting with https://.";
  }
  return null;
}

/** Settings > Webhooks: register an endpoint (the secret shown once), its deliveries, Redeliver, delete. */
export function WebhooksSettings({ initial, canManage }: { initial: WebhookEndpointView[]; canManage: boolean }) {
  const client = useQueryClient();
  const { data: endpoints = initial } = useQuery({ queryKey: ENDPOINTS, queryFn: () => api<WebhookEndpointView[]>("/api/portal/webhooks"), initialData: initial });
  const [created, setCreated] = useState<CreatedWebhookEndpoint | null>(null);
  return (
    <div className="space-y-6">
      {canManage ? (
        <NewEndpointForm
          onCreated={(e) => {
            setCreated(e);
            void client.invalidateQueries({ queryKey: ENDPOINTS });
          }}
        />
      ) : (
        <p className="text-sm text-slate-600">Only an admin of your organization can add, redeliver or delete webhooks.</p>
      )}
      {created && (
        <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm">
          <p className="font-medium text-slate-900">Signing secret of {created.url} — shown this once; copy it now.</p>
          <code data-testid="webhook-secret" className="mt-2 block break-all rounded bg-white p-2 font-mono text-xs text-slate-900">
            {created.secret}
          </code>
          <p className="mt-2 text-slate-700">
            Verify each request with it as the Standard Webhooks convention says: HMAC-SHA256 of <code>webhook-id.webhook-timestamp.body</code>, in the <code>webhook-signature</code> header.
          </p>
          <Button variant="secondary" className="mt-2" onClick={() => setCreated(null)}>
            I have copied it
          </Button>
        </div>
      )}
      {endpoints.length === 0 ? (
        <p className="text-sm text-slate-600">No endpoints yet.</p>
      ) : (
        endpoints.map((e) => <EndpointCard key={e.id} endpoint={e} canManage={canManage} />)
      )}
    </div>
  );
}

function NewEndpointForm({ onCreated }: { onCreated: (e: CreatedWebhookEndpoint) => void }) {
  const [url, setUrl] = useState("");
  const [touched, setTouched] = useState(false);
  const [types, setTypes] = useState<string[]>(["usage.period_due", "usage.period_late", "license.expiring", "update_check.failed"]);
  const [serverError, setServerError] = useState<{ url?: string; types?: string } | null>(null);
  const create = useMutation({
    mutationFn: () => api<CreatedWebhookEndpoint>("/api/portal/webhooks", { method: "POST", json: { url: url.trim(), types } }),
    onSuccess: (e) => {
      toast.success(`Webhook endpoint added: ${e.url}`);
      setUrl("");
      setTouched(false);
      setServerError(null);
      onCreated(e);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.errors.length) {
        setServerError({ url: error.errors.find((x) => x.path === "url")?.message, types: error.errors.find((x) => x.path.startsWith("types"))?.message });
      }
      toast.error(`The endpoint was not added: ${error instanceof Error ? error.message : "the request failed"}`);
    },
  });
  const error = (touched ? urlError(url) : null) ?? serverError?.url ?? null;
  const typesError = types.length === 0 ? "Choose at least one event kind" : serverError?.types ?? null;
  return (
    <Card title="Add an endpoint">
      <form
        className="space-y-4"
        onSubmit={(ev) => {
          ev.preventDefault();
          setTouched(true);
          if (urlError(url) || types.length === 0) return;
          create.mutate();
        }}
      >
        <FormField id="webhook-url" label="Endpoint URL" error={error} hint="HTTPS only. Requests come from the portal's servers; private network addresses are refused.">
          <input
            id="webhook-url"
            className={inputClass}
            value={url}
            placeholder="https://example.com/pulse-events"
            onChange={(ev) => {
              setUrl(ev.target.value);
              setTouched(true);
              setServerError(null);
            }}
            {...fieldAria("webhook-url", error, "HTTPS only")}
          />
        </FormField>
        <fieldset aria-describedby={typesError ? "webhook-types-error" : undefined}>
          <legend className="text-sm font-medium text-slate-800">Event kinds</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {WEBHOOK_EVENT_TYPES.map((t) => (
              <label key={t} className="flex items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" checked={types.includes(t)} onChange={(ev) => setTypes(ev.target.checked ? [...types, t] : types.filter((x) => x !== t))} />
                <code>{t}</code>
              </label>
            ))}
          </div>
          {typesError && (
            <p id="webhook-types-error" role="alert" className="mt-1 text-xs font-medium text-red-700">
              {typesError}
            </p>
          )}
        </fieldset>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add endpoint"}
        </Button>
      </form>
    </Card>
  );
}

const STATUS_TONE = { PENDING: "amber", DELIVERED: "green", FAILED: "red" } as const;
const STATUS_LABEL = { PENDING: "Pending", DELIVERED: "Delivered", FAILED: "Failed" } as const;

function EndpointCard({ endpoint, canManage }: { endpoint: WebhookEndpointView; canManage: boolean }) {
  const client = useQueryClient();
  const [page, setPage] = useState(1);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const key = ["webhooks", endpoint.id, "deliveries", page];
  const { data } = useQuery({
    queryKey: key,
    queryFn: () => api<WebhookDeliveryPage>(`/api/portal/webhooks/${endpoint.id}/deliveries?page=${page}&pageSize=10`),
    refetchInterval: 5_000,
  });
  const redeliver = useMutation({
    mutationFn: (d: WebhookDeliveryView) => api<WebhookDeliveryView>(`/api/portal/webhooks/deliveries/${d.id}/redeliver`, { method: "POST" }),
    onSuccess: (d) => {
      toast.success(`Redelivery of ${d.eventType} queued: it is sent in a moment with the same webhook-id.`);
      void client.invalidateQueries({ queryKey: ["webhooks", endpoint.id] });
    },
    onError: (error) => toast.error(`Not redelivered: ${error instanceof Error ? error.message : "the request failed"}`),
  });
  const remove = useMutation({
    mutationFn: () => api<void>(`/api/portal/webhooks/${endpoint.id}`, { method: "DELETE" }),
    onSuccess: () => {
      toast.success(`Endpoint ${endpoint.url} deleted.`);
      setConfirmDelete(false);
      void client.invalidateQueries({ queryKey: ENDPOINTS });
    },
    onError: (error) => toast.error(`Not deleted: ${error instanceof Error ? error.message : "the request failed"}`),
  });
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  return (
    <Card
      title={<span className="break-all font-mono text-sm">{endpoint.url}</span>}
      actions={canManage ? <Button variant="danger" onClick={() => setConfirmDelete(true)}>Delete</Button> : undefined}
    >
      <p className="flex flex-wrap gap-x-2 text-sm text-slate-700">
        <span>Kinds:</span>
        {endpoint.types.map((t) => (
          <code key={t} className="break-all">
            {t}
          </code>
        ))}
        <span>
          · added <LocalDate value={endpoint.createdAt} />
        </span>
      </p>
      <Table caption={`Deliveries to ${endpoint.url}`} className="mt-3">
        <thead>
          <tr>
            <Th>Event</Th>
            <Th>Status</Th>
            <Th>Attempts</Th>
            <Th>Answer</Th>
            <Th>Last attempt</Th>
            <Th>Action</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {!data || data.items.length === 0 ? (
            <EmptyRow colSpan={6}>{data ? "No deliveries yet." : "Loading…"}</EmptyRow>
          ) : (
            data.items.map((d) => (
              <tr key={d.id} data-testid="webhook-delivery">
                <Td className="whitespace-normal">
                  <code className="text-xs">{d.eventType}</code>
                  <div className="text-xs text-slate-600">{d.title}</div>
                </Td>
                <Td>
                  <Badge tone={STATUS_TONE[d.status]}>{STATUS_LABEL[d.status]}</Badge>
                  {d.status === "PENDING" && d.nextAttemptAt && (
                    <div className="text-xs text-slate-600">
                      next <LocalDate value={d.nextAttemptAt} withTime />
                    </div>
                  )}
                </Td>
                <Td>{d.attempts}</Td>
                <Td className="whitespace-normal">{d.lastStatusCode ?? (d.lastError ? <span className="text-xs">{d.lastError}</span> : "—")}</Td>
                <Td>{d.lastAttemptAt ? <LocalDate value={d.lastAttemptAt} withTime /> : "—"}</Td>
                <Td>
                  {canManage && (
                    <Button variant="secondary" disabled={redeliver.isPending} aria-label={`Redeliver ${d.eventType} of ${d.createdAt}`} onClick={() => redeliver.mutate(d)}>
                      Redeliver
                    </Button>
                  )}
                </Td>
              </tr>
            ))
          )}
        </tbody>
      </Table>
      {data && data.total > data.pageSize && (
        <nav aria-label={`Pages of deliveries to ${endpoint.url}`} className="mt-2 flex items-center gap-2 text-sm">
          <Button variant="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous
          </Button>
          <span>
            Page {page} of {pages}
          </span>
          <Button variant="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next
          </Button>
        </nav>
      )}
      <ConfirmDialog
        open={confirmDelete}
        title="Delete this webhook endpoint?"
        confirmLabel="Delete endpoint"
        danger
        pending={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => setConfirmDelete(false)}
      >
        {endpoint.url} will get no more events; its pending deliveries are not sent.
      </ConfirmDialog>
    </Card>
  );
}
