/** Where a person lands after signing in without asking for a page (app/auth/policy.ts: homePath). */
import { describe, expect, it } from "vitest";
import { homePath, type Principal, type Role } from "#app/auth/policy";

const person = (...roles: [Role, string | null][]): Principal => ({
  id: 1,
  name: "N",
  email: "n@example.no",
  roles: roles.map(([role, organisationId]) => ({ role, organisationId })),
});

describe("homePath", () => {
  it.each([
    ["an editor", person(["editor", "st-olavs"]), "/redaksjon"],
    ["an editor of two organisations", person(["editor", "st-olavs"], ["editor", "ous"]), "/redaksjon"],
    ["a researcher", person(["researcher", "st-olavs"]), "/forsker/studier"],
    [
      "a researcher who is also an editor",
      person(["researcher", "st-olavs"], ["editor", "st-olavs"]),
      "/forsker/studier",
    ],
    ["the administrator", person(["admin", null]), "/forsker/studier"],
    ["the administrator who is also an editor", person(["admin", null], ["editor", "ous"]), "/forsker/studier"],
    ["someone with no role left", person(), "/forsker/studier"],
  ])("%s → %s", (_who, p, expected) => {
    expect(homePath(p)).toBe(expected);
  });
});
