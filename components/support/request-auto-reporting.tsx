import Link from "next/link";
import { REQUEST_AUTO_REPORTING_HREF } from "./request-feature";

/**
 * How to get automatic license reporting, by who is asking: an admin gets the prefilled case, or
 * the case already asking for it; a viewer is told to ask an admin (only an admin opens cases).
 */
export function RequestAutoReporting({ canOpenCase, openRequest, className }: { canOpenCase: boolean; openRequest: number | null; className?: string }) {
  if (openRequest !== null) {
    return (
      <p className={className} data-testid="auto-reporting-requested">
        Requested in{" "}
        <Link href={`/support/${openRequest}`} className="font-medium underline">
          case #{openRequest}
        </Link>
        ; support enables it there.
      </p>
    );
  }
  if (!canOpenCase) return <p className={className}>Ask an administrator of your organization to request it from support.</p>;
  return (
    <Link href={REQUEST_AUTO_REPORTING_HREF} className={`${className ?? ""} inline-block font-medium underline`}>
      Request automatic license reporting
    </Link>
  );
}
