/**
 * Security headers on every response (helmet), configured here and nowhere else. server.ts
 * mounts `securityHeaders()` first, so pages, the API, feeds, static files and the live stream
 * all get them.
 *
 * - Pages: a strict Content-Security-Policy. Scripts only from this origin plus the inline
 *   scripts Remix renders (<Scripts/>, <ScrollRestoration/>, the streamed remix context), which
 *   carry a per-request nonce (res.locals.cspNonce → load context → app/entry.server.tsx and
 *   app/root.tsx). No 'unsafe-inline' for scripts or styles: the app has no inline style
 *   attributes or blocks (the embed's one style block is allowed by its hash in its own CSP).
 * - frame-ancestors 'none' and X-Frame-Options: DENY by default. A route that sends its own CSP
 *   (the hospital embed, /embed/organisations/:id, with frame-ancestors from
 *   EMBED_FRAME_ANCESTORS) replaces the default policy, and X-Frame-Options is then dropped so
 *   that its frame-ancestors decides alone (X-Frame-Options has no allow-list).
 * - A header a route sets itself (Referrer-Policy: same-origin on signed-in pages, nosniff on the
 *   API) replaces the default instead of being appended to it: @remix-run/express copies a
 *   route's headers with res.append, which would otherwise send "no-referrer, same-origin".
 * - Strict-Transport-Security (and upgrade-insecure-requests) only over TLS: HSTS=on always
 *   (the TLS terminator in front speaks https to every client), HSTS=auto when the request came
 *   over https as Express sees it (req.secure: a direct TLS socket, or X-Forwarded-Proto: https
 *   from one of the TRUST_PROXY_HOPS trusted proxies), HSTS=off never. Sending HSTS over plain
 *   http would be ignored by browsers at best and lock out a local http deployment at worst.
 * - Cross-Origin-Resource-Policy: cross-origin for what other sites are meant to use (the open
 *   API, FHIR, feeds, embeds); same-origin for everything else. What is not a page (the API,
 *   feeds, /healthz, /readyz, /metrics) gets CSP default-src 'none'.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import helmet from "helmet";

export type HstsMode = "auto" | "on" | "off";

export interface SecurityHeaderOptions {
  hsts: HstsMode;
  /** HSTS max-age in seconds (default one year). */
  hstsMaxAge?: number;
}

/** Paths other sites are meant to read (CORS or frames): the open API, FHIR, feeds, embeds. */
export const SHARED_PATH = /^\/(?:api\/|fhir(?:\/|$)|feeds\/|embed\/)/;
/** Probes and scrapes: JSON and text for machines, same-origin. */
export const MACHINE_PATH = /^\/(?:healthz|readyz|metrics)$/;

type Kind = "page" | "shared" | "machine";

export function pathKind(path: string): Kind {
  return SHARED_PATH.test(path) ? "shared" : MACHINE_PATH.test(path) ? "machine" : "page";
}

/** A fresh nonce per response: 128 random bits, base64 (CSP nonce-source grammar). */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/** The nonce of this response (set by securityHeaders()); pass it to the load context. */
export function cspNonceOf(res: ServerResponse): string | undefined {
  return (res as Response).locals?.cspNonce as string | undefined;
}

function overTls(req: IncomingMessage, mode: HstsMode): boolean {
  if (mode === "on") return true;
  if (mode === "off") return false;
  // Express's req.secure honours X-Forwarded-Proto only from proxies `trust proxy` trusts.
  return (req as Request).secure === true;
}

/** The page CSP's directives (exported for the unit test and docs/operations.md). */
export function pageCspDirectives(nonce: (req: IncomingMessage, res: ServerResponse) => string, tls: boolean) {
  return {
    "default-src": ["'self'"],
    "script-src": ["'self'", (req: IncomingMessage, res: ServerResponse) => `'nonce-${nonce(req, res)}'`],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    // Remix's lazy route discovery (/__manifest) and the data requests go to this origin.
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "frame-src": ["'none'"],
    "worker-src": ["'none'"],
    "manifest-src": ["'self'"],
    // A value-less directive is an empty list; null leaves it out (plain http: nothing to upgrade to).
    "upgrade-insecure-requests": tls ? [] : null,
  };
}

/**
 * The middleware: a nonce in res.locals.cspNonce, the headers for this kind of path, and the rule
 * that a route's own security header replaces the default.
 */
export function securityHeaders(options: SecurityHeaderOptions) {
  const hstsMaxAge = options.hstsMaxAge ?? 31_536_000;
  const nonce = (_req: IncomingMessage, res: ServerResponse) => cspNonceOf(res) ?? "";

  const build = (kind: Kind, tls: boolean) =>
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives:
          kind === "page"
            ? pageCspDirectives(nonce, tls)
            : // JSON, feeds and probes are not documents: nothing may run or be framed.
              {
                "default-src": ["'none'"],
                "frame-ancestors": ["'none'"],
                "base-uri": ["'none'"],
                "form-action": ["'none'"],
              },
      },
      crossOriginResourcePolicy: { policy: kind === "shared" ? "cross-origin" : "same-origin" },
      crossOriginOpenerPolicy: { policy: "same-origin" },
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: "no-referrer" },
      strictTransportSecurity: tls ? { maxAge: hstsMaxAge, includeSubDomains: true } : false,
      xFrameOptions: { action: "deny" },
      xContentTypeOptions: true,
      xDnsPrefetchControl: { allow: false },
      xPermittedCrossDomainPolicies: { permittedPolicies: "none" },
      xPoweredBy: true,
    });
  // Built once each: helmet compiles its header values up front.
  const variants = {
    page: { plain: build("page", false), tls: build("page", true) },
    shared: { plain: build("shared", false), tls: build("shared", true) },
    machine: { plain: build("machine", false), tls: build("machine", true) },
  };

  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = newNonce();
    const kind = variants[pathKind(req.path)];
    const middleware = overTls(req, options.hsts) ? kind.tls : kind.plain;
    middleware(req, res, (error?: unknown) => {
      if (error) return next(error);
      letRoutesReplaceDefaults(res);
      next();
    });
  };
}

/** Headers helmet set that a route may set to its own value. */
const REPLACEABLE = [
  "content-security-policy",
  "referrer-policy",
  "x-content-type-options",
  "cross-origin-resource-policy",
  "cross-origin-opener-policy",
  "x-frame-options",
];

/**
 * The first res.append() of a default header (how @remix-run/express copies a route's headers)
 * replaces the default instead of adding a second value; later appends add as usual. A route's
 * own CSP also removes X-Frame-Options: its frame-ancestors decides who may frame it.
 */
function letRoutesReplaceDefaults(res: Response): void {
  const defaults = new Set(REPLACEABLE.filter((h) => res.getHeader(h) !== undefined));
  const append = res.append.bind(res);
  res.append = (field: string, value?: string[] | string) => {
    const name = field.toLowerCase();
    if (defaults.has(name)) {
      defaults.delete(name);
      res.removeHeader(name);
      if (name === "content-security-policy" && defaults.has("x-frame-options")) {
        defaults.delete("x-frame-options");
        res.removeHeader("x-frame-options");
      }
    }
    return append(field, value);
  };
}
