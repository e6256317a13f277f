/**
 * Guards in front of Remix (server.ts mounts them) that decide before a request body is read:
 *
 * - `dropUntrustedForwarding`: with no trusted proxy in front (TRUST_PROXY_HOPS=0) anybody can send
 *   X-Forwarded-Host/-Proto/-For/-Port or Forwarded; they are removed so that nothing (Remix builds
 *   request.url from X-Forwarded-Host, the Origin check, the rate limit, HSTS) believes them.
 * - `formGuard`: every write that is not the bearer-token API (decided on the *normalised* path,
 *   see normalisedPath) must declare its length, within FORM_MAX_BYTES (64 KiB; the study form
 *   pages LARGE_FORM_MAX_BYTES): larger is 413 and the connection is closed without reading the
 *   body; chunked (no Content-Length) is 411. A form page (FORM_PREFIXES) also needs a form
 *   Content-Type (else 400: Remix would answer a JSON or empty body with a 500) and a CSRF cookie
 *   that this server signed for this session (else 403), checked before the body is read.
 *
 * docs/security.md lists what each guard stops.
 */
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { csrfCookieProblem, isApiPath, normalisedPath } from "#app/auth/csrf.server";

export const FORM_MAX_BYTES = 64 * 1024;
/** The study registration and edit forms: long texts in three languages and many sites. */
export const LARGE_FORM_MAX_BYTES = 1024 * 1024;

/** Pages with forms (signed-in part, sign-in, sign-out, new password). */
export const FORM_PREFIXES = ["/logg-inn", "/logg-ut", "/nytt-passord", "/forsker", "/redaksjon"] as const;

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const FORWARDING_HEADERS = [
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-for",
  "x-forwarded-port",
  "x-forwarded-prefix",
  "forwarded",
];

export function dropUntrustedForwarding(trustedHops: number) {
  return (req: ExpressRequest, _res: ExpressResponse, next: NextFunction): void => {
    if (trustedHops === 0) for (const name of FORWARDING_HEADERS) delete req.headers[name];
    next();
  };
}

const underPrefix = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

export function isFormPath(normalised: string): boolean {
  return FORM_PREFIXES.some((p) => underPrefix(normalised, p));
}

/** The largest body a write to this (normalised) path may carry. */
export function formBodyLimit(normalised: string): number {
  return underPrefix(normalised, "/forsker/studier") ? LARGE_FORM_MAX_BYTES : FORM_MAX_BYTES;
}

function refuse(res: ExpressResponse, status: number, text: string, close = false): void {
  const headers: Record<string, string> = { "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" };
  // The body is not read: say so, so that the client does not send it on this connection.
  if (close) headers.Connection = "close";
  res.status(status).type("text/plain; charset=utf-8").set(headers).send(text);
}

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

export function formGuard(req: ExpressRequest, res: ExpressResponse, next: NextFunction): void {
  if (!UNSAFE.has(req.method)) return next();
  const path = normalisedPath(req.originalUrl);
  if (isApiPath(path)) return next();
  const limit = formBodyLimit(path);
  const declared = req.headers["content-length"];
  const chunked = req.headers["transfer-encoding"] !== undefined;
  if (chunked && declared === undefined) {
    return refuse(
      res,
      411,
      "411 Lengde mangler: et skjema må sendes med Content-Length (Length Required). Ingenting er lagret.\n",
      true,
    );
  }
  const length = declared === undefined ? 0 : Number(declared);
  if (!Number.isFinite(length) || length > limit) {
    return refuse(
      res,
      413,
      `413 For stort: skjemaet er ${declared} byte; grensen er ${limit} byte (Payload Too Large). Ingenting er lagret.\n`,
      true,
    );
  }
  if (!isFormPath(path)) return next();
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (length === 0 || !FORM_TYPES.includes(type)) {
    const what =
      length === 0
        ? "skjemaet er tomt"
        : `innholdet er ${type ? `"${type.slice(0, 80)}"` : "uten Content-Type"}, ikke et skjema`;
    return refuse(
      res,
      400,
      `400 Ugyldig skjema: ${what}. Send skjemaet fra siden på Kliniske studier (application/x-www-form-urlencoded eller multipart/form-data). Ingenting er lagret.\n`,
      true,
    );
  }
  const problem = csrfCookieProblem({ get: (name) => headerValue(req.headers[name.toLowerCase()]) });
  if (problem) {
    return refuse(
      res,
      403,
      `Skjemaet ble avvist av sikkerhetshensyn (${problem}). Last siden på nytt og prøv igjen. Ingenting er lagret.\n`,
      true,
    );
  }
  next();
}

function headerValue(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
}
