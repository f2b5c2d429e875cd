import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { secureSqliteFile, sqliteFile } from "./config";

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
