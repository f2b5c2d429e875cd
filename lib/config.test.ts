import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configurationProblems, secureSqliteFile, sqliteFile } from "./config";

const mode = (f: string) => statSync(f).mode & 0o777;

describe("the SQLite file's permissions (secureSqliteFile)", () => {
  it("creates a missing database file empty with mode 0600, before SQLite opens it", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "pulse-mode-")), "pulse.db");
    secureSqliteFile(`file:${file}`);
    expect(statSync(file).size).toBe(0);
    expect(mode(file)).toBe(0o600);
  });

  it("narrows an existing database file and its -wal and -shm that others could read (made by an older version) to 0600", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "pulse-mode-")), "pulse.db");
    for (const f of [file, `${file}-wal`, `${file}-shm`]) writeFileSync(f, "x", { mode: 0o644 });
    secureSqliteFile(`file:${file}`);
    expect([file, `${file}-wal`, `${file}-shm`].map(mode)).toEqual([0o600, 0o600, 0o600]);
    expect(statSync(file).size).toBe(1); // the content is left alone
  });

  it("leaves in-memory databases alone", () => {
    expect(sqliteFile("file::memory:")).toBeNull();
    expect(sqliteFile("file:./data/pulse.db?connection_limit=1")).toBe("./data/pulse.db");
    expect(() => secureSqliteFile("file::memory:")).not.toThrow();
  });
});

describe("configurationProblems: settings that stop the start", () => {
  const parse = (value: string | undefined) => {
    if (value === "10.0.0.0/33") throw new Error('PULSE_TRUSTED_PROXIES: "10.0.0.0/33" is not an IP address or a CIDR');
  };
  it("names each limit that is not a positive whole number, and a trusted proxy list that does not parse", () => {
    expect(configurationProblems({ PULSE_RATE_LIMIT_WRITES_PER_USER: "abc", PULSE_RATE_LIMIT_PER_LICENSE: "0", PULSE_RATE_LIMIT_PER_ADDRESS: "1.5", PULSE_TRUSTED_PROXIES: "10.0.0.0/33" }, parse)).toEqual([
      'PULSE_RATE_LIMIT_PER_ADDRESS must be a positive whole number (it is "1.5")',
      'PULSE_RATE_LIMIT_PER_LICENSE must be a positive whole number (it is "0")',
      'PULSE_RATE_LIMIT_WRITES_PER_USER must be a positive whole number (it is "abc")',
      'PULSE_TRUSTED_PROXIES: "10.0.0.0/33" is not an IP address or a CIDR',
    ]);
  });
  it("accepts unset, empty and valid settings", () => {
    expect(configurationProblems({ PULSE_RATE_LIMIT_PER_TOKEN: "120", PULSE_RATE_LIMIT_PER_ADDRESS: "" }, parse)).toEqual([]);
  });
});
