"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { MarkReadInput, MarkReadResult, NotificationPage } from "@/lib/schemas/notifications";
import { api } from "../api";

export const UNREAD_KEY = ["notifications", "unread"] as const;

/** The unread count of the bell: read at once, then every 30 s and whenever the window gets focus. */
export function useUnreadCount() {
  return useQuery({
    queryKey: UNREAD_KEY,
    queryFn: async () => (await api<NotificationPage>("/api/portal/notifications?pageSize=1&unread=1")).unread,
    refetchInterval: 30_000,
    refetchOnWindowFocus: true,
    staleTime: 0,
  });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: MarkReadInput) => api<MarkReadResult>("/api/portal/notifications/read", { method: "POST", json: input }),
    onSuccess: (r) => client.setQueryData(UNREAD_KEY, r.unread),
  });
}
