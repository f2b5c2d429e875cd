import { NextResponse } from "next/server";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { json, publicRoute } from "@/lib/http/route";
import { unsubscribe } from "@/lib/server/notifications/inbox";

/**
 * The unsubscribe link of a notification mail, without a session: the signed token names the
 * user and the one kind. `POST /api/unsubscribe?token=...` (one-click, RFC 8058), or the form of
 * /unsubscribe (token in the form; the answer redirects back to the page).
 */
export const POST = publicRoute(async ({ req }) => {
  const url = new URL(req.url);
  let token = url.searchParams.get("token");
  const form = (req.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded");
  if (!token && form) token = String((await req.formData()).get("token") ?? "");
  if (!token) throw new AppError("BAD_REQUEST", "The unsubscribe token is missing.");
  const done = await unsubscribe(await now(), token);
  if (form) return NextResponse.redirect(new URL(`/unsubscribe?done=${encodeURIComponent(done.type)}`, process.env.NEXTAUTH_URL || url.origin), 303);
  return json({ unsubscribed: done.type });
});
