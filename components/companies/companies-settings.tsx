"use client";

// Settings > Companies: the provider's own customers. Admins create, rename and archive them;
// viewers read the list.
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { companyCreateSchema, type CompanyView } from "@/lib/schemas/companies";
import { api, ApiError, failure } from "../api";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { fieldAria, fieldErrors, FormField, inputClass } from "../ui/form-field";
import { formatNumber } from "../ui/format";
import { LocalDate } from "../ui/local-date";
import { EmptyRow, Table, Td, Th } from "../ui/table";

type Errors = Partial<Record<"name" | "externalId" | "form", string>>;

function useRefresh() {
  const router = useRouter();
  const client = useQueryClient();
  return async () => {
    await client.invalidateQueries({ queryKey: ["companies"] });
    router.refresh();
  };
}

function CompanyForm({ initial, submitLabel, onSubmit, onDone }: {
  initial: { name: string; externalId: string };
  submitLabel: string;
  onSubmit: (body: { name: string; externalId: string | null }) => Promise<void>;
  onDone?: () => void;
}) {
  const [name, setName] = useState(initial.name);
  const [externalId, setExternalId] = useState(initial.externalId);
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const idPrefix = initial.name ? "rename" : "company";

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = companyCreateSchema.safeParse({ name, externalId });
    if (!parsed.success) {
      setErrors(fieldErrors<keyof Errors>(parsed.error.issues));
      return;
    }
    setErrors({});
    setPending(true);
    try {
      await onSubmit({ name: parsed.data.name, externalId: parsed.data.externalId ?? null });
      if (!initial.name) {
        setName("");
        setExternalId("");
      }
      onDone?.();
    } catch (error) {
      const fields: Errors = {};
      if (error instanceof ApiError) for (const f of error.errors) fields[f.path as keyof Errors] ??= f.message;
      setErrors({ ...fields, form: failure(error, "Nothing was saved.") });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-3">
      <FormField id={`${idPrefix}-name`} label="Name" error={errors.name}>
        <input id={`${idPrefix}-name`} value={name} onChange={(e) => setName(e.target.value)} className={inputClass} {...fieldAria(`${idPrefix}-name`, errors.name)} />
      </FormField>
      <FormField id={`${idPrefix}-external-id`} label="External ID (optional)" error={errors.externalId} hint="Its id in your billing system">
        <input
          id={`${idPrefix}-external-id`}
          value={externalId}
          onChange={(e) => setExternalId(e.target.value)}
          className={inputClass}
          {...fieldAria(`${idPrefix}-external-id`, errors.externalId, "hint")}
        />
      </FormField>
      <div className="flex items-end gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        {onDone && initial.name && (
          <Button type="button" variant="secondary" onClick={onDone}>
            Cancel
          </Button>
        )}
      </div>
      {errors.form && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 sm:col-span-3">
          {errors.form}
        </p>
      )}
    </form>
  );
}

export function CompaniesSettings({ items, canManage }: { items: CompanyView[]; canManage: boolean }) {
  const refresh = useRefresh();
  const [renaming, setRenaming] = useState<CompanyView | null>(null);
  const [archiving, setArchiving] = useState<CompanyView | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function create(body: { name: string; externalId: string | null }) {
    await api<CompanyView>("/api/portal/companies", { method: "POST", json: body });
    toast.success(`Company "${body.name}" created.`);
    await refresh();
  }

  async function setArchived(c: CompanyView, archived: boolean) {
    setPending(true);
    try {
      await api<CompanyView>(`/api/portal/companies/${encodeURIComponent(c.id)}`, { method: "PATCH", json: { archived } });
      toast.success(archived ? `${c.name} is archived.` : `${c.name} is restored.`);
      setArchiving(null);
      setError(null);
      await refresh();
    } catch (e) {
      const message = failure(e, `${c.name} is unchanged.`);
      if (archiving) setError(message);
      else toast.error(message);
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      {canManage ? (
        <Card title="Add a company" className="max-w-3xl">
          <CompanyForm initial={{ name: "", externalId: "" }} submitLabel="Add company" onSubmit={create} />
        </Card>
      ) : (
        <p className="max-w-3xl text-sm text-slate-600">Only an admin of your organization can add, rename or archive companies.</p>
      )}
      {renaming && (
        <Card title={`Rename ${renaming.name}`} className="mt-6 max-w-3xl">
          <CompanyForm
            key={renaming.id}
            initial={{ name: renaming.name, externalId: renaming.externalId ?? "" }}
            submitLabel="Save"
            onSubmit={async (body) => {
              await api<CompanyView>(`/api/portal/companies/${encodeURIComponent(renaming.id)}`, { method: "PATCH", json: body });
              toast.success(`Company "${body.name}" saved.`);
              await refresh();
            }}
            onDone={() => setRenaming(null)}
          />
        </Card>
      )}
      <Table caption="Companies by name" className="mt-6">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>External ID</Th>
            <Th className="text-right">Licenses</Th>
            <Th>Added</Th>
            <Th>Status</Th>
            {canManage && <Th><span className="sr-only">Actions</span></Th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {items.length === 0 && <EmptyRow colSpan={canManage ? 6 : 5}>No companies yet.</EmptyRow>}
          {items.map((c) => (
            <tr key={c.id} data-testid={`company-${c.name}`}>
              <Td label="Name" className="whitespace-normal font-medium">{c.name}</Td>
              <Td label="External ID" className="font-mono text-xs">{c.externalId ?? <span className="font-sans text-slate-600">—</span>}</Td>
              <Td label="Licenses" className="text-right tabular-nums">{formatNumber(c.licenses)}</Td>
              <Td label="Added"><LocalDate value={c.createdAt} /></Td>
              <Td label="Status">{c.archivedAt ? <Badge tone="amber">Archived</Badge> : <Badge tone="green">Active</Badge>}</Td>
              {canManage && (
                <Td label="Actions" className="space-x-2">
                  <Button variant="secondary" onClick={() => setRenaming(c)} aria-label={`Rename ${c.name}`}>
                    Rename
                  </Button>
                  {c.archivedAt ? (
                    <Button variant="secondary" disabled={pending} onClick={() => setArchived(c, false)} aria-label={`Restore ${c.name}`}>
                      Restore
                    </Button>
                  ) : (
                    <Button variant="secondary" onClick={() => { setError(null); setArchiving(c); }} aria-label={`Archive ${c.name}`}>
                      Archive
                    </Button>
                  )}
                </Td>
              )}
            </tr>
          ))}
        </tbody>
      </Table>
      <ConfirmDialog
        open={archiving !== null}
        title={`Archive ${archiving?.name ?? ""}?`}
        confirmLabel="Archive company"
        danger
        pending={pending}
        error={error}
        onConfirm={() => archiving && setArchived(archiving, true)}
        onCancel={() => setArchiving(null)}
      >
        <p>An archived company takes no new licenses; it can be restored. A company is archived only once no license is assigned to it.</p>
      </ConfirmDialog>
    </>
  );
}
