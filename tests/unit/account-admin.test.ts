/** The administrator's account rules (app/domain/account-admin.ts) as a table. */
import { describe, expect, it } from "vitest";
import {
  accountChangeProblem,
  roleGrants,
  roleProblem,
  type AccountChange,
  type AccountState,
} from "#app/domain/account-admin";

const admin = (id: number, disabled = false): AccountState => ({
  id,
  disabled,
  roles: [{ role: "admin", organisationId: null }],
});
const researcher = (id: number): AccountState => ({
  id,
  disabled: false,
  roles: [{ role: "researcher", organisationId: "ous" }],
});

const ONE_ADMIN = [admin(1), researcher(2)];
const TWO_ADMINS = [admin(1), admin(3), researcher(2)];
const ONE_ACTIVE_ONE_DISABLED = [admin(1), admin(3, true), researcher(2)];

const CASES: [string, AccountState[], AccountChange, string | null][] = [
  ["the only admin disables themself", ONE_ADMIN, { kind: "disable", accountId: 1 }, "account:lastAdmin"],
  [
    "the only admin demotes themself to researcher",
    ONE_ADMIN,
    { kind: "roles", accountId: 1, role: "researcher", organisationIds: ["ous"] },
    "role:lastAdmin",
  ],
  ["one of two admins disables the other", TWO_ADMINS, { kind: "disable", accountId: 3 }, null],
  ["one of two admins disables themself", TWO_ADMINS, { kind: "disable", accountId: 1 }, null],
  [
    "one of two admins demotes the other",
    TWO_ADMINS,
    { kind: "roles", accountId: 3, role: "editor", organisationIds: ["st-olavs"] },
    null,
  ],
  [
    "a disabled admin does not count as the one that remains",
    ONE_ACTIVE_ONE_DISABLED,
    { kind: "disable", accountId: 1 },
    "account:lastAdmin",
  ],
  ["re-enabling a disabled admin", ONE_ACTIVE_ONE_DISABLED, { kind: "enable", accountId: 3 }, null],
  ["disabling a researcher", ONE_ADMIN, { kind: "disable", accountId: 2 }, null],
  [
    "a researcher without organisation",
    ONE_ADMIN,
    { kind: "roles", accountId: 2, role: "researcher", organisationIds: [] },
    "organisations:orgRequired",
  ],
  [
    "an editor without organisation",
    ONE_ADMIN,
    { kind: "roles", accountId: 2, role: "editor", organisationIds: [] },
    "organisations:orgRequired",
  ],
  [
    "an admin with an organisation",
    ONE_ADMIN,
    { kind: "roles", accountId: 2, role: "admin", organisationIds: ["ous"] },
    "organisations:adminNoOrg",
  ],
  [
    "promoting a researcher to admin",
    ONE_ADMIN,
    { kind: "roles", accountId: 2, role: "admin", organisationIds: [] },
    null,
  ],
  [
    "the last admin keeps the admin role",
    ONE_ADMIN,
    { kind: "roles", accountId: 1, role: "admin", organisationIds: [] },
    null,
  ],
];

describe("account changes", () => {
  it.each(CASES)("%s", (_name, accounts, change, expected) => {
    const problem = accountChangeProblem(accounts, change);
    expect(problem ? `${problem.field}:${problem.key.replace("accounts.problem.", "")}` : null).toBe(expected);
  });
});

describe("role grants", () => {
  it.each([
    ["admin", [], [{ role: "admin", organisationId: null }]],
    [
      "editor",
      ["st-olavs", "ous", "ous"],
      [
        { role: "editor", organisationId: "ous" },
        { role: "editor", organisationId: "st-olavs" },
      ],
    ],
  ] as const)("%s of %j", (role, orgs, expected) => {
    expect(roleGrants(role, [...orgs])).toEqual(expected);
  });
  it("a role's organisations", () => {
    expect(roleProblem("researcher", ["ous"])).toBeNull();
    expect(roleProblem("admin", [])).toBeNull();
    expect(roleProblem("researcher", [])?.key).toBe("accounts.problem.orgRequired");
  });
});
