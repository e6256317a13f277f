/**
 * Configuration from the environment, validated with zod once at boot.
 * A bad value stops the start with a message naming the variable (see loadConfigOrExit).
 */
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { z } from "zod";
import { singleton } from "./singleton.server";
import {
  configureStatusPolicy,
  DEFAULT_CONFIRMATION_HARD_MONTHS,
  DEFAULT_CONFIRMATION_SOFT_MONTHS,
  DEFAULT_DECLARED_MAX_AGE_DAYS,
} from "./domain/inclusion-status";

const months = (fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: "must be a whole number of months between 1 and 120" })
      .int("must be a whole number of months between 1 and 120")
      .min(1, "must be a whole number of months between 1 and 120")
      .max(120, "must be a whole number of months between 1 and 120")
      .default(fallback),
  );

/** A CSP frame-ancestors source list (CSP Level 3 host-source / scheme-source / 'self' / 'none'). */
export function isFrameAncestors(value: string): boolean {
  const sources = value.trim().split(/\s+/).filter(Boolean);
  if (sources.length === 0 || sources.length > 50) return false;
  if (sources.includes("'none'")) return sources.length === 1;
  const host =
    /^(?:https?:\/\/)?(?:\*\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::(?:\d{1,5}|\*))?(?:\/[A-Za-z0-9._~/-]*)?$/i;
  return sources.every((s) => s === "*" || s === "'self'" || /^https?:$/i.test(s) || host.test(s));
}

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const envSchema = z
  .object({
    NODE_ENV: z.preprocess(emptyToUndefined, z.enum(["development", "production", "test"]).default("production")),
    HOST: z.preprocess(emptyToUndefined, z.string().default("0.0.0.0")),
    /** 0 picks a free port (used by tests); the server prints the port it got. */
    PORT: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "must be a whole number between 0 and 65535" })
        .int("must be a whole number between 0 and 65535")
        .min(0, "must be a whole number between 0 and 65535")
        .max(65535, "must be a whole number between 0 and 65535")
        .default(3000),
    ),
    DATABASE_PATH: z.preprocess(emptyToUndefined, z.string().default("var/kliniske-studier.db")),
    SEARCH_ENGINE: z.preprocess(
      emptyToUndefined,
      z.enum(["sqlite", "meilisearch"], { message: 'must be "sqlite" or "meilisearch"' }).default("sqlite"),
    ),
    MEILI_HOST: z.preprocess(
      emptyToUndefined,
      z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
    ),
    MEILI_API_KEY: z.preprocess(emptyToUndefined, z.string().optional()),
    SESSION_SECRET: z.preprocess(
      emptyToUndefined,
      z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)").optional(),
    ),
    BASE_URL: z.preprocess(
      emptyToUndefined,
      z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).default("http://localhost:3000"),
    ),
    /** Largest request body the ingest API accepts, in bytes. */
    INGEST_MAX_BYTES: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "must be a whole number of bytes" })
        .int("must be a whole number of bytes")
        .min(1024, "must be at least 1024 bytes")
        .max(2_000_000_000, "must be at most 2000000000 bytes")
        .default(50 * 1024 * 1024),
    ),
    /** Open API (/api/v1) reads per client and minute, refilled continuously; 0 turns the limit off. */
    API_RATE_LIMIT_PER_MINUTE: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "must be a whole number of requests per minute (0 = no limit)" })
        .int("must be a whole number of requests per minute (0 = no limit)")
        .min(0, "must be 0 (no limit) or more")
        .max(1_000_000, "must be at most 1000000")
        .default(600),
    ),
    /** How many Open API requests a client may make at once before the per-minute rate applies. */
    API_RATE_LIMIT_BURST: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "must be a whole number of requests" })
        .int("must be a whole number of requests")
        .min(1, "must be at least 1")
        .max(100_000, "must be at most 100000")
        .default(60),
    ),
    /** Memory for finished open-API answers, in MiB (app/http/answer-cache.server.ts); 0 turns the cache off. */
    API_ANSWER_CACHE_MB: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "must be a whole number of MiB (0 = no cache)" })
        .int("must be a whole number of MiB (0 = no cache)")
        .min(0, "must be 0 (no cache) or more")
        .max(16_384, "must be at most 16384")
        .default(64),
    ),
    /**
     * Serving processes (node:cluster, sharing the database file); default one per CPU core. 1 serves
     * from the one process, as before issue 20 (app/http/cluster.server.ts).
     */
    WEB_CONCURRENCY: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "must be a whole number of processes between 1 and 64" })
        .int("must be a whole number of processes between 1 and 64")
        .min(1, "must be a whole number of processes between 1 and 64")
        .max(64, "must be a whole number of processes between 1 and 64")
        .default(() => Math.min(64, availableParallelism())),
    ),
    /** Memory for finished public pages, in MiB (app/http/page-cache.server.ts); 0 turns the cache off. */
    PAGE_CACHE_MB: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "must be a whole number of MiB (0 = no cache)" })
        .int("must be a whole number of MiB (0 = no cache)")
        .min(0, "must be 0 (no cache) or more")
        .max(16_384, "must be at most 16384")
        .default(64),
    ),
    /**
     * How often (ms) the live-event hub and the search indexers look for changes written by another
     * process (a CLI ingest). Changes from this server's own ingest worker wake them at once.
     */
    CHANGE_POLL_MS: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "must be a whole number of milliseconds between 100 and 3600000" })
        .int("must be a whole number of milliseconds between 100 and 3600000")
        .min(100, "must be a whole number of milliseconds between 100 and 3600000")
        .max(3_600_000, "must be a whole number of milliseconds between 100 and 3600000")
        .default(1000),
    ),
    /** Reverse proxies in front of the portal whose X-Forwarded-For is trusted (0 = none). */
    TRUST_PROXY_HOPS: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "must be a whole number of proxies (0 = none)" })
        .int("must be a whole number of proxies (0 = none)")
        .min(0, "must be 0 or more")
        .max(10, "must be at most 10")
        .default(0),
    ),
    /**
     * Seconds a client has to send a whole request (headers and body) before it is answered 408
     * and closed (Node's default is 300). A live stream (SSE) is a response, not a request: it is
     * not cut by this.
     */
    REQUEST_TIMEOUT_SECONDS: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "must be a whole number of seconds between 1 and 3600" })
        .int("must be a whole number of seconds between 1 and 3600")
        .min(1, "must be a whole number of seconds between 1 and 3600")
        .max(3600, "must be a whole number of seconds between 1 and 3600")
        .default(60),
    ),
    /** Seconds a client has to send the request's headers (Node's default is 60). */
    HEADERS_TIMEOUT_SECONDS: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "must be a whole number of seconds between 1 and 600" })
        .int("must be a whole number of seconds between 1 and 600")
        .min(1, "must be a whole number of seconds between 1 and 600")
        .max(600, "must be a whole number of seconds between 1 and 600")
        .default(20),
    ),
    /** Live streams (GET /api/v1/events) one client may hold open at once; more are 429. */
    SSE_MAX_STREAMS_PER_CLIENT: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "must be a whole number of streams between 1 and 100000" })
        .int("must be a whole number of streams between 1 and 100000")
        .min(1, "must be a whole number of streams between 1 and 100000")
        .max(100_000, "must be a whole number of streams between 1 and 100000")
        .default(20),
    ),
    /**
     * Bearer token for /metrics and the details of /healthz and /readyz on the app port. Unset:
     * /metrics is not served on the app port (404) and /healthz, /readyz say only ok or not.
     */
    METRICS_TOKEN: z.preprocess(
      emptyToUndefined,
      z.string().min(24, "must be at least 24 characters (e.g. `openssl rand -hex 24`)").optional(),
    ),
    /**
     * A second port for /metrics, /healthz and /readyz with all details and no token, for the
     * monitoring network only (bound to METRICS_HOST). Unset: no second port.
     */
    METRICS_PORT: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "must be a whole number between 0 and 65535" })
        .int("must be a whole number between 0 and 65535")
        .min(0, "must be a whole number between 0 and 65535")
        .max(65535, "must be a whole number between 0 and 65535")
        .optional(),
    ),
    /** Interface of METRICS_PORT (default 127.0.0.1: this machine only). */
    METRICS_HOST: z.preprocess(emptyToUndefined, z.string().default("127.0.0.1")),
    /**
     * Who may show the hospital embeds (/embed/organisations/:id) in a frame: the CSP
     * frame-ancestors sources, space-separated ("*", "'self'", "'none'", https: or origins such as
     * https://www.helse-bergen.no or https://*.helse-nord.no).
     */
    EMBED_FRAME_ANCESTORS: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .trim()
        .refine(isFrameAncestors, {
          message:
            'must be "*", "\'self\'", "\'none\'" or a space-separated list of origins such as https://www.helse-bergen.no or https://*.helse-nord.no',
        })
        .default("*")
        // One header line: sources joined by single spaces (a newline in the variable must not reach the header).
        .transform((v) => v.split(/\s+/).filter(Boolean).join(" ")),
    ),
    /**
     * Strict-Transport-Security: "auto" sends it when the request came over https (TLS on this
     * socket, or X-Forwarded-Proto: https from a trusted proxy: set TRUST_PROXY_HOPS), "on" always
     * (the TLS terminator in front does not send X-Forwarded-Proto), "off" never.
     */
    HSTS: z.preprocess(
      emptyToUndefined,
      z.enum(["auto", "on", "off"], { message: 'must be "auto", "on" or "off"' }).default("auto"),
    ),
    /** Log level of the JSON logs (pino). */
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z
        .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
          message: "must be fatal, error, warn, info, debug, trace or silent",
        })
        .default("info"),
    ),
    /**
     * Days after which a status a source declared (a listing's "Åpen for rekruttering", a registry
     * status) that could still change reads "unknown / needs confirmation" (ADR 0012). 730 is
     * ClinicalTrials.gov's two years.
     */
    DECLARED_STATUS_MAX_AGE_DAYS: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "must be a whole number of days between 1 and 3650" })
        .int("must be a whole number of days between 1 and 3650")
        .min(1, "must be a whole number of days between 1 and 3650")
        .max(3650, "must be a whole number of days between 1 and 3650")
        .default(DEFAULT_DECLARED_MAX_AGE_DAYS),
    ),
    /**
     * Months after which a site nobody has confirmed reads "ikke bekreftet siden …" and ranks below
     * confirmed sites (soft), and after which its status no longer counts as open (hard) (ADR 0019).
     */
    SITE_CONFIRMATION_SOFT_MONTHS: months(DEFAULT_CONFIRMATION_SOFT_MONTHS),
    SITE_CONFIRMATION_HARD_MONTHS: months(DEFAULT_CONFIRMATION_HARD_MONTHS),
    /**
     * The mail server for reminder digests (`npm run reminders:send`, ADR 0020), as a URL:
     * smtp://user:password@host:587 (STARTTLS when the server offers it) or smtps://…:465.
     * Unset: no e-mail is sent (reminders are still in the portal and the feeds).
     */
    SMTP_URL: z.preprocess(
      emptyToUndefined,
      z.url({ protocol: /^smtps?$/, message: "must be an smtp:// or smtps:// URL" }).optional(),
    ),
    /** The From address of reminder digests. */
    MAIL_FROM: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .trim()
        .regex(/^(?:[^<>@\r\n]+ <[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)$/, {
          message: 'must be an e-mail address, or "Name <address>"',
        })
        .default("Kliniske studier <ikke-svar@kliniskestudier.no>"),
    ),
    /** Seed the fictional demo studies into an empty database at start. */
    SEED_DEMO_DATA: z.preprocess(
      emptyToUndefined,
      z
        .enum(["true", "false"], { message: 'must be "true" or "false"' })
        .default("true")
        .transform((v) => v === "true"),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.HEADERS_TIMEOUT_SECONDS > env.REQUEST_TIMEOUT_SECONDS) {
      ctx.addIssue({
        code: "custom",
        path: ["HEADERS_TIMEOUT_SECONDS"],
        message: `must not be more than REQUEST_TIMEOUT_SECONDS (${env.REQUEST_TIMEOUT_SECONDS})`,
      });
    }
    if (env.SITE_CONFIRMATION_SOFT_MONTHS > env.SITE_CONFIRMATION_HARD_MONTHS) {
      ctx.addIssue({
        code: "custom",
        path: ["SITE_CONFIRMATION_SOFT_MONTHS"],
        message: `must not be more than SITE_CONFIRMATION_HARD_MONTHS (${env.SITE_CONFIRMATION_HARD_MONTHS})`,
      });
    }
    if (env.SEARCH_ENGINE === "meilisearch" && !env.MEILI_HOST) {
      ctx.addIssue({
        code: "custom",
        path: ["MEILI_HOST"],
        message: 'is required when SEARCH_ENGINE is "meilisearch"',
      });
    }
  });

export type Config = Omit<z.output<typeof envSchema>, "SESSION_SECRET"> & {
  SESSION_SECRET: string;
  /** True when SESSION_SECRET was not set and a random one was made for this run. */
  sessionSecretGenerated: boolean;
};

export class ConfigError extends Error {
  constructor(public readonly problems: { variable: string; message: string }[]) {
    super(
      "Invalid configuration:\n" +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n") +
        "\nSee .env.example for every variable and its default.",
    );
    this.name = "ConfigError";
  }
}

/** Set by a cluster's primary beside the random SESSION_SECRET it made and shares with its processes. */
export const GENERATED_SECRET_ENV = "KS_SESSION_SECRET_GENERATED";

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? "environment");
        const raw = env[variable];
        const shown =
          raw === undefined
            ? ""
            : ` (got ${JSON.stringify(variable.includes("SECRET") || variable.includes("KEY") || variable.includes("TOKEN") || variable === "SMTP_URL" ? "…" : raw)})`;
        return { variable, message: issue.message + shown };
      }),
    );
  }
  const { SESSION_SECRET, ...rest } = result.data;
  return {
    ...rest,
    SESSION_SECRET: SESSION_SECRET ?? randomBytes(32).toString("hex"),
    sessionSecretGenerated: SESSION_SECRET === undefined || env[GENERATED_SECRET_ENV] === "1",
  };
}

/** The process-wide configuration, parsed once (a singleton shared by server.ts and the Remix build). */
export function getConfig(): Config {
  return singleton("config", () => {
    const config = parseConfig(process.env);
    // The status rule's one deployment setting (app/domain/inclusion-status.ts stays pure of env).
    configureStatusPolicy({
      declaredMaxAgeDays: config.DECLARED_STATUS_MAX_AGE_DAYS,
      confirmationSoftMonths: config.SITE_CONFIRMATION_SOFT_MONTHS,
      confirmationHardMonths: config.SITE_CONFIRMATION_HARD_MONTHS,
    });
    return config;
  });
}

/** For entry points: print a clear message and exit(1) on a bad value. */
export function loadConfigOrExit(): Config {
  try {
    return getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
