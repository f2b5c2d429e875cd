import { Badge } from "../ui/badge";
import { LocalDate } from "../ui/local-date";

export function AutoReportingStatus({
  enabled,
  changedAt,
  changedBy,
}: {
  enabled: boolean;
  changedAt: Date | null;
  changedBy: { name: string } | null;
}) {
  return enabled ? (
    <div className="space-y-1 text-sm">
      <Badge tone="green">Automatic license reporting is on</Badge>
      {changedAt && (
        <p className="text-slate-600">
          Enabled <LocalDate value={changedAt} withTime />
          {changedBy ? ` by ${changedBy.name}` : ""}.
        </p>
      )}
    </div>
  ) : (
    <div className="space-y-1 text-sm">
      <Badge>Automatic license reporting is off</Badge>
      <p className="text-slate-600">Continue submitting license usage manually until automatic license reporting is enabled.</p>
    </div>
  );
}
