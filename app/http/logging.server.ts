/**
 * Structured JSON logs (pino) and one access-log line per request (pino-http), each with a
 * request id: an incoming X-Request-Id is kept when it is sane (so a proxy's or a client's id ties
 * their logs to ours), otherwise a new UUID; either way it is echoed in the X-Request-Id response
 * header.
 *
 * What is never logged: request headers are not logged at all (only method, a cleaned URL, the
 * client address, user agent and the request id), so Authorization, Cookie and API keys cannot
 * leak; secrets in the query string (the password-reset ?token=, any token/key/password
 * parameter) are replaced by "[redacted]"; and pino's redact removes the same names anywhere in
 * an object a module logs (defence in depth), e.g. logger.info({ user: { password } }).
 */
import { randomUUID } from "node:crypto";
import { format } from "node:util";
import type { IncomingMessage, ServerResponse } from "node:http";
import pino, { type DestinationStream, type Logger } from "pino";
import { pinoHttp } from "pino-http";

export const REDACTED = "[redacted]";

/** Query parameters whose value is a secret. */
const SECRET_PARAM = /^(?:token|access_token|refresh_token|id_token|password|passord|passwd|secret|key|api_key|apikey|code|signature|sig|session)$/i;

/** Object keys pino removes wherever they appear (up to two levels down, and in req/res). */
const SECRET_KEYS = [
  "password",
  "passord",
  "newPassword",
  "token",
  "accessToken",
  "authorization",
  "cookie",
  "secret",
  "apiKey",
  "api_key",
  "sessionSecret",
  "SESSION_SECRET",
  "MEILI_API_KEY",
];
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers["authorization"]',
  'req.headers["cookie"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/** Letters, digits and - _ . : / + = up to 128: what proxies and tracing tools send, nothing that could forge a log line. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:\/+=-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** The URL with secret query values replaced (the path is kept as it is). */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const q = url.indexOf("?");
  if (q < 0) return url;
  const params = url.slice(q + 1).split("&").map((pair) => {
    const eq = pair.indexOf("=");
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, " "));
    } catch {
      // A malformed escape: judge the raw name.
    }
    return eq >= 0 && SECRET_PARAM.test(name) ? `${rawName}=${encodeURIComponent(REDACTED)}` : pair;
  });
  return `${url.slice(0, q)}?${params.join("&")}`;
}

export interface LoggerOptions {
  level?: string;
  /** Where lines go (default stdout, written synchronously so nothing is lost at exit). */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "kliniske-studier" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

type Req = IncomingMessage & { id?: unknown; originalUrl?: string };

/**
 * The access log middleware. `ignore` skips paths polled by machines (health checks, metrics):
 * one line per probe every few seconds would drown the log.
 */
export function httpLogger(logger: Logger, options: { ignore?: (path: string) => boolean } = {}) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdFrom(req.headers["x-request-id"]);
      res.setHeader("X-Request-Id", id);
      return id;
    },
    autoLogging: { ignore: (req: IncomingMessage) => options.ignore?.((req.url ?? "/").split("?")[0]!) ?? false },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info"),
    customSuccessMessage: (req, res) => `${req.method} ${redactUrl((req as Req).originalUrl ?? req.url)} ${res.statusCode}`,
    // pino-http makes up "failed with status code 500" for a 5xx without an error: not worth repeating.
    customErrorMessage: (req, res, error) =>
      `${req.method} ${redactUrl((req as Req).originalUrl ?? req.url)} ${res.statusCode}${/^failed with status code/.test(error.message) ? "" : `: ${error.message}`}`,
    // Our own shapes instead of pino's standard ones (which copy every request header).
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string; remoteAddress?: string; headers?: Record<string, unknown>; raw?: Req }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.raw?.originalUrl ?? req.url),
        remoteAddress: req.remoteAddress,
        userAgent: typeof req.headers?.["user-agent"] === "string" ? (req.headers["user-agent"] as string).slice(0, 200) : undefined,
      }),
      res: (res: { statusCode?: number; headers?: Record<string, unknown> }) => ({
        statusCode: res.statusCode,
        contentLength: res.headers?.["content-length"],
      }),
    },
  });
}

/**
 * console.log/info/warn/error/debug go through the logger, so that messages from modules that
 * log with console (the Remix build, search fallback warnings, the feed poller) are JSON lines
 * too, with the same redaction. Formatting is util.format's, as console's.
 */
export function routeConsoleTo(logger: Logger): void {
  const write = (level: "debug" | "info" | "warn" | "error") => (...args: unknown[]) => {
    const error = args.find((a): a is Error => a instanceof Error);
    const message = format(...args);
    if (error) logger[level]({ err: error }, message);
    else logger[level](message);
  };
  console.log = write("info");
  console.info = write("info");
  console.warn = write("warn");
  console.error = write("error");
  console.debug = write("debug");
}
