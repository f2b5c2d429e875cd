// The views of Monthly Usages that the services return.
import type { AutoRow, PeriodAction } from "../../domain/monthly-report";
import type { Period } from "../../domain/dates";
import type { PeriodHealth, Suspension } from "../../domain/reporting";

export interface LicenseRowView {
  licenseId: string;
  productId: string;
  product: string;
  description: string;
  expirationDate: string;
  rows: (AutoRow & { sourceLabel: string })[];
  points: number;
  /** Draft: the extension Submit Usage will apply (null: not extended, see `notExtendedReason`). Submitted: the one applied. */
  extension: { from: string; to: string } | null;
  notExtendedReason: string | null;
}

export interface ManualRowView {
  id: string;
  productId: string;
  product: string;
  workloadType: string;
  count: number;
  points: number;
}

export interface HintView {
  licenseId: string;
  productId: string;
  product: string;
  workloadType: string;
  count: number;
  sourceLabel: string;
}

export type ReportKind = "CURRENT" | "DUE" | "SUBMITTED";

export interface ReportView {
  period: Period;
  kind: ReportKind;
  /** Whether the caller may change rows and submit now. */
  editable: boolean;
  dueAt: string;
  dueLabel: string;
  health: PeriodHealth;
  submittedAt: string | null;
  submittedBy: string | null;
  onTime: boolean | null;
  licenses: { items: LicenseRowView[]; total: number; page: number; pageSize: number };
  manualRows: ManualRowView[];
  hints: HintView[];
  totals: { autoPoints: number; manualPoints: number; totalPoints: number; autoLicenses: number };
  extensions: { count: number; notExtended: number; preview: { licenseId: string; from: string; to: string }[] };
}

export interface SubmitResult {
  period: Period;
  submittedAt: string;
  onTime: boolean;
  totalPoints: number;
  extended: { licenseId: string; from: string; to: string; version: number }[];
  notExtended: { licenseId: string; reason: string }[];
}

export interface UsageOverview {
  actions: (Omit<PeriodAction, "dueAt"> & { dueAt: string })[];
  current: { period: Period; totalPoints: number; autoLicenses: number };
  suspension: Suspension;
  /** Points per month over the last 12 ended months; null where nothing was submitted. */
  chart: { period: Period; points: number | null; onTime: boolean | null }[];
  hasContracts: boolean;
}

export interface HistoryItem {
  period: Period;
  submittedAt: string;
  submittedBy: string | null;
  onTime: boolean;
  totalPoints: number;
  extensions: number;
}
