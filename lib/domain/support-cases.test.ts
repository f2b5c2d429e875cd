import { describe, expect, it } from "vitest";
import { CASE_STATES, isOpenCase, staffCommentRefusal, staffNextStates, stateAfterProviderComment, stateChangeRefusal } from "./support-cases";

describe("case states", () => {
  it("move forward OPEN -> IN_PROGRESS -> RESOLVED -> CLOSED, and a resolved case may go back to in progress", () => {
    expect(stateChangeRefusal("OPEN", "IN_PROGRESS")).toBeNull();
    expect(stateChangeRefusal("IN_PROGRESS", "RESOLVED")).toBeNull();
    expect(stateChangeRefusal("RESOLVED", "CLOSED")).toBeNull();
    expect(stateChangeRefusal("OPEN", "RESOLVED")).toBeNull();
    expect(stateChangeRefusal("RESOLVED", "IN_PROGRESS")).toBeNull();
  });
  it("never go back to OPEN by staff, and a closed case is final", () => {
    expect(stateChangeRefusal("IN_PROGRESS", "OPEN")).toMatch(/cannot go from In progress back to Open/);
    expect(stateChangeRefusal("RESOLVED", "OPEN")).not.toBeNull();
    for (const to of CASE_STATES.filter((s) => s !== "CLOSED")) expect(stateChangeRefusal("CLOSED", to)).toMatch(/closed/);
    expect(staffNextStates("CLOSED")).toEqual([]);
  });
  it("moving to the current state is no change, not a refusal", () => {
    for (const s of CASE_STATES) expect(stateChangeRefusal(s, s)).toBeNull();
  });
  it("count OPEN and IN_PROGRESS as open", () => {
    expect(CASE_STATES.filter(isOpenCase)).toEqual(["OPEN", "IN_PROGRESS"]);
  });
});

describe("comments", () => {
  it("a provider comment on a resolved case reopens it; other open states stay", () => {
    expect(stateAfterProviderComment("RESOLVED")).toEqual({ state: "OPEN" });
    expect(stateAfterProviderComment("OPEN")).toEqual({ state: "OPEN" });
    expect(stateAfterProviderComment("IN_PROGRESS")).toEqual({ state: "IN_PROGRESS" });
  });
  it("a closed case takes no comments from anyone", () => {
    expect(stateAfterProviderComment("CLOSED")).toHaveProperty("refusal");
    expect(staffCommentRefusal("CLOSED")).not.toBeNull();
    expect(staffCommentRefusal("RESOLVED")).toBeNull();
  });
});
