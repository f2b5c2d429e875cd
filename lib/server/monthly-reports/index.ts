// Monthly Usages, by capability: facts (what is stored, read), views (overview, history, one
// period's report), draft (manual rows and adjustments), submit (Submit Usage), export (CSV).
export { periodDue } from "./facts";
export { getReport, usageHistory, usageOverview } from "./views";
export { addManualRow, copyPreviousManualRows, removeManualRow, setAdjustment } from "./draft";
export { submitReport } from "./submit";
export { exportReportCsv } from "./export";
