/** The open API's token bucket and client keys (pure; the clock is a variable, nothing waits). */
import { describe, expect, it } from "vitest";
import { clientKey, TokenBucketLimiter } from "#app/api/rate-limit";

function limiter(perMinute: number, burst: number, maxClients?: number) {
  let now = 1_000_000;
  const l = new TokenBucketLimiter({ perMinute, burst, maxClients, clock: () => now });
  return { l, advance: (ms: number) => (now += ms) };
}

describe("TokenBucketLimiter", () => {
  it("allows a burst, then refuses with the seconds until one token is back", () => {
    const { l } = limiter(60, 3); // one a second
    expect([1, 2, 3].map(() => l.take("a").remaining)).toEqual([2, 1, 0]);
    const refused = l.take("a");
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1, limit: 3 });
  });

  it("refills continuously at the per-minute rate, never above the burst", () => {
    const { l, advance } = limiter(6, 2); // one every 10 s
    l.take("a");
    l.take("a");
    expect(l.take("a").allowed).toBe(false);
    advance(9_999);
    expect(l.take("a")).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    advance(2);
    expect(l.take("a").allowed).toBe(true);
    advance(3_600_000);
    expect(l.take("a").remaining).toBe(1); // full (2) minus this one
  });

  it("a refused request costs nothing; Retry-After is honest", () => {
    const { l, advance } = limiter(1, 1); // one a minute
    l.take("a");
    const r = l.take("a");
    expect(r.retryAfterSeconds).toBe(60);
    advance(30_000);
    expect(l.take("a").retryAfterSeconds).toBe(30);
    advance(30_000);
    expect(l.take("a").allowed).toBe(true);
  });

  it("keeps clients apart", () => {
    const { l } = limiter(1, 1);
    expect(l.take("a").allowed).toBe(true);
    expect(l.take("a").allowed).toBe(false);
    expect(l.take("b").allowed).toBe(true);
  });

  it("stays bounded: idle clients are forgotten first, then the least recently seen", () => {
    const { l, advance } = limiter(60, 2, 10);
    for (let i = 0; i < 10; i++) l.take(`idle-${i}`);
    advance(10_000); // all full again
    for (let i = 0; i < 5; i++) l.take(`busy-${i}`);
    expect(l.size).toBeLessThanOrEqual(10);
    for (let i = 0; i < 100; i++) l.take(`flood-${i}`);
    expect(l.size).toBeLessThanOrEqual(10);
  });

  it("refuses nonsense settings", () => {
    expect(() => new TokenBucketLimiter({ perMinute: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new TokenBucketLimiter({ perMinute: 1, burst: 0 })).toThrow(RangeError);
  });
});

describe("clientKey", () => {
  const h = (xff?: string) => new Headers(xff ? { "x-forwarded-for": xff } : {});
  it("uses the connection's address without trusted proxies (X-Forwarded-For is ignored)", () => {
    expect(clientKey(h("1.2.3.4"), "10.0.0.9", 0)).toBe("10.0.0.9");
    expect(clientKey(h(), "::ffff:192.0.2.1", 0)).toBe("192.0.2.1");
    expect(clientKey(h("1.2.3.4"), null, 0)).toBeNull();
  });
  it("takes the address the outermost trusted proxy saw", () => {
    expect(clientKey(h("spoofed, 203.0.113.5"), "10.0.0.1", 1)).toBe("203.0.113.5");
    expect(clientKey(h("spoofed, 203.0.113.5, 10.0.0.2"), "10.0.0.1", 2)).toBe("203.0.113.5");
    expect(clientKey(h("203.0.113.5:4711"), null, 1)).toBe("203.0.113.5");
    expect(clientKey(h(), "10.0.0.1", 1)).toBe("10.0.0.1");
  });
  it("groups IPv6 clients by their /64", () => {
    const a = clientKey(h(), "2001:db8:1:2:aaaa::1", 0);
    expect(a).toBe("2001:db8:1:2::/64");
    expect(clientKey(h(), "2001:0db8:0001:0002:ffff:ffff:ffff:ffff", 0)).toBe(a);
    expect(clientKey(h(), "2001:db8:1:3::1", 0)).not.toBe(a);
    expect(clientKey(h(), "[2001:db8:1:2::9]", 0)).toBe(a);
    expect(clientKey(h(), "fe80::1%eth0", 0)).toBe("fe80:0:0:0::/64");
  });
});
