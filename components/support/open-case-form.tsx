"use client";

import { useState } from "react";
import {
  CASE_TYPE_LABEL, CASE_TYPES, MAX_SUMMARY, PROBLEM_AREA_LABEL, PROBLEM_AREAS, SEVERITIES, SEVERITY_LABEL,
} from "@/lib/domain/support-cases";
import { openCaseSchema, type openCasePrefill } from "@/lib/schemas/support";
import { ApiError } from "../api";
import { Button, ButtonLink } from "../ui/button";
import { fieldAria, FormField, inputClass } from "../ui/form-field";
import { useOpenCase } from "./hooks";

type Draft = ReturnType<typeof openCasePrefill>;
const FIELDS = ["type", "problemArea", "severity", "summary", "description"] as const;

/** Support > Open a case: validated as the provider types, with the schema the server parses with. */
export function OpenCaseForm({ initial }: { initial: Draft }) {
  const [draft, setDraft] = useState<Draft>(initial);
  // Prefilled fields are shown as checked at once, so a bad prefill is visible before submitting.
  const [touched, setTouched] = useState<Set<string>>(() => new Set(FIELDS.filter((f) => initial[f] !== "" && f !== "severity")));
  const [serverErrors, setServerErrors] = useState<{ path: string; message: string }[]>([]);
  const open = useOpenCase();

  const parsed = openCaseSchema.safeParse(draft);
  const errors = new Map<string, string>();
  if (!parsed.success) for (const i of parsed.error.issues) if (!errors.has(String(i.path[0]))) errors.set(String(i.path[0]), i.message);
  for (const e of serverErrors) if (!errors.has(e.path)) errors.set(e.path, e.message);
  const err = (f: string) => (touched.has(f) ? errors.get(f) ?? null : null);
  const set = (changes: Partial<Draft>) => {
    setServerErrors([]);
    setDraft((d) => ({ ...d, ...changes }));
    setTouched((t) => new Set([...t, ...Object.keys(changes)]));
  };

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setTouched(new Set(FIELDS));
    if (!parsed.success) {
      document.getElementById(`case-${[...errors.keys()][0]}`)?.focus();
      return;
    }
    open.mutate(parsed.data, { onError: (error) => error instanceof ApiError && setServerErrors(error.errors) });
  }

  const summaryLeft = MAX_SUMMARY - draft.summary.length;
  return (
    <form noValidate onSubmit={submit} className="max-w-3xl space-y-5 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <div className="grid gap-4 md:grid-cols-3">
        <FormField id="case-type" label="Case type" error={err("type")}>
          <select id="case-type" className={inputClass} value={draft.type} {...fieldAria("case-type", err("type"))} onChange={(e) => set({ type: e.target.value as Draft["type"] })}>
            <option value="">Choose a case type</option>
            {CASE_TYPES.map((t) => (
              <option key={t} value={t}>
                {CASE_TYPE_LABEL[t]}
              </option>
            ))}
          </select>
        </FormField>
        <FormField id="case-problemArea" label="I have problems with" error={err("problemArea")}>
          <select
            id="case-problemArea"
            className={inputClass}
            value={draft.problemArea}
            {...fieldAria("case-problemArea", err("problemArea"))}
            onChange={(e) => set({ problemArea: e.target.value as Draft["problemArea"] })}
          >
            <option value="">Choose one</option>
            {PROBLEM_AREAS.map((p) => (
              <option key={p} value={p}>
                {PROBLEM_AREA_LABEL[p]}
              </option>
            ))}
          </select>
        </FormField>
        <FormField id="case-severity" label="Severity" error={err("severity")}>
          <select
            id="case-severity"
            className={inputClass}
            value={draft.severity}
            {...fieldAria("case-severity", err("severity"))}
            onChange={(e) => set({ severity: Number(e.target.value) })}
          >
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {SEVERITY_LABEL[s]}
              </option>
            ))}
          </select>
        </FormField>
      </div>
      <FormField id="case-summary" label="Brief summary" error={err("summary")} hint={`${summaryLeft} of ${MAX_SUMMARY} characters left.`}>
        <input
          id="case-summary"
          className={inputClass}
          value={draft.summary}
          {...fieldAria("case-summary", err("summary"), "hint")}
          onChange={(e) => set({ summary: e.target.value })}
        />
      </FormField>
      <FormField id="case-description" label="Description" error={err("description")} hint="What happened, what you expected, and anything that helps support reproduce it.">
        <textarea
          id="case-description"
          rows={6}
          className={inputClass}
          value={draft.description}
          {...fieldAria("case-description", err("description"), "hint")}
          onChange={(e) => set({ description: e.target.value })}
        />
      </FormField>
      <div className="flex gap-2">
        <Button type="submit" disabled={open.isPending || open.isSuccess}>
          {open.isPending ? "Opening…" : "Open case"}
        </Button>
        <ButtonLink href="/support" variant="secondary">
          Cancel
        </ButtonLink>
      </div>
    </form>
  );
}
