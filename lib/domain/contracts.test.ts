import { describe, expect, it } from "vitest";
import { contractState, isRealContractNumber } from "./contracts";

describe("contractState", () => {
  it("is ACTIVE without an end date or through its end date", () => {
    expect(contractState({ status: "ACTIVE", endDate: null }, "2026-11-25")).toBe("ACTIVE");
    expect(contractState({ status: "ACTIVE", endDate: "2026-11-25" }, "2026-11-25")).toBe("ACTIVE");
  });
  it("is EXPIRED the day after its end date", () => {
    expect(contractState({ status: "ACTIVE", endDate: "2026-11-24" }, "2026-11-25")).toBe("EXPIRED");
    expect(contractState({ status: "ACTIVE", endDate: "2028-02-29" }, "2028-03-01")).toBe("EXPIRED");
  });
  it("is TERMINATED whatever its dates", () => {
    expect(contractState({ status: "TERMINATED", endDate: null }, "2026-11-25")).toBe("TERMINATED");
    expect(contractState({ status: "TERMINATED", endDate: "2030-01-01" }, "2026-11-25")).toBe("TERMINATED");
  });
});

describe("isRealContractNumber", () => {
  it("accepts exactly 8 digits", () => {
    expect(isRealContractNumber("02553275")).toBe(true);
    expect(isRealContractNumber("2553275")).toBe(false);
    expect(isRealContractNumber("NFR-0001")).toBe(false);
    expect(isRealContractNumber(null)).toBe(false);
  });
});
