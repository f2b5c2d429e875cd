"use client";

import { signIn } from "next-auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { Button } from "../ui/button";
import { fieldAria, FormField, inputClass } from "../ui/form-field";

const schema = z.object({
  email: z.email("Enter an email address, like name@example.com"),
  password: z.string().min(1, "Enter your password"),
});

/** Only same-site paths are followed after sign-in. */
function safeCallback(raw: string | null): string {
  if (!raw) return "/";
  try {
    const url = new URL(raw, window.location.origin);
    return url.origin === window.location.origin ? url.pathname + url.search : "/";
  } catch {
    return "/";
  }
}

export function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [values, setValues] = useState({ email: "", password: "" });
  const [touched, setTouched] = useState({ email: false, password: false });
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const parsed = schema.safeParse(values);
  const fieldError = (field: "email" | "password") =>
    touched[field] && !parsed.success ? parsed.error.issues.find((i) => i.path[0] === field)?.message ?? null : null;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setTouched({ email: true, password: true });
    if (!parsed.success) return;
    setPending(true);
    setError(null);
    const result = await signIn("credentials", { email: values.email, password: values.password, redirect: false });
    setPending(false);
    if (!result || result.error) {
      setError(
        !result || result.error === "CredentialsSignin"
          ? "Wrong email or password."
          : result.error,
      );
      return;
    }
    router.replace(safeCallback(params.get("callbackUrl")));
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <FormField id="email" label="Email" error={fieldError("email")}>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          className={inputClass}
          value={values.email}
          {...fieldAria("email", fieldError("email"))}
          onChange={(e) => setValues({ ...values, email: e.target.value })}
          onBlur={() => setTouched({ ...touched, email: true })}
        />
      </FormField>
      <FormField id="password" label="Password" error={fieldError("password")}>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          className={inputClass}
          value={values.password}
          {...fieldAria("password", fieldError("password"))}
          onChange={(e) => setValues({ ...values, password: e.target.value })}
          onBlur={() => setTouched({ ...touched, password: true })}
        />
      </FormField>
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
