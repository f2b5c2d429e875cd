import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../errors";
import { errorResponse } from "./problem";

// Shapes of the errors seen when PostgreSQL stops under load (test/production/crash.prod.test.ts).
const adapterError = (cause: object) => Object.assign(new Error("Invalid `db.organization.count()` invocation"), { code: "P2039", meta: { driverAdapterError: { name: "DriverAdapterError", cause } } });

describe("a database out of reach is 503 with Retry-After, anything else 500", () => {
  it.each([
    ["Prisma P1001 (can't reach the server)", Object.assign(new Error("Can't reach database server"), { code: "P1001" })],
    ["PostgreSQL shutting down (57P01 through the driver adapter)", adapterError({ kind: "postgres", code: "57P01", message: "terminating connection due to administrator command" })],
    ["PostgreSQL starting up (57P03)", Object.assign(new Error("the database system is starting up"), { code: "57P03" })],
    ["the adapter's DatabaseNotReachable", adapterError({ kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 })],
    ["node-postgres: connection refused, as a cause", new Error("connect failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) })],
    ["node-postgres: connection terminated", new Error("Connection terminated unexpectedly")],
    ["pool: no connection in time", new Error("timeout exceeded when trying to connect")],
  ])("%s", async (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    const res = errorResponse(error);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(JSON.stringify(await res.json())).not.toContain("57P01");
  });

  it.each([
    ["a bug", new TypeError("x is undefined")],
    ["a unique violation", Object.assign(new Error("Unique constraint failed"), { code: "P2002" })],
    ["a constraint violation from PostgreSQL", adapterError({ kind: "postgres", code: "23503", message: "foreign key violation" })],
  ])("%s stays 500", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    const original = console.error;
    console.error = () => {};
    try {
      expect(errorResponse(error).status).toBe(500);
    } finally {
      console.error = original;
    }
  });
});
