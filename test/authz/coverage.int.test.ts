// The authorization matrix covers the app exactly: every route file has an entry with exactly the
// methods it exports, every caller has a cell, and no route refuses everyone (the pair: the
// refused caller and an allowed one). The cells themselves run against the production build in
// test/production/authz.prod.test.ts.
import { describe, expect, it } from "vitest";
import { CALLERS, MATRIX } from "./matrix";
import { exportedMethods, routeFiles } from "./routes";

describe("authorization matrix coverage", () => {
  const routes = routeFiles();

  it("finds the route files and their methods", () => {
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.find((r) => r.file === "app/api/portal/licenses/route.ts")?.methods).toEqual(["GET", "POST"]);
    expect(routes.find((r) => r.file === "app/api/auth/[...nextauth]/route.ts")?.methods).toEqual(["GET", "POST"]);
    expect(routes.find((r) => r.file === "app/(portal)/licenses/[licenseId]/page.tsx")).toMatchObject({ pattern: "/licenses/[licenseId]", kind: "page" });
    expect(exportedMethods("export async function PUT(req) {}\nexport const DELETE = x;\nexport { a as GET };")).toEqual(["GET", "PUT", "DELETE"]);
  });

  it("has an entry for every route file, with exactly the methods it exports", () => {
    const missing = routes.filter((r) => !MATRIX[r.file]).map((r) => r.file);
    expect(missing, "route files without an entry in test/authz/matrix.ts").toEqual([]);
    for (const r of routes) expect(Object.keys(MATRIX[r.file].methods).sort(), r.file).toEqual([...r.methods].sort());
  });

  it("names no route file that no longer exists", () => {
    const files = new Set(routes.map((r) => r.file));
    expect(Object.keys(MATRIX).filter((f) => !files.has(f))).toEqual([]);
  });

  it("has a cell for every caller, and every refused caller is paired with an allowed one", () => {
    for (const [file, entry] of Object.entries(MATRIX)) {
      for (const [method, cell] of Object.entries(entry.methods)) {
        expect(Object.keys(cell.expect).sort(), `${method} ${file}`).toEqual([...CALLERS].sort());
        const values = Object.values(cell.expect);
        const refused = values.filter((v) => v === "login" || v >= 400);
        const allowed = values.filter((v) => v !== "login" && v < 400);
        if (entry.refusedToAll) expect(allowed, `${method} ${file}: refusedToAll`).toEqual([]);
        else if (refused.length) expect(allowed.length, `${method} ${file} refuses ${refused.length} callers and allows none`).toBeGreaterThan(0);
      }
    }
  });
});
