"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { CaseDetail, OpenCaseInput } from "@/lib/schemas/support";
import { api } from "../api";

/** Open a case: POST, then land on the new case. */
export function useOpenCase() {
  const router = useRouter();
  return useMutation({
    mutationFn: (input: OpenCaseInput) => api<CaseDetail>("/api/portal/cases", { method: "POST", json: input }),
    onSuccess: (c) => {
      toast.success(`Case ${c.number} opened. Support will answer here.`);
      router.push(`/support/${c.number}`);
    },
    onError: (error) => toast.error(error.message),
  });
}

/** A comment or reply on a case (provider or staff route), then the page shows the new thread. */
export function useAddComment(url: string, success: string) {
  const router = useRouter();
  return useMutation({
    mutationFn: (body: string) => api<unknown>(url, { method: "POST", json: { body } }),
    onSuccess: () => {
      toast.success(success);
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });
}
