"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
import { toast } from "sonner";
import type { PendingNotice } from "@/lib/schemas/notices";
import { api } from "../api";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";

/**
 * The organization's notices this user has not dismissed yet, each with Dismiss. The layout
 * renders the first list; every later page view (client navigations too) asks again, so a notice
 * written meanwhile shows on the next page the user opens.
 */
export function NoticeBanner({ notices }: { notices: PendingNotice[] }) {
  const client = useQueryClient();
  const pathname = usePathname();
  const list = useQuery({ queryKey: ["notices"], queryFn: () => api<PendingNotice[]>("/api/portal/notices"), initialData: notices, staleTime: Infinity });
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    void list.refetch();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pathname]);
  const dismiss = useMutation({
    mutationFn: (id: string) => api(`/api/portal/notices/${encodeURIComponent(id)}/dismiss`, { method: "POST" }),
    onMutate: (id) => {
      const before = client.getQueryData<PendingNotice[]>(["notices"]);
      client.setQueryData<PendingNotice[]>(["notices"], (l) => (l ?? []).filter((n) => n.id !== id));
      return { before };
    },
    onError: (error, _id, context) => {
      client.setQueryData(["notices"], context?.before);
      toast.error(error.message);
    },
  });
  if (list.data.length === 0) return null;
  return (
    <div className="mb-6 space-y-3">
      {list.data.map((n) => (
        <section
          key={n.id}
          role="status"
          aria-label="Notice"
          className={cn(
            "flex items-start justify-between gap-4 rounded-md border px-4 py-3 text-sm",
            n.kind.endsWith("disabled") ? "border-amber-300 bg-amber-50 text-amber-950" : "border-green-300 bg-green-50 text-green-950",
          )}
        >
          <p>{n.message}</p>
          <Button variant="secondary" className="shrink-0" onClick={() => dismiss.mutate(n.id)} aria-label="Dismiss notice">
            Dismiss
          </Button>
        </section>
      ))}
    </div>
  );
}
