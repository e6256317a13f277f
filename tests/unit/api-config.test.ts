/** The open API's settings in the environment schema: defaults and clear errors. */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "#app/config.server";

describe("open API configuration", () => {
  it("has defaults (a limit on, no trusted proxies)", () => {
    expect(parseConfig({})).toMatchObject({
      API_RATE_LIMIT_PER_MINUTE: 600,
      API_RATE_LIMIT_BURST: 60,
      TRUST_PROXY_HOPS: 0,
    });
    expect(
      parseConfig({ API_RATE_LIMIT_PER_MINUTE: "0", API_RATE_LIMIT_BURST: "5", TRUST_PROXY_HOPS: "1" }),
    ).toMatchObject({
      API_RATE_LIMIT_PER_MINUTE: 0,
      API_RATE_LIMIT_BURST: 5,
      TRUST_PROXY_HOPS: 1,
    });
  });

  it.each([
    ["API_RATE_LIMIT_PER_MINUTE", "lots", /whole number of requests per minute/],
    ["API_RATE_LIMIT_PER_MINUTE", "-1", /0 \(no limit\) or more/],
    ["API_RATE_LIMIT_BURST", "0", /at least 1/],
    ["TRUST_PROXY_HOPS", "2.5", /whole number of proxies/],
    ["TRUST_PROXY_HOPS", "11", /at most 10/],
  ])("%s=%s is refused with a message naming it", (variable, value, message) => {
    try {
      parseConfig({ [variable]: value });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problem = (error as ConfigError).problems.find((p) => p.variable === variable)!;
      expect(problem.message).toMatch(message);
      expect(problem.message).toContain(`(got "${value}")`);
    }
  });
});
