/** Pure parts of accounts: password hashing, signed values, CSRF checks, readiness, diffs in words. */
import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword, SCRYPT_PARAMS } from "#app/auth/password.server";
import { sign, unsign } from "#app/auth/tokens.server";
import { csrfProblem, freshCsrfToken, CSRF_FIELD } from "#app/auth/csrf.server";
import { safeReturnPath } from "#app/auth/auth.server";
import { missingForPublishing, readinessWarnings } from "#app/domain/study-readiness";
import { describeChange, summariseInWords } from "#app/views/version-diff";
import { translator } from "#app/i18n/translate";

// Vite puts BASE_URL="/" into process.env; the CSRF helpers read the portal's configuration.
process.env.BASE_URL = "http://localhost:3000";

describe("passwords", () => {
  it("hashes with scrypt and a per-hash salt, and verifies", async () => {
    const a = await hashPassword("et langt nok passord");
    const b = await hashPassword("et langt nok passord");
    expect(a).not.toBe(b);
    expect(a.startsWith(`scrypt$${SCRYPT_PARAMS.N}$${SCRYPT_PARAMS.r}$${SCRYPT_PARAMS.p}$`)).toBe(true);
    expect(await verifyPassword("et langt nok passord", a)).toBe(true);
    expect(await verifyPassword("et langt nok passorD", a)).toBe(false);
    expect(await verifyPassword("x", "not-a-hash")).toBe(false);
  });
  it("says why a password is too short", () => {
    expect(passwordProblem("kort")).toMatch(/minst 12/);
    expect(passwordProblem("tolv tegn ok!")).toBeNull();
  });
});

describe("signed values", () => {
  it("refuses a changed value or signature", () => {
    const s = sign("a".repeat(32), "p", "verdi");
    expect(unsign("a".repeat(32), "p", s)).toBe("verdi");
    expect(unsign("a".repeat(32), "q", s)).toBeNull();
    expect(unsign("b".repeat(32), "p", s)).toBeNull();
    expect(unsign("a".repeat(32), "p", s.replace("verdi", "verdj"))).toBeNull();
  });
});

describe("CSRF", () => {
  const { token, setCookie } = freshCsrfToken();
  const cookie = setCookie!.split(";")[0]!;
  const request = (headers: Record<string, string>) =>
    new Request("http://127.0.0.1:3000/logg-inn", { method: "POST", headers: { host: "127.0.0.1:3000", ...headers } });
  const form = (value?: string) => {
    const f = new FormData();
    if (value !== undefined) f.set(CSRF_FIELD, value);
    return f;
  };
  it("accepts the cookie's token", () => expect(csrfProblem(request({ cookie }), form(token))).toBeNull());
  it("refuses no cookie, no field, a wrong field, a forged cookie and another origin", () => {
    expect(csrfProblem(request({}), form(token))).toMatch(/no CSRF cookie/);
    expect(csrfProblem(request({ cookie }), form())).toMatch(/no CSRF token/);
    expect(csrfProblem(request({ cookie }), form(token + "x"))).toMatch(/does not match/);
    expect(csrfProblem(request({ cookie: `ks_csrf=${token}.forged` }), form(token))).toMatch(/not signed/);
    expect(csrfProblem(request({ cookie, origin: "https://evil.example" }), form(token))).toMatch(/another site/);
  });
});

describe("return paths", () => {
  it("stays on this site", () => {
    expect(safeReturnPath("/forsker/studier/3")).toBe("/forsker/studier/3");
    expect(safeReturnPath("//evil.example")).toBe("/forsker/studier");
    expect(safeReturnPath("https://evil.example")).toBe("/forsker/studier");
  });
});

describe("readiness", () => {
  const base = {
    studyType: "treatment" as const,
    identifiers: { nct: null, euCt: null, eudract: null, isrctn: null, rek: null },
    title: { nb: "Tittel" },
    summary: { nb: `${"ord ".repeat(30)}slutt. Kort setning.` },
    contacts: [],
    sites: [
      {
        organisationId: "ous",
        inclusionStart: "2020-01-01",
        inclusionEnd: "2020-12-31",
        contact: null,
        withdrawn: false,
      },
    ],
  };
  it("lists what is missing and warns", () => {
    expect(missingForPublishing(base)).toEqual(["REK-nummer"]);
    const warnings = readinessWarnings(base, "2026-01-01");
    expect(warnings.join("\n")).toMatch(/Inklusjonsslutt er passert for ous/);
    expect(warnings.join("\n")).toMatch(/Ingen kontaktperson/);
    expect(warnings.join("\n")).toMatch(/Ingen engelsk tekst/);
    expect(warnings.join("\n")).toMatch(/1 svært lang setning/);
  });
});

describe("diffs in words", () => {
  it("names the site and field, dates in words", () => {
    expect(
      describeChange({ path: "sites[st-olavs/].inclusionEnd", kind: "changed", from: "2026-01-01", to: "2026-06-30" }),
    ).toEqual({
      label: "Inklusjonsslutt ved st-olavs",
      from: "1. januar 2026",
      to: "30. juni 2026",
    });
    expect(describeChange({ path: "publicationState", kind: "changed", from: "submitted", to: "published" })).toEqual({
      label: "Publisering",
      from: "sendt til godkjenning",
      to: "publisert",
    });
  });

  const siteNames = new Map([["st-olavs/", "St. Olavs hospital"]]);
  const orgNames = new Map([
    ["st-olavs", "St. Olavs hospital HF"],
    ["ous", "Oslo universitetssykehus HF"],
  ]);
  it.each([
    [
      "nb",
      "Inklusjonsslutt ved St. Olavs hospital",
      "30. juni 2026",
      "Endret: tittel og inklusjonsslutt ved St. Olavs hospital",
    ],
    [
      "nn",
      "Inklusjonsslutt ved St. Olavs hospital",
      "30. juni 2026",
      "Endra: tittel og inklusjonsslutt ved St. Olavs hospital",
    ],
    [
      "en",
      "Inclusion end at St. Olavs hospital",
      "30 June 2026",
      "Changed: title and inclusion end at St. Olavs hospital",
    ],
  ] as const)("in %s: names, not ids; dates in words; a summary without internal words", (lang, label, to, summary) => {
    const w = { tr: translator(lang), siteNames, orgNames };
    const changes = [
      { path: "title.nb", kind: "changed" as const, from: "A", to: "B" },
      { path: "sites[st-olavs/].inclusionEnd", kind: "changed" as const, from: "2026-01-01", to: "2026-06-30" },
    ];
    expect(describeChange(changes[1]!, w)).toEqual({ label, from: w.tr.date("2026-01-01"), to });
    expect(
      describeChange({ path: "leadOrganisationId", kind: "changed", from: "st-olavs", to: "ous" }, w),
    ).toMatchObject({
      from: "St. Olavs hospital HF",
      to: "Oslo universitetssykehus HF",
    });
    expect(summariseInWords(changes, "Endret title, sites", w)).toBe(summary);
    expect(summariseInWords([], "Opprettet", w)).toBe("Opprettet");
  });
});
