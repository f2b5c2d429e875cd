"use client";

import { useState } from "react";
import { commentSchema } from "@/lib/schemas/support";
import { Button } from "../ui/button";
import { fieldAria, FormField, inputClass } from "../ui/form-field";
import { useAddComment } from "./hooks";

/** The comment box under a thread; `url` is the provider's or the staff route. */
export function CommentForm({ url, label, submitLabel, success, hint }: { url: string; label: string; submitLabel: string; success: string; hint?: string }) {
  const [body, setBody] = useState("");
  const [touched, setTouched] = useState(false);
  const add = useAddComment(url, success);
  const parsed = commentSchema.safeParse({ body });
  const error = touched && !parsed.success ? parsed.error.issues[0].message : null;
  return (
    <form
      noValidate
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!parsed.success) return;
        add.mutate(parsed.data.body, {
          onSuccess: () => {
            setBody("");
            setTouched(false);
          },
        });
      }}
    >
      <FormField id="comment-body" label={label} error={error} hint={hint}>
        <textarea
          id="comment-body"
          rows={4}
          className={inputClass}
          value={body}
          {...fieldAria("comment-body", error, hint)}
          onChange={(e) => {
            setBody(e.target.value);
            if (e.target.value) setTouched(true);
          }}
        />
      </FormField>
      <Button type="submit" disabled={add.isPending}>
        {add.isPending ? "Sending…" : submitLabel}
      </Button>
    </form>
  );
}
