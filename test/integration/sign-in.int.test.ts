import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { ADDRESS_FAILURES, delayAfter, FIRST_DELAY_SECONDS, FREE_FAILURES, MAX_DELAY_SECONDS, signIn } from "@/lib/server/sign-in";
import { DEMO } from "../helpers";

const PASSWORD = "pulse-demo-1";
const ATTACKER = "203.0.113.66";
const OWNER = "198.51.100.9";
const seconds = (base: number, s: number) => new Date(base + s * 1000);

async function refusal(attempt: Promise<unknown>): Promise<AppError> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code: "RATE_LIMITED" });
  return error as AppError;
}

describe("sign-in", () => {
  it("signs in with the right password, whatever the email's case, and records when", async () => {
    const at = new Date("2026-06-01T10:00:00Z");
    const user = await signIn("  Alice@Acme.test ", PASSWORD, at, OWNER);
    expect(user).toMatchObject({ email: DEMO.alice, role: "PROVIDER_ADMIN" });
    expect(user?.organizationId).toBeTruthy();
    const stored = await getDb().user.findUniqueOrThrow({ where: { email: DEMO.alice } });
    expect(stored.lastSignInAt?.toISOString()).toBe(at.toISOString());
  });

  it("answers null for a wrong password and for an unknown email", async () => {
    const at = new Date("2026-06-01T11:00:00Z");
    expect(await signIn(DEMO.bob, "wrong", at, OWNER)).toBeNull();
    expect(await signIn("nobody@nowhere.test", PASSWORD, at, OWNER)).toBeNull();
  });

  it(`slows the attacker's address down after ${FREE_FAILURES} failures, while the owner signs in from another address`, async () => {
    const t = Date.parse("2026-06-01T12:00:00Z");
    for (let i = 0; i < FREE_FAILURES; i++) expect(await signIn(DEMO.victor, "wrong", seconds(t, i), ATTACKER)).toBeNull();
    // Even the right password waits, from the attacker's address.
    const error = await refusal(signIn(DEMO.victor, PASSWORD, seconds(t, 10), ATTACKER));
    expect(error.retryAfter).toBe(FIRST_DELAY_SECONDS - 6);
    expect(error.message).toMatch(/^Too many failed sign-ins for this email\. Wait 24 seconds/);
    // The owner, from elsewhere, is not locked out; nor is another email from the attacker's address.
    expect(await signIn(DEMO.victor, PASSWORD, seconds(t, 11), OWNER)).toMatchObject({ email: DEMO.victor });
    expect(await signIn(DEMO.alice, PASSWORD, seconds(t, 12), ATTACKER)).toMatchObject({ email: DEMO.alice });
    // Still refused from the attacker's address, many times over: a refused attempt is not a failure.
    for (let i = 0; i < 5; i++) await refusal(signIn(DEMO.victor, PASSWORD, seconds(t, 13 + i), ATTACKER));
    // Once the delay has passed, the right password works there too.
    expect(await signIn(DEMO.victor, PASSWORD, seconds(t, 4 + FIRST_DELAY_SECONDS), ATTACKER)).toMatchObject({ email: DEMO.victor });
  });

  it("grows the delay with each further failure up to 15 minutes, and a success resets it", async () => {
    expect([0, 4, 5, 6, 7, 8, 9, 10, 20].map(delayAfter)).toEqual([0, 0, 30, 60, 120, 240, 480, 900, 900]);
    const email = "carol@acme.test"; // unknown: throttled the same way
    let t = Date.parse("2026-06-02T10:00:00Z");
    for (let i = 0; i < FREE_FAILURES; i++) expect(await signIn(email, "wrong", new Date((t += 1000)), ATTACKER)).toBeNull();
    const waits: number[] = [];
    for (let failures = FREE_FAILURES; failures < FREE_FAILURES + 6; failures++) {
      const error = await refusal(signIn(email, "wrong", new Date(t + 1000), ATTACKER));
      waits.push(error.retryAfter ?? 0);
      t += delayAfter(failures) * 1000; // wait it out, then fail again
      expect(await signIn(email, "wrong", new Date(t), ATTACKER)).toBeNull();
    }
    expect(waits).toEqual([29, 59, 119, 239, 479, MAX_DELAY_SECONDS - 1]);
    // A known email after failures: the success clears the record, the next failure costs nothing.
    let u = Date.parse("2026-06-02T12:00:00Z");
    for (let i = 0; i < FREE_FAILURES; i++) await signIn(DEMO.bob, "wrong", new Date((u += 1000)), ATTACKER);
    u += FIRST_DELAY_SECONDS * 1000;
    expect(await signIn(DEMO.bob, PASSWORD, new Date(u), ATTACKER)).not.toBeNull();
    expect(await signIn(DEMO.bob, "wrong", new Date(u + 1000), ATTACKER)).toBeNull();
    expect(await signIn(DEMO.bob, PASSWORD, new Date(u + 2000), ATTACKER)).not.toBeNull();
  });

  it("answers an unknown email and a wrong password alike, throttle included (no enumeration)", async () => {
    const t = Date.parse("2026-06-03T10:00:00Z");
    const answers = [];
    for (const email of [DEMO.sam, "nobody-at-all@acme.test"]) {
      for (let i = 0; i < FREE_FAILURES; i++) expect(await signIn(email, "wrong", seconds(t, i), ATTACKER)).toBeNull();
      const error = await refusal(signIn(email, "wrong", seconds(t, 7), ATTACKER));
      answers.push([error.message, error.retryAfter]);
    }
    expect(answers[0]).toEqual(answers[1]);
  });

  it(`stops spraying: ${ADDRESS_FAILURES} failures from one address over many emails, then refused; other addresses are not`, async () => {
    const t = Date.parse("2026-06-04T10:00:00Z");
    const outcomes: string[] = [];
    for (let i = 0; i < 60; i++) {
      outcomes.push(
        await signIn(`user${i}@spray.test`, PASSWORD, seconds(t, i), "192.0.2.55").then(
          (u) => (u === null ? "wrong" : "in"),
          (e: AppError) => e.code,
        ),
      );
    }
    expect(outcomes.filter((o) => o === "wrong")).toHaveLength(ADDRESS_FAILURES);
    expect(outcomes.slice(ADDRESS_FAILURES).every((o) => o === "RATE_LIMITED")).toBe(true);
    // Even a real account with its right password, from that address, until the window ends.
    const error = await refusal(signIn(DEMO.alice, PASSWORD, seconds(t, 61), "192.0.2.55"));
    expect(error.message).toMatch(/from your network/);
    expect(await signIn(DEMO.alice, PASSWORD, seconds(t, 61), OWNER)).not.toBeNull();
    expect(await signIn(DEMO.alice, PASSWORD, seconds(t, 10 * 60 + 1), "192.0.2.55")).not.toBeNull();
  });

  it("a database failure while claiming an attempt is that failure, not 'too many sign-ins'", async () => {
    const failure = Object.assign(new Error("connection reset"), { code: "ECONNRESET" });
    const spy = vi.spyOn(getDb().rateLimitBucket, "create").mockRejectedValueOnce(failure);
    try {
      await expect(signIn(DEMO.alice, "pulse-demo-1", new Date(), "198.51.100.77")).rejects.toBe(failure);
    } finally {
      spy.mockRestore();
    }
    expect(await signIn(DEMO.alice, "pulse-demo-1", new Date(), "198.51.100.77")).toMatchObject({ email: DEMO.alice });
  });

  it("takes attempts sent in parallel one at a time: no more than the free failures get a password check", async () => {
    const at = new Date("2026-06-05T10:00:00Z");
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => signIn(DEMO.victor, "wrong", at, "192.0.2.77").then((u) => (u === null ? "checked" : "in"), (e: AppError) => e.code)),
    );
    expect(outcomes.filter((o) => o === "checked").length).toBeGreaterThanOrEqual(1);
    expect(outcomes.filter((o) => o === "checked").length).toBeLessThanOrEqual(FREE_FAILURES);
    expect(outcomes.filter((o) => o !== "checked").every((o) => o === "RATE_LIMITED")).toBe(true);
  });
});
