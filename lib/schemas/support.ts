// The zod schemas of support cases, the staff case actions and the activity log. The Open a case
// form validates with openCaseSchema as the provider types; the route parses with the same schema.
import { z } from "zod";
import {
  CASE_STATES, CASE_TYPES, DEFAULT_SEVERITY, MAX_COMMENT, MAX_DESCRIPTION, MAX_SUMMARY, PROBLEM_AREAS, type CaseType, type ProblemArea,
} from "../domain/support-cases";
import { count as wholeCount, isoDateTime, pageOf } from "./common";

export const openCaseSchema = z
  .object({
    type: z.enum(CASE_TYPES, { message: "Choose a case type" }),
    problemArea: z.enum(PROBLEM_AREAS, { message: "Choose what you have problems with" }),
    severity: z
      .number({ message: "Choose a severity from 1 to 4" })
      .int("Choose a severity from 1 to 4")
      .min(1, "Choose a severity from 1 (Critical) to 4 (Low)")
      .max(4, "Choose a severity from 1 (Critical) to 4 (Low)")
      .default(DEFAULT_SEVERITY),
    summary: z
      .string({ message: "Enter a brief summary" })
      .trim()
      .min(1, "Enter a brief summary")
      .max(MAX_SUMMARY, `At most ${MAX_SUMMARY} characters`),
    description: z.string().trim().max(MAX_DESCRIPTION, `At most ${MAX_DESCRIPTION.toLocaleString("en")} characters`).default(""),
  })
  .strict();
export type OpenCaseInput = z.infer<typeof openCaseSchema>;

/** What the Open a case form starts with: the defaults, and the query parameters that are valid values. */
export function openCasePrefill(q: Record<string, string | undefined>) {
  const type = CASE_TYPES.includes(q.type as CaseType) ? (q.type as CaseType) : "";
  const problemArea = PROBLEM_AREAS.includes(q.problem as ProblemArea) ? (q.problem as ProblemArea) : "";
  const severity = ["1", "2", "3", "4"].includes(q.severity ?? "") ? Number(q.severity) : DEFAULT_SEVERITY;
  return { type, problemArea, severity, summary: q.summary ?? "", description: q.description ?? "" };
}

export const commentSchema = z
  .object({
    body: z.string({ message: "Write a comment" }).trim().min(1, "Write a comment").max(MAX_COMMENT, `At most ${MAX_COMMENT.toLocaleString("en")} characters`),
  })
  .strict();

export const caseStatePatch = z.object({ state: z.enum(CASE_STATES, { message: "Choose a state" }) }).strict();

export const autoReportingChange = z.object({ enabled: z.boolean({ message: "enabled must be true or false" }) }).strict();

const page = z.coerce.number().int().min(1).optional().default(1);
const pageSize = z.coerce.number().int().min(1).max(100).optional().default(25);

export const caseListQuery = z.object({
  state: z.enum(CASE_STATES).optional(),
  page,
  pageSize,
});
export type CaseListQuery = z.infer<typeof caseListQuery>;

export const staffCaseListQuery = z.object({
  state: z.enum(CASE_STATES).optional(),
  type: z.enum(CASE_TYPES).optional(),
  problemArea: z.enum(PROBLEM_AREAS).optional(),
  page,
  pageSize,
});
export type StaffCaseListQuery = z.infer<typeof staffCaseListQuery>;

/** The activity log's categories: the prefix of the audit event's action. */
export const AUDIT_CATEGORIES = {
  license: "License keys",
  usage: "Usage",
  case: "Support cases",
  organization: "Automatic reporting",
} as const;
export type AuditCategory = keyof typeof AUDIT_CATEGORIES;

export const auditListQuery = z.object({
  category: z.enum(Object.keys(AUDIT_CATEGORIES) as [AuditCategory, ...AuditCategory[]]).optional(),
  query: z.string().trim().max(100).optional().default(""),
  page,
  pageSize: z.coerce.number().int().min(1).max(200).optional().default(50),
});
export type AuditListQuery = z.infer<typeof auditListQuery>;

/** A case number in a path: digits only, else "not found" (never a 400 that tells ids apart). */
export function parseCaseNumber(raw: string): number | null {
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

// ---------------------------------------------------------------------------------------------
// Output: what the case endpoints answer, to providers and to support staff. Services return
// these types.

const caseState = z.enum(CASE_STATES);

/** The fields a case shows in the list and on its page. */
const caseCore = {
  number: z.number().int(),
  type: z.enum(CASE_TYPES),
  problemArea: z.enum(PROBLEM_AREAS),
  severity: z.number().int().min(1).max(4),
  summary: z.string(),
};

export const caseListItemSchema = z
  .strictObject({
    ...caseCore,
    state: caseState,
    organizationName: z.string(),
    comments: wholeCount,
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: "CaseListItem" });
export type CaseListItem = z.infer<typeof caseListItemSchema>;

export const caseListPageSchema = pageOf(caseListItemSchema).meta({ id: "CasePage" });
export type CaseListPage = z.infer<typeof caseListPageSchema>;

/** The staff case queue: a page of every organization's cases, and how many are open. */
export const staffCaseListPageSchema = pageOf(caseListItemSchema).extend({ open: wholeCount }).strict().meta({ id: "StaffCasePage" });
export type StaffCaseListPage = z.infer<typeof staffCaseListPageSchema>;

/** A comment on a case; a SYSTEM comment records a change (state, automatic reporting). */
export const caseCommentSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(["COMMENT", "SYSTEM"]),
  body: z.string(),
  createdAt: isoDateTime,
  author: z.strictObject({ name: z.string(), staff: z.boolean() }).nullable(),
});
export type CaseComment = z.infer<typeof caseCommentSchema>;

export const caseDetailSchema = z
  .strictObject({
    ...caseCore,
    description: z.string(),
    state: caseState,
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    resolvedAt: isoDateTime.nullable(),
    openedBy: z.strictObject({ name: z.string(), email: z.string() }),
    organization: z.strictObject({
      name: z.string(),
      autoReportingEnabled: z.boolean(),
      autoReportingChangedAt: isoDateTime.nullable(),
      autoReportingChangedBy: z.string().nullable(),
    }),
    comments: z.array(caseCommentSchema),
  })
  .meta({ id: "CaseDetail" });
export type CaseDetail = z.infer<typeof caseDetailSchema>;

/** A case as support staff see it: with the states it may move to. */
export const staffCaseDetailSchema = caseDetailSchema.extend({ nextStates: z.array(caseState) }).strict().meta({ id: "StaffCaseDetail" });
export type StaffCaseDetail = z.infer<typeof staffCaseDetailSchema>;

/** POST /api/staff/cases/{number}/auto-reporting: whether anything changed, and the case after it. */
export const autoReportingChangeResultSchema = z.strictObject({ changed: z.boolean(), case: staffCaseDetailSchema });
export type AutoReportingChangeResult = z.infer<typeof autoReportingChangeResultSchema>;
