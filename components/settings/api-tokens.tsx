"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { API_TOKEN_MAX_DAYS } from "@/lib/domain/api-tokens";
import { apiTokenCreateSchema, type ApiTokenCreated, type ApiTokenView } from "@/lib/schemas/api-tokens";
import { api, ApiError, failure } from "../api";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { fieldAria, fieldErrors, FormField, inputClass } from "../ui/form-field";
import { LocalDate } from "../ui/local-date";
import { EmptyRow, Table, Td, Th } from "../ui/table";

const SCOPE_LABEL = { read: "Read only", admin: "Admin" } as const;
const STATUS = { active: { tone: "green", label: "Active" }, expired: { tone: "amber", label: "Expired" }, revoked: { tone: "red", label: "Revoked" } } as const;

type Errors = Partial<Record<"name" | "scope" | "expiresInDays" | "form", string>>;

/** Create: name, scope, expiry; the answer's token is shown here once, with a Copy button. */
function CreateToken() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<"read" | "admin">("read");
  const [days, setDays] = useState("90");
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const [copied, setCopied] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = apiTokenCreateSchema.safeParse({ name, scope, expiresInDays: days.trim() === "" ? NaN : Number(days) });
    if (!parsed.success) {
      setErrors(fieldErrors<keyof Errors>(parsed.error.issues));
      return;
    }
    setErrors({});
    setPending(true);
    try {
      const token = await api<ApiTokenCreated>("/api/portal/tokens", { method: "POST", json: parsed.data });
      setCreated(token);
      setCopied(false);
      setName("");
      router.refresh();
    } catch (error) {
      const fields: Errors = {};
      if (error instanceof ApiError) for (const f of error.errors) fields[f.path as keyof Errors] ??= f.message;
      setErrors({ ...fields, form: failure(error, "No token was created.") });
    } finally {
      setPending(false);
    }
  }

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied(true);
    } catch {
      toast.error("The browser did not allow copying: select the token and copy it yourself.");
    }
  }

  return (
    <Card title="Create a token" className="max-w-3xl">
      {created && (
        <div role="status" className="mb-5 space-y-2 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
          <p className="font-medium">
            Token &quot;{created.name}&quot; created. Copy it now: it is shown only this once, and the portal keeps no copy it could show again.
          </p>
          <div className="flex flex-col gap-2 sm:flex-row">
            <label htmlFor="new-token" className="sr-only">
              The new token
            </label>
            <input id="new-token" readOnly value={created.token} onFocus={(e) => e.currentTarget.select()} className={`${inputClass} font-mono`} />
            <Button variant="secondary" onClick={copy}>
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
          <p>
            Scripts send it in the header <code>Authorization: Bearer &lt;token&gt;</code>. It expires <LocalDate value={created.expiresAt} withTime />.{" "}
            <button type="button" className="font-medium underline" onClick={() => setCreated(null)}>
              I have copied it; hide it
            </button>
          </p>
        </div>
      )}
      <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-3">
        <FormField id="token-name" label="Name" error={errors.name} hint="Says which script uses it, e.g. “Billing export”.">
          <input id="token-name" value={name} onChange={(e) => setName(e.target.value)} className={inputClass} {...fieldAria("token-name", errors.name, "hint")} />
        </FormField>
        <FormField id="token-scope" label="Access" error={errors.scope}>
          <select id="token-scope" value={scope} onChange={(e) => setScope(e.target.value as "read" | "admin")} className={inputClass} {...fieldAria("token-scope", errors.scope)}>
            <option value="read">Read only (GET)</option>
            <option value="admin">Admin (also change licenses)</option>
          </select>
        </FormField>
        <FormField id="token-days" label="Expires after (days)" error={errors.expiresInDays} hint={`1 to ${API_TOKEN_MAX_DAYS}`}>
          <input
            id="token-days"
            type="number"
            inputMode="numeric"
            min={1}
            max={API_TOKEN_MAX_DAYS}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            className={inputClass}
            {...fieldAria("token-days", errors.expiresInDays, "hint")}
          />
        </FormField>
        <div className="sm:col-span-3">
          {errors.form && (
            <p role="alert" className="mb-3 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
              {errors.form}
            </p>
          )}
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create token"}
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** The list, with last use, and Revoke behind a warning. */
function TokenList({ items, canManage }: { items: ApiTokenView[]; canManage: boolean }) {
  const router = useRouter();
  const [revoking, setRevoking] = useState<ApiTokenView | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function revoke() {
    if (!revoking) return;
    setPending(true);
    try {
      await api(`/api/portal/tokens/${encodeURIComponent(revoking.id)}`, { method: "DELETE" });
      toast.success(`Token "${revoking.name}" is revoked: scripts using it are refused from now on.`);
      setRevoking(null);
      setError(null);
      router.refresh();
    } catch (e) {
      setError(failure(e, `Token "${revoking.name}" may still work.`));
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <Table caption="API tokens, newest first" className="mt-6">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Access</Th>
            <Th>Created</Th>
            <Th>Expires</Th>
            <Th>Last used</Th>
            <Th>Status</Th>
            {canManage && <Th><span className="sr-only">Actions</span></Th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {items.length === 0 && <EmptyRow colSpan={canManage ? 7 : 6}>No API tokens yet.</EmptyRow>}
          {items.map((t) => (
            <tr key={t.id}>
              <Td label="Name" className="whitespace-normal font-medium">{t.name}</Td>
              <Td label="Access">{SCOPE_LABEL[t.scope]}</Td>
              <Td label="Created" className="whitespace-normal">
                <LocalDate value={t.createdAt} /> <span className="text-slate-600">by {t.createdBy}</span>
              </Td>
              <Td label="Expires"><LocalDate value={t.expiresAt} /></Td>
              <Td label="Last used">{t.lastUsedAt ? <LocalDate value={t.lastUsedAt} withTime /> : <span className="text-slate-600">Never</span>}</Td>
              <Td label="Status"><Badge tone={STATUS[t.status].tone}>{STATUS[t.status].label}</Badge></Td>
              {canManage && (
                <Td label="Actions">
                  {t.status === "revoked" ? (
                    <span className="text-slate-600">None</span>
                  ) : (
                    <Button variant="secondary" onClick={() => { setError(null); setRevoking(t); }} aria-label={`Revoke ${t.name}`}>
                      Revoke
                    </Button>
                  )}
                </Td>
              )}
            </tr>
          ))}
        </tbody>
      </Table>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke token "${revoking?.name ?? ""}"?`}
        confirmLabel="Revoke token"
        danger
        pending={pending}
        error={error}
        onConfirm={revoke}
        onCancel={() => setRevoking(null)}
      >
        <p>Every script that uses this token is refused (401) from its next call on. This cannot be undone: a script needs a new token to work again.</p>
      </ConfirmDialog>
    </>
  );
}

export function ApiTokens({ items, canManage }: { items: ApiTokenView[]; canManage: boolean }) {
  return (
    <>
      {canManage ? (
        <CreateToken />
      ) : (
        <p className="max-w-3xl text-sm text-slate-600">Only an admin of your organization can create or revoke API tokens.</p>
      )}
      <TokenList items={items} canManage={canManage} />
    </>
  );
}
