/**
 * A token bucket per client, in memory (pure: the clock is passed in). Each client may make
 * `burst` requests at once; tokens refill continuously at `perMinute` a minute. The map of
 * clients is bounded: when it is full, clients whose bucket has refilled completely (idle ones)
 * are forgotten first, then the least recently seen.
 */

export interface RateLimitOptions {
  perMinute: number;
  burst: number;
  /** Most clients remembered at once (default 50,000). */
  maxClients?: number;
  /** Milliseconds since some fixed point (default Date.now). */
  clock?: () => number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Whole requests left right now. */
  remaining: number;
  /** Seconds until a request would be allowed again (0 when allowed). */
  retryAfterSeconds: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly maxClients: number;
  private readonly clock: () => number;

  constructor(private readonly options: RateLimitOptions) {
    if (!(options.perMinute > 0) || !(options.burst >= 1)) throw new RangeError("perMinute must be > 0 and burst ≥ 1");
    this.perMs = options.perMinute / 60_000;
    this.maxClients = options.maxClients ?? 50_000;
    this.clock = options.clock ?? Date.now;
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string, cost = 1): RateDecision {
    const now = this.clock();
    const burst = this.options.burst;
    const existing = this.buckets.get(key);
    let tokens = burst;
    if (existing) {
      tokens = Math.min(burst, existing.tokens + Math.max(0, now - existing.at) * this.perMs);
      this.buckets.delete(key); // re-inserted below: the map stays in least-recently-seen order
    } else if (this.buckets.size >= this.maxClients) {
      this.evict(now);
    }
    const allowed = tokens >= cost;
    if (allowed) tokens -= cost;
    this.buckets.set(key, { tokens, at: now });
    const missing = burst - tokens;
    return {
      allowed,
      limit: burst,
      remaining: Math.floor(tokens),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((cost - tokens) / this.perMs / 1000)),
      resetSeconds: Math.ceil(missing / this.perMs / 1000),
    };
  }

  private evict(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.options.burst) this.buckets.delete(key);
    }
    // Still full: forget the least recently seen tenth.
    if (this.buckets.size >= this.maxClients) {
      let drop = Math.max(1, Math.floor(this.maxClients / 10));
      for (const key of this.buckets.keys()) {
        if (drop-- <= 0) break;
        this.buckets.delete(key);
      }
    }
  }
}

/**
 * The client a request comes from. With `trustedHops` reverse proxies in front, the address the
 * outermost trusted proxy saw is taken from X-Forwarded-For (each proxy appends the address it
 * was connected from); otherwise the connection's own address. IPv6 addresses are grouped by
 * their /64 network (one subscriber usually has a whole /64). null when nothing identifies it.
 */
export function clientKey(
  headers: Pick<Headers, "get">,
  remoteAddress: string | null | undefined,
  trustedHops: number,
): string | null {
  let address = remoteAddress ?? null;
  if (trustedHops > 0) {
    const hops = (headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean);
    if (hops.length > 0) address = hops[Math.max(0, hops.length - trustedHops)]!;
  }
  if (!address) return null;
  return normaliseAddress(address);
}

function normaliseAddress(address: string): string {
  let a = address.trim().toLowerCase();
  if (a.startsWith("[")) a = a.slice(1, a.indexOf("]") > 0 ? a.indexOf("]") : undefined);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return mapped[1]!;
  const v4 = /^(\d+\.\d+\.\d+\.\d+)(:\d+)?$/.exec(a);
  if (v4) return v4[1]!;
  if (!a.includes(":")) return a;
  const zone = a.indexOf("%");
  if (zone >= 0) a = a.slice(0, zone);
  const [head, tail] = a.includes("::") ? a.split("::") : [a, null];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === null ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
