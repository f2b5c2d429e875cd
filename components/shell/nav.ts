export interface NavItem {
  href: string;
  label: string;
}

export const PROVIDER_NAV: NavItem[] = [
  { href: "/overview", label: "Overview" },
  { href: "/licenses", label: "Manage Licenses" },
  { href: "/usage", label: "Monthly Usages" },
  { href: "/support", label: "Support" },
  { href: "/settings", label: "Settings" },
  { href: "/activity", label: "Activity" },
];

export const STAFF_NAV: NavItem[] = [
  { href: "/staff/cases", label: "Cases" },
  { href: "/staff/organizations", label: "Organizations" },
];
