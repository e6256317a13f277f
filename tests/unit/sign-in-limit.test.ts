/** The sign-in limit rule (app/domain/sign-in-limit.ts) as a table, and the return-path rule's bypass list. */
import { describe, expect, it } from "vitest";
import { SIGN_IN_LIMITS, signInLimitDecision, type SignInCounts } from "#app/domain/sign-in-limit";
import { safeReturnPath } from "#app/auth/auth.server";

const NOW = new Date("2026-12-07T10:00:00Z");
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);
const counts = (c: Partial<SignInCounts>): SignInCounts => ({
  emailAndClient: 0,
  client: 0,
  email: 0,
  lastEmailFailureAt: null,
  ...c,
});

describe("sign-in limit", () => {
  it.each([
    ["nothing yet", counts({}), true, null],
    ["4 from this client", counts({ emailAndClient: 4, email: 4, lastEmailFailureAt: ago(1) }), true, null],
    [
      "5 from this client for this e-mail",
      counts({ emailAndClient: 5, email: 5, lastEmailFailureAt: ago(1) }),
      false,
      "email-and-client",
    ],
    ["19 from this client over many e-mails", counts({ client: 19 }), true, null],
    ["20 from this client over many e-mails", counts({ client: 20 }), false, "client"],
    ["9 for the e-mail from many clients", counts({ email: 9, lastEmailFailureAt: ago(0) }), true, null],
    [
      "10 for the e-mail, the last 10 s ago: wait 30 s",
      counts({ email: 10, lastEmailFailureAt: ago(10) }),
      false,
      "email-back-off",
    ],
    ["10 for the e-mail, the last 31 s ago: allowed", counts({ email: 10, lastEmailFailureAt: ago(31) }), true, null],
    [
      "12 for the e-mail, the last 100 s ago: wait 120 s",
      counts({ email: 12, lastEmailFailureAt: ago(100) }),
      false,
      "email-back-off",
    ],
    [
      "40 for the e-mail: at most the window",
      counts({ email: 40, lastEmailFailureAt: ago(SIGN_IN_LIMITS.windowMinutes * 60 + 1) }),
      true,
      null,
    ],
  ] as const)("%s", (_name, c, allowed, reason) => {
    const d = signInLimitDecision(c, NOW);
    expect(d.allowed).toBe(allowed);
    if (!d.allowed) {
      expect(d.reason).toBe(reason);
      expect(d.retryAfterSeconds).toBeGreaterThan(0);
      expect(d.retryAfterSeconds).toBeLessThanOrEqual(SIGN_IN_LIMITS.windowMinutes * 60);
    }
  });

  it("the back-off doubles: 30 s after the 10th failure, 60 s after the 11th", () => {
    const d10 = signInLimitDecision(counts({ email: 10, lastEmailFailureAt: NOW }), NOW);
    const d11 = signInLimitDecision(counts({ email: 11, lastEmailFailureAt: NOW }), NOW);
    expect(d10).toMatchObject({ allowed: false, retryAfterSeconds: 30 });
    expect(d11).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
  });
});

describe("return path after sign-in: known open-redirect bypasses fall back", () => {
  it.each([
    "/.//evil.example",
    "/..//evil.example",
    "/a/..//evil.example/path",
    "/%2e//evil.example",
    "/%2e%2e//evil.example",
    "/\\evil.example",
    "//evil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "https:evil",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%09/evil.example",
    "",
    "forsker",
  ])("%j", (payload) => {
    expect(safeReturnPath(payload)).toBe("/forsker/studier");
  });

  it.each([
    ["/forsker/studier/3", "/forsker/studier/3"],
    ["/redaksjon?side=2#x", "/redaksjon?side=2#x"],
    ["/a/../forsker", "/forsker"],
    ["/søk?q=brystkreft", "/s%C3%B8k?q=brystkreft"],
  ])("%j stays %j", (payload, expected) => {
    expect(safeReturnPath(payload)).toBe(expected);
  });
});
