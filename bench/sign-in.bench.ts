// Sign-in: an unknown email and a wrong password must take a similar time, or the time tells
// which emails have accounts (SECURITY.md, user enumeration). The production build on SQLite,
// 30 attempts of each, interleaved, through next-auth's credentials callback as the sign-in form
// posts it. The test clock moves an hour before each attempt so that the sign-in throttle never
// answers instead (it would answer faster, and the same for both).
import { startProduction } from "../test/production/server";
import { writeResultsSection } from "./results";

const ATTEMPTS = 30;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export default async function bench() {
  const server = await startProduction({ env: { PULSE_TEST_CLOCK: "1" } });
  try {
    const csrf = await fetch(`${server.url}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    let clock = Date.parse(((await (await fetch(`${server.url}/api/test/clock`)).json()) as { now: string }).now);

    const attempt = async (email: string) => {
      clock += 3_600_000;
      await fetch(`${server.url}/api/test/clock`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ now: new Date(clock).toISOString() }) });
      const body = new URLSearchParams({ email, password: "not-the-password", csrfToken, callbackUrl: `${server.url}/overview`, json: "true" });
      const started = performance.now();
      const res = await fetch(`${server.url}/api/auth/callback/credentials`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        body,
        redirect: "manual",
      });
      const text = await res.text();
      const ms = performance.now() - started;
      return { ms, answer: `${res.status} ${res.headers.get("location") ?? ""} ${text}` };
    };

    // Warm up both paths (the first request compiles routes and the dummy hash).
    await attempt("warm-up@nowhere.test");
    await attempt("alice@acme.test");
    const unknown: number[] = [];
    const wrong: number[] = [];
    const answers = new Set<string>();
    for (let i = 0; i < ATTEMPTS; i++) {
      const u = await attempt(`nobody-${i}@nowhere.test`);
      const w = await attempt(["alice@acme.test", "victor@acme.test", "bob@globex.test", "sam@support.test"][i % 4]);
      unknown.push(u.ms);
      wrong.push(w.ms);
      answers.add(u.answer);
      answers.add(w.answer);
    }
    const row = (name: string, xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return `| ${name} | ${xs.length} | ${quantile(s, 0.5).toFixed(1)} | ${quantile(s, 0.95).toFixed(1)} | ${s[0].toFixed(1)} | ${s[s.length - 1].toFixed(1)} |`;
    };
    const medianGap = Math.abs(quantile([...unknown].sort((a, b) => a - b), 0.5) - quantile([...wrong].sort((a, b) => a - b), 0.5));
    const table = [
      "| Attempt | n | median ms | p95 ms | min ms | max ms |",
      "|---|---|---|---|---|---|",
      row("Unknown email", unknown),
      row("Known email, wrong password", wrong),
    ].join("\n");
    console.log(table);
    console.log(`Distinct answers: ${answers.size}; median gap ${medianGap.toFixed(1)} ms`);
    writeResultsSection(
      "sign-in-enumeration",
      `## Sign-in: unknown email vs wrong password (user enumeration)

Production build on SQLite, ${ATTEMPTS} attempts of each, interleaved, one at a time, POST
/api/auth/callback/credentials as the sign-in form sends it (\`bench/sign-in.bench.ts\`). Both run
the scrypt check (a dummy hash for an unknown email). Distinct answers across all ${ATTEMPTS * 2}
attempts (status, Location, body): **${answers.size}**. Median gap: **${medianGap.toFixed(1)} ms**.

${table}`,
    );
  } finally {
    await server.stop();
  }
}
