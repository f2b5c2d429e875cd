"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { findProduct, PRODUCTS, productLabel } from "@/lib/domain/catalog";
import { AUTO_REPORTED_INITIAL_DAYS, initialAutoReportedExpiration, manualExpirationBounds, wizardAutoReporting } from "@/lib/domain/licenses";
import { pointsFor } from "@/lib/domain/points";
import { licenseDraftSchema, MAX_DESCRIPTION, type LicenseDraftFacts } from "@/lib/schemas/licenses";
import type { LicenseListItem } from "@/lib/schemas/licenses";
import { api, ApiError } from "../api";
import { REQUEST_AUTO_REPORTING_HREF } from "../support/request-feature";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { fieldAria, FormField, inputClass } from "../ui/form-field";
import { formatDate, formatNumber } from "../ui/format";
import { Switch } from "../ui/switch";

const STEPS = ["License Info", "Workloads", "Summary", "Finish"] as const;
type Row = { type: string; count: string };

interface Draft {
  contractNumber: string;
  productId: string;
  autoReported: boolean;
  expirationDate: string;
  description: string;
  workloads: Row[];
}

/** The New License Key wizard: License Info -> Workloads -> Summary -> Finish. */
export function NewLicenseWizard({ facts }: { facts: LicenseDraftFacts }) {
  const router = useRouter();
  const first = facts.contracts[0];
  const [step, setStep] = useState(0);
  const [draft, setDraft] = useState<Draft>(() => ({
    contractNumber: first?.number ?? "",
    productId: "",
    autoReported: first ? (wizardAutoReporting(facts.organizationHasFeature, first.type).value ?? false) : false,
    expirationDate: "",
    description: "",
    workloads: [{ type: "", count: "" }],
  }));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [serverErrors, setServerErrors] = useState<{ path: string; message: string }[]>([]);
  const [pending, setPending] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  // Moving to another step moves the focus to its heading, so screen readers announce it.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    heading.current?.focus();
  }, [step]);

  const contract = facts.contracts.find((c) => c.number === draft.contractNumber);
  const toggle = contract ? wizardAutoReporting(facts.organizationHasFeature, contract.type) : null;
  const product = findProduct(draft.productId);
  const bounds = manualExpirationBounds(facts.today, contract?.endDate ?? null);
  const computedDate = initialAutoReportedExpiration(facts.today, contract?.endDate ?? null);

  const body = useMemo(
    () => ({
      contractNumber: draft.contractNumber,
      productId: draft.productId,
      autoReported: draft.autoReported,
      expirationDate: draft.autoReported ? null : draft.expirationDate || null,
      description: draft.description,
      workloads: draft.workloads.map((w) => ({ type: w.type, count: w.count === "" ? Number.NaN : Number(w.count) })),
    }),
    [draft],
  );
  // The same schema the server parses with, built from the same facts.
  const parsed = licenseDraftSchema(facts).safeParse(body);
  const errors = new Map<string, string>();
  if (!parsed.success) for (const i of parsed.error.issues) errors.set(i.path.join("."), errors.get(i.path.join(".")) ?? i.message);
  for (const e of serverErrors) if (!errors.has(e.path)) errors.set(e.path, e.message);
  const err = (path: string) => (touched.has(path) ? errors.get(path) ?? null : null);
  const touch = (...paths: string[]) => setTouched((t) => new Set([...t, ...paths]));

  const points = useMemo(() => {
    if (!product) return 0;
    const valid = draft.workloads.filter((w) => product.workloadTypes.some((t) => t.id === w.type) && /^\d+$/.test(w.count));
    try {
      return pointsFor(product.id, valid.map((w) => ({ type: w.type, count: Number(w.count) })));
    } catch {
      return 0;
    }
  }, [draft.workloads, product]);

  const set = (changes: Partial<Draft>) => {
    setServerErrors([]);
    setDraft((d) => ({ ...d, ...changes }));
  };

  const infoPaths = ["contractNumber", "productId", "autoReported", "expirationDate", "description"];
  const workloadPaths = draft.workloads.flatMap((_, i) => [`workloads.${i}.type`, `workloads.${i}.count`]).concat("workloads");
  const stepValid = (paths: string[]) => paths.every((p) => !errors.has(p));

  function next() {
    const paths = step === 0 ? infoPaths : workloadPaths;
    touch(...paths);
    if (stepValid(paths)) setStep(step + 1);
  }

  async function finish() {
    touch(...infoPaths, ...workloadPaths);
    if (!parsed.success) {
      // Back to the first step with an error; the message shows at its field.
      setStep(stepValid(infoPaths) ? 1 : 0);
      return;
    }
    setPending(true);
    try {
      const license = await api<LicenseListItem>("/api/portal/licenses", { method: "POST", json: parsed.data });
      setStep(3);
      toast.success(`License ${license.licenseId} created; it expires ${formatDate(license.expirationDate)}.`);
      router.push(`/licenses/${encodeURIComponent(license.licenseId)}`);
    } catch (error) {
      if (error instanceof ApiError && error.errors.length) {
        setServerErrors(error.errors);
        const firstPath = error.errors[0].path;
        setStep(firstPath.startsWith("workloads") ? 1 : 0);
      }
      toast.error(error instanceof Error ? error.message : "The license could not be created.");
    } finally {
      setPending(false);
    }
  }

  if (facts.contracts.length === 0) {
    return <p className="text-sm text-slate-700">Your organization has no active contract, so no rental license can be created.</p>;
  }

  return (
    <div className="space-y-6">
      <ol className="flex flex-wrap gap-2" aria-label="Steps">
        {STEPS.map((label, i) => (
          <li
            key={label}
            aria-current={i === step ? "step" : undefined}
            className={cn(
              "rounded-full px-3 py-1 text-sm font-medium",
              i === step ? "bg-brand-700 text-white" : i < step ? "bg-brand-100 text-brand-800" : "bg-slate-100 text-slate-600",
            )}
          >
            {i + 1}. {label}
          </li>
        ))}
      </ol>

      <section aria-labelledby="step-title" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="step-title" ref={heading} tabIndex={-1} className="mb-4 text-lg font-semibold focus:outline-none">
          {STEPS[step]}
        </h2>

        {step === 0 && (
          <div className="grid gap-4 md:grid-cols-2">
            <FormField id="contract" label="Contract" error={err("contractNumber")}>
              <select
                id="contract"
                className={inputClass}
                value={draft.contractNumber}
                {...fieldAria("contract", err("contractNumber"))}
                onChange={(e) => {
                  const c = facts.contracts.find((x) => x.number === e.target.value);
                  const t = c ? wizardAutoReporting(facts.organizationHasFeature, c.type) : null;
                  set({ contractNumber: e.target.value, autoReported: t?.value ?? draft.autoReported });
                  touch("contractNumber");
                }}
              >
                {facts.contracts.map((c) => (
                  <option key={c.number} value={c.number}>
                    {c.number} · {c.type === "NO_COMMIT" ? "No commit" : "Volume"}
                    {c.endDate ? ` · ends ${formatDate(c.endDate)}` : ""}
                  </option>
                ))}
              </select>
            </FormField>
            <FormField id="product" label="Product" error={err("productId")}>
              <select
                id="product"
                className={inputClass}
                value={draft.productId}
                {...fieldAria("product", err("productId"))}
                onChange={(e) => {
                  set({ productId: e.target.value, workloads: [{ type: "", count: "" }] });
                  touch("productId");
                }}
              >
                <option value="">Choose a product</option>
                {PRODUCTS.map((p) => (
                  <option key={p.id} value={p.id}>
                    {productLabel(p)}
                  </option>
                ))}
              </select>
            </FormField>
            <div className="space-y-1 md:col-span-2">
              <div className="flex items-center gap-3">
                <Switch
                  checked={draft.autoReported}
                  label="Automatic reporting"
                  disabled={!toggle || toggle.disabled}
                  describedBy="auto-reporting-reason"
                  onChange={(v) => {
                    set({ autoReported: v });
                    touch("autoReported");
                  }}
                />
                <span className="text-sm font-medium text-slate-800">Automatic reporting</span>
              </div>
              <p id="auto-reporting-reason" className="text-xs text-slate-600">
                {toggle?.reason ?? "When on, the key is extended every month by your on-time usage report; its expiration date is computed."}
                {!facts.organizationHasFeature && (
                  <>
                    {" "}
                    <Link href={REQUEST_AUTO_REPORTING_HREF} className="font-medium text-brand-800 underline">
                      Request automatic license reporting
                    </Link>
                  </>
                )}
              </p>
              {err("autoReported") && (
                <p role="alert" className="text-xs font-medium text-red-700">
                  {err("autoReported")}
                </p>
              )}
            </div>
            <FormField
              id="expiration"
              label="Expiration date"
              error={draft.autoReported ? null : err("expirationDate")}
              hint={
                draft.autoReported
                  ? `Computed: ${formatDate(computedDate)} (${AUTO_REPORTED_INITIAL_DAYS} days from today${contract?.endDate ? ", at most the contract's end" : ""}).`
                  : `From ${formatDate(bounds.min)} to ${formatDate(bounds.max)}.`
              }
            >
              <input
                id="expiration"
                type="date"
                className={inputClass}
                disabled={draft.autoReported}
                min={bounds.min}
                max={bounds.max}
                value={draft.autoReported ? computedDate : draft.expirationDate}
                {...fieldAria("expiration", draft.autoReported ? null : err("expirationDate"), "hint")}
                onChange={(e) => {
                  set({ expirationDate: e.target.value });
                  touch("expirationDate");
                }}
              />
            </FormField>
            <FormField id="description" label="Description" error={err("description")} hint={`Optional, at most ${MAX_DESCRIPTION} characters.`}>
              <input
                id="description"
                className={inputClass}
                value={draft.description}
                {...fieldAria("description", err("description"), "hint")}
                onChange={(e) => {
                  set({ description: e.target.value });
                  touch("description");
                }}
              />
            </FormField>
          </div>
        )}

        {step === 1 && product && (
          <div className="space-y-3">
            <p className="text-sm text-slate-600">Workload types of {productLabel(product)}.</p>
            {draft.workloads.map((w, i) => (
              <div key={i} className="grid items-start gap-3 sm:grid-cols-[1fr_10rem_auto]">
                <FormField id={`wl-type-${i}`} label={`Workload type ${i + 1}`} error={err(`workloads.${i}.type`)}>
                  <select
                    id={`wl-type-${i}`}
                    className={inputClass}
                    value={w.type}
                    {...fieldAria(`wl-type-${i}`, err(`workloads.${i}.type`))}
                    onChange={(e) => {
                      set({ workloads: draft.workloads.map((x, j) => (j === i ? { ...x, type: e.target.value } : x)) });
                      touch(`workloads.${i}.type`);
                    }}
                  >
                    <option value="">Choose a type</option>
                    {product.workloadTypes.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.name} ({t.id}, {t.weight} pt each)
                      </option>
                    ))}
                  </select>
                </FormField>
                <FormField id={`wl-count-${i}`} label="Count" error={err(`workloads.${i}.count`)}>
                  <input
                    id={`wl-count-${i}`}
                    inputMode="numeric"
                    className={inputClass}
                    value={w.count}
                    {...fieldAria(`wl-count-${i}`, err(`workloads.${i}.count`))}
                    onChange={(e) => {
                      set({ workloads: draft.workloads.map((x, j) => (j === i ? { ...x, count: e.target.value.trim() } : x)) });
                      touch(`workloads.${i}.count`);
                    }}
                  />
                </FormField>
                <Button
                  variant="ghost"
                  className="mt-6"
                  disabled={draft.workloads.length === 1}
                  aria-label={`Remove workload type ${i + 1}`}
                  onClick={() => set({ workloads: draft.workloads.filter((_, j) => j !== i) })}
                >
                  Remove
                </Button>
              </div>
            ))}
            {err("workloads") && (
              <p role="alert" className="text-xs font-medium text-red-700">
                {err("workloads")}
              </p>
            )}
            <Button
              variant="secondary"
              disabled={draft.workloads.length >= product.workloadTypes.length}
              onClick={() => set({ workloads: [...draft.workloads, { type: "", count: "" }] })}
            >
              Add workload type
            </Button>
            <p className="text-sm font-medium" aria-live="polite">
              Points: <span data-testid="wizard-points">{formatNumber(points)}</span>
            </p>
          </div>
        )}

        {step >= 2 && (
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
            <dt className="text-slate-600">Contract</dt>
            <dd>{draft.contractNumber}</dd>
            <dt className="text-slate-600">Product</dt>
            <dd>{product ? productLabel(product) : "—"}</dd>
            <dt className="text-slate-600">Automatic reporting</dt>
            <dd>{draft.autoReported ? "On" : "Off"}</dd>
            <dt className="text-slate-600">Expiration date</dt>
            <dd data-testid="summary-expiration">{draft.autoReported ? formatDate(computedDate) : draft.expirationDate ? formatDate(draft.expirationDate) : "—"}</dd>
            <dt className="text-slate-600">Description</dt>
            <dd>{draft.description || "—"}</dd>
            <dt className="text-slate-600">Workloads</dt>
            <dd>
              <ul>
                {draft.workloads.map((w) => (
                  <li key={w.type}>
                    {w.count === "" ? "—" : formatNumber(Number(w.count))} × {product?.workloadTypes.find((t) => t.id === w.type)?.name ?? w.type}
                  </li>
                ))}
              </ul>
            </dd>
            <dt className="text-slate-600">Points</dt>
            <dd data-testid="summary-points">{formatNumber(points)}</dd>
          </dl>
        )}
      </section>

      <div className="flex justify-between gap-2">
        <Button variant="secondary" onClick={() => setStep(Math.max(0, step - 1))} disabled={step === 0 || pending || step === 3}>
          Back
        </Button>
        {step < 2 && <Button onClick={next}>Next</Button>}
        {step === 2 && (
          <Button onClick={finish} disabled={pending}>
            {pending ? "Creating…" : "Finish"}
          </Button>
        )}
      </div>
    </div>
  );
}
