"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
import type { NavItem } from "./nav";
import { NavLinks } from "./nav-links";

/** The main menu on small screens: a disclosure that closes once a link navigates. */
export function MobileMenu({ nav }: { nav: NavItem[] }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [pathname]);
  return (
    <details ref={ref} className="relative md:hidden">
      <summary className="cursor-pointer list-none rounded-md border border-slate-300 px-2.5 py-1.5 text-sm font-medium">Menu</summary>
      <nav aria-label="Main" className="absolute left-0 z-20 mt-2 w-56 rounded-md border border-slate-200 bg-white p-2 shadow-lg">
        <NavLinks items={nav} />
      </nav>
    </details>
  );
}
