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
 *
 * Nothing about patients (issue 23, docs/privacy.md): a public request (the patient and clinician
 * pages, the open API, FHIR, feeds, embeds — everything but the signed-in staff pages and the
 * organisations' authenticated writes) is logged by its ROUTE PATTERN only ("/pasient",
 * "/feeds/icd10/:file"), with method, status, response time and request id: no path values, no
 * query string (diagnosis, codes, postcode, age, sex), no client address, no user agent. The rate
 * limit keeps what it needs (the address) in memory only. Error text (console.*, logged errors,
 * crashes) has every query string cut out of the URLs it names.
 */
import { randomUUID } from "node:crypto";
import { format } from "node:util";
import type { IncomingMessage, ServerResponse } from "node:http";
import pino, { type DestinationStream, type Logger } from "pino";
import { pinoHttp } from "pino-http";

export const REDACTED = "[redacted]";

/** Query parameters whose value is a secret. */
const SECRET_PARAM =
  /^(?:token|access_token|refresh_token|id_token|password|passord|passwd|secret|key|api_key|apikey|code|signature|sig|session)$/i;

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
const SANE_REQUEST_ID = /^[A-Za-z0-9._:/+=-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** The URL with secret query values replaced (the path is kept as it is). */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const q = url.indexOf("?");
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split("&")
    .map((pair) => {
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

/* ---------------------------------------------------------------- what a public request may leave */

/** Signed-in staff pages (researchers, editors, sign-in): staff data, logged with URL and address. */
const STAFF_PAGE = /^\/(?:forsker|redaksjon|logg-inn|logg-ut|nytt-passord)(?:\/|$)/;
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a request is a staff action (logged as before: URL with secrets redacted, the client
 * address and user agent) rather than a public one (logged by route pattern only). Staff: the
 * signed-in pages, and writes to the API (organisations' authenticated ingest). Anything else —
 * and anything we cannot tell — is public.
 */
export function isStaffRequest(method: string | undefined, path: string): boolean {
  return STAFF_PAGE.test(path) || (path.startsWith("/api/") && !READ_METHODS.has((method ?? "GET").toUpperCase()));
}

export const QUERY_REMOVED = "[query removed]";

/** A URL (scheme://…) or a path (/…) followed by a query string. */
const URL_WITH_QUERY = /((?:\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>?#]*)|(?:\/[^\s"'<>?#]*))\?[^\s"'<>#]*/gi;

/** Text with the query string of every URL or path in it cut out ("/pasient?q=kreft" → "/pasient?[query removed]"). */
export function scrubText(text: string): string {
  return text.replace(URL_WITH_QUERY, `$1?${QUERY_REMOVED}`);
}

/** scrubText on every string in a logged value (an error's message, stack and own fields), a few levels down. */
export function scrubDeep<T>(value: T, depth = 0): T {
  if (typeof value === "string") return scrubText(value) as T;
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = scrubDeep(v, depth + 1);
  return out as T;
}

/** pino's error serializer, with the query strings cut out of its message, stack and fields. */
function serializeError(error: unknown): unknown {
  return error instanceof Error ? scrubDeep(pino.stdSerializers.err(error)) : scrubDeep(error);
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
      serializers: { err: serializeError, error: serializeError },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

type Req = IncomingMessage & { id?: unknown; originalUrl?: string; res?: { locals?: Record<string, unknown> } };

export interface AccessLogOptions {
  /** Paths polled by machines (health checks, metrics): no line (one per probe would drown the log). */
  ignore?: (path: string) => boolean;
  /**
   * The route pattern a path matches (the metrics' routeLabel: "/pasient/studier/:id",
   * "unmatched"). A label the response set itself (markRoute: "/build/*", "static") wins.
   * Without it a public request is logged as "public".
   */
  routeOf?: (path: string) => string;
}

/**
 * The access log's label for a path, from the route patterns' labeller (metrics' routeLabel):
 * Remix's single-fetch data requests ("/pasient.data", "/_root.data") are labelled as their page
 * plus ".data", the lazy route discovery as "/__manifest" (its ?p= names the paths being
 * visited), fingerprinted assets "/build/*", other files "static", anything else by pattern or
 * "unmatched".
 */
export function accessRouteOf(routeLabel: (path: string) => string): (path: string) => string {
  return (p) => {
    if (p.startsWith("/build/")) return "/build/*";
    if (p === "/__manifest") return p;
    if (p.endsWith(".data")) {
      if (p === "/_root.data") return p;
      const label = routeLabel(p.slice(0, -".data".length));
      return label === "unmatched" ? label : `${label}.data`;
    }
    const label = routeLabel(p);
    return label === "unmatched" && /\.[A-Za-z0-9]+$/.test(p) ? "static" : label;
  };
}

function pathOf(req: Req): string {
  return (req.originalUrl ?? req.url ?? "/").split("?")[0]!;
}

/** What the access log says about a request: staff → the URL (secrets redacted); public → its route pattern. */
export function loggedTarget(req: Req, routeOf?: (path: string) => string): { staff: boolean; target: string } {
  const path = pathOf(req);
  if (isStaffRequest(req.method, path)) return { staff: true, target: redactUrl(req.originalUrl ?? req.url) ?? path };
  const marked = req.res?.locals?.metricsRoute;
  return { staff: false, target: typeof marked === "string" ? marked : routeOf ? routeOf(path) : "public" };
}

/** The access log middleware (see the top of this file for what a line holds). */
export function httpLogger(logger: Logger, options: AccessLogOptions = {}) {
  const target = (req: IncomingMessage) => loggedTarget(req as Req, options.routeOf).target;
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdFrom(req.headers["x-request-id"]);
      res.setHeader("X-Request-Id", id);
      return id;
    },
    autoLogging: { ignore: (req: IncomingMessage) => options.ignore?.((req.url ?? "/").split("?")[0]!) ?? false },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info",
    customSuccessMessage: (req, res) => `${req.method} ${target(req)} ${res.statusCode}`,
    // pino-http makes up "failed with status code 500" for a 5xx without an error: not worth repeating.
    customErrorMessage: (req, res, error) =>
      `${req.method} ${target(req)} ${res.statusCode}${/^failed with status code/.test(error.message) ? "" : `: ${scrubText(error.message)}`}`,
    // Our own shapes instead of pino's standard ones (which copy every request header).
    serializers: {
      req: (req: {
        id?: unknown;
        method?: string;
        url?: string;
        remoteAddress?: string;
        headers?: Record<string, unknown>;
        raw?: Req;
      }) => {
        const raw = (req.raw ?? { method: req.method, url: req.url }) as Req;
        const logged = loggedTarget(raw, options.routeOf);
        if (!logged.staff) return { id: req.id, method: req.method, route: logged.target };
        return {
          id: req.id,
          method: req.method,
          url: logged.target,
          remoteAddress: req.remoteAddress,
          userAgent:
            typeof req.headers?.["user-agent"] === "string"
              ? (req.headers["user-agent"] as string).slice(0, 200)
              : undefined,
        };
      },
      err: serializeError,
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
  const write =
    (level: "debug" | "info" | "warn" | "error") =>
    (...args: unknown[]) => {
      const error = args.find((a): a is Error => a instanceof Error);
      const message = scrubText(format(...args));
      if (error) logger[level]({ err: error }, message);
      else logger[level](message);
    };
  console.log = write("info");
  console.info = write("info");
  console.warn = write("warn");
  console.error = write("error");
  console.debug = write("debug");
}

/**
 * Uncaught exceptions and unhandled rejections: one JSON line (the error with query strings cut
 * out, as every logged error) instead of Node's raw dump on stderr, then exit 1 as Node would.
 */
export function logCrashes(logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): void {
  process.on("uncaughtException", (error) => {
    logger.fatal({ err: error }, `uncaught exception: ${scrubText(error?.message ?? String(error))}`);
    exit(1);
  });
  process.on("unhandledRejection", (reason) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    logger.fatal({ err: reason }, `unhandled rejection: ${scrubText(message)}`);
    exit(1);
  });
}

function isErrorResponse(value: unknown): value is { status: number; statusText: string; error?: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { status?: unknown }).status === "number" &&
    "statusText" in value &&
    "internal" in value
  );
}

/**
 * Remix's handleError (app/entry.server.tsx): an error thrown while answering a request. A "No
 * route matches URL" is a 404 the access line already has ("unmatched"): not repeated. Anything
 * else is logged with the query cut out (as every error) and, for a public request, its path
 * replaced by "[path]" (a path can name a diagnosis or the study someone read).
 */
export function logRequestError(
  thrown: unknown,
  request: Request,
  log: (value: unknown) => void = (v) => console.error(v),
): void {
  if (request.signal.aborted) return;
  // Remix's error responses ({ status, statusText, internal, data, error? }): a 4xx (no route,
  // method not allowed, a thrown 404) is in the access line already; a 5xx is logged by its cause.
  let error = thrown;
  if (isErrorResponse(thrown)) {
    if (thrown.status < 500) return;
    error = thrown.error ?? `${thrown.status} ${thrown.statusText}`;
  }
  if (error instanceof Error && /^No route matches URL /.test(error.message)) return;
  let pathname = "/";
  try {
    pathname = new URL(request.url).pathname;
  } catch {
    // Not a URL: nothing to hide but queries.
  }
  const hide = pathname.length > 1 && !isStaffRequest(request.method, pathname) ? pathname : null;
  const clean = (text: string) => {
    const scrubbed = scrubText(text);
    return hide ? scrubbed.split(hide).join("[path]") : scrubbed;
  };
  if (error instanceof Error) {
    const copy = new Error(clean(error.message));
    copy.name = error.name;
    copy.stack = clean(error.stack ?? `${error.name}: ${error.message}`);
    log(copy);
  } else {
    log(clean(String(error)));
  }
}
