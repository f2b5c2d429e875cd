import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { SIGN_IN_FAILURES_PER_MINUTE, signIn } from "@/lib/server/sign-in";
import { DEMO } from "../helpers";

const PASSWORD = "pulse-demo-1";

describe("sign-in", () => {
  it("signs in with the right password, whatever the email's case, and records when", async () => {
    const at = new Date("2026-06-01T10:00:00Z");
    const user = await signIn("  Alice@Acme.test ", PASSWORD, at);
    expect(user).toMatchObject({ email: DEMO.alice, role: "PROVIDER_ADMIN" });
    expect(user?.organizationId).toBeTruthy();
    const stored = await getDb().user.findUniqueOrThrow({ where: { email: DEMO.alice } });
    expect(stored.lastSignInAt?.toISOString()).toBe(at.toISOString());
  });

  it("answers null for a wrong password and for an unknown email", async () => {
    const at = new Date("2026-06-01T11:00:00Z");
    expect(await signIn(DEMO.bob, "wrong", at)).toBeNull();
    expect(await signIn("nobody@nowhere.test", PASSWORD, at)).toBeNull();
  });

  it(`slows down an email after ${SIGN_IN_FAILURES_PER_MINUTE} failures a minute, even with the right password, until the next minute`, async () => {
    const minute = Date.parse("2026-06-01T12:00:00Z");
    for (let i = 0; i < SIGN_IN_FAILURES_PER_MINUTE; i++) {
      expect(await signIn(DEMO.victor, "wrong", new Date(minute + i * 1000))).toBeNull();
    }
    const refused = signIn(DEMO.victor, PASSWORD, new Date(minute + 10_000));
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ code: "RATE_LIMITED", retryAfter: 50 });
    await expect(refused).rejects.toThrow(/Too many failed sign-ins for this email\. Wait 50 seconds/);
    // Another email is not affected.
    expect(await signIn(DEMO.alice, PASSWORD, new Date(minute + 10_000))).not.toBeNull();
    // The next minute, the right password works again.
    expect(await signIn(DEMO.victor, PASSWORD, new Date(minute + 60_000))).toMatchObject({ email: DEMO.victor });
  });
});
