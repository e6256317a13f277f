import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "#app/config.server";

function problemsFor(env: Record<string, string>) {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration from the environment", () => {
  it("has working defaults for the two-command start", () => {
    const config = parseConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_PATH).toBe("var/kliniske-studier.db");
    expect(config.SEARCH_ENGINE).toBe("sqlite");
    expect(config.BASE_URL).toBe("http://localhost:3000");
    expect(config.SEED_DEMO_DATA).toBe(true);
    expect(config.sessionSecretGenerated).toBe(true);
    expect(config.SESSION_SECRET).toMatch(/^[0-9a-f]{64}$/);
  });

  it("accepts explicit values", () => {
    const secret = "x".repeat(40);
    const config = parseConfig({
      PORT: "8080",
      DATABASE_PATH: "/tmp/a.db",
      SEARCH_ENGINE: "meilisearch",
      MEILI_HOST: "http://127.0.0.1:7700",
      MEILI_API_KEY: "key",
      SESSION_SECRET: secret,
      BASE_URL: "https://kliniskestudier.no",
      SEED_DEMO_DATA: "false",
    });
    expect(config).toMatchObject({
      PORT: 8080,
      SEARCH_ENGINE: "meilisearch",
      MEILI_HOST: "http://127.0.0.1:7700",
      SEED_DEMO_DATA: false,
    });
    expect(config.SESSION_SECRET).toBe(secret);
    expect(config.sessionSecretGenerated).toBe(false);
  });

  it("site confirmation limits: 6 and 12 months by default, set per deployment, soft not above hard (ADR 0019)", () => {
    expect(parseConfig({})).toMatchObject({ SITE_CONFIRMATION_SOFT_MONTHS: 6, SITE_CONFIRMATION_HARD_MONTHS: 12 });
    expect(parseConfig({ SITE_CONFIRMATION_SOFT_MONTHS: "3", SITE_CONFIRMATION_HARD_MONTHS: "9" })).toMatchObject({
      SITE_CONFIRMATION_SOFT_MONTHS: 3,
      SITE_CONFIRMATION_HARD_MONTHS: 9,
    });
    expect(problemsFor({ SITE_CONFIRMATION_SOFT_MONTHS: "13" })).toEqual([
      {
        variable: "SITE_CONFIRMATION_SOFT_MONTHS",
        message: expect.stringMatching(/must not be more than SITE_CONFIRMATION_HARD_MONTHS \(12\)/),
      },
    ]);
    expect(problemsFor({ SITE_CONFIRMATION_HARD_MONTHS: "0" })[0]).toMatchObject({
      variable: "SITE_CONFIRMATION_HARD_MONTHS",
      message: expect.stringMatching(/whole number of months/),
    });
  });

  it("reminder e-mail (ADR 0020): no SMTP by default, smtp(s) URLs only, and the URL's password never shown", () => {
    const defaults = parseConfig({});
    expect(defaults.SMTP_URL).toBeUndefined();
    expect(defaults.MAIL_FROM).toBe("Kliniske studier <ikke-svar@kliniskestudier.no>");
    const set = parseConfig({
      SMTP_URL: "smtps://post:hemmelig@smtp.example.no:465",
      MAIL_FROM: "paminnelser@example.no",
    });
    expect(set.SMTP_URL).toBe("smtps://post:hemmelig@smtp.example.no:465");
    expect(set.MAIL_FROM).toBe("paminnelser@example.no");
    const [problem] = problemsFor({ SMTP_URL: "https://post:hemmelig@smtp.example.no" });
    expect(problem).toMatchObject({ variable: "SMTP_URL" });
    expect(problem!.message).toContain("smtp:// or smtps://");
    expect(problem!.message).not.toContain("hemmelig");
    expect(problemsFor({ MAIL_FROM: "ikke en adresse" })[0]).toMatchObject({ variable: "MAIL_FROM" });
    expect(problemsFor({ MAIL_FROM: "Navn <a@b.no>\nBcc: x@y.no" })[0]).toMatchObject({ variable: "MAIL_FROM" });
  });

  it("treats empty values as unset", () => {
    expect(parseConfig({ PORT: "", MEILI_HOST: "" }).PORT).toBe(3000);
  });

  it.each([
    ["PORT", { PORT: "abc" }],
    ["PORT", { PORT: "70000" }],
    ["PORT", { PORT: "-1" }],
    ["PORT", { PORT: "80.5" }],
    ["SEARCH_ENGINE", { SEARCH_ENGINE: "elastic" }],
    ["MEILI_HOST", { SEARCH_ENGINE: "meilisearch" }],
    ["MEILI_HOST", { MEILI_HOST: "not a url" }],
    ["MEILI_HOST", { MEILI_HOST: "ftp://example.no" }],
    ["SESSION_SECRET", { SESSION_SECRET: "short" }],
    ["BASE_URL", { BASE_URL: "localhost:3000" }],
    ["SEED_DEMO_DATA", { SEED_DEMO_DATA: "yes" }],
    ["NODE_ENV", { NODE_ENV: "staging" }],
  ])("names %s when its value is bad (%j)", (variable, env) => {
    const problems = problemsFor(env);
    expect(problems.map((p) => p.variable)).toContain(variable);
  });

  it("says what was wrong, shows the bad value but never a secret", () => {
    try {
      parseConfig({ PORT: "abc", SESSION_SECRET: "tooshort-secret" });
      throw new Error("expected a ConfigError");
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("PORT");
      expect(message).toContain('"abc"');
      expect(message).toContain("SESSION_SECRET");
      expect(message).not.toContain("tooshort-secret");
    }
  });
});
