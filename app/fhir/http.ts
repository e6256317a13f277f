/**
 * FHIR over HTTP: every answer is FHIR R4 JSON (application/fhir+json), every error an
 * OperationOutcome that says what was wrong, reads are open to any origin (CORS).
 */
import { FHIR_JSON } from "./constants";

export type IssueSeverity = "fatal" | "error" | "warning" | "information";
/** R4 IssueType codes we use. */
export type IssueCode =
  "invalid" | "value" | "not-supported" | "not-found" | "deleted" | "too-costly" | "exception" | "informational";

export interface Issue {
  severity: IssueSeverity;
  code: IssueCode;
  diagnostics: string;
  /** Where: for search problems the parameter name (e.g. "status", "_lastUpdated"). */
  expression?: string[];
}

export function operationOutcome(issues: readonly Issue[]): Record<string, unknown> {
  return {
    resourceType: "OperationOutcome",
    issue: issues.map((i) => ({
      severity: i.severity,
      code: i.code,
      diagnostics: i.diagnostics,
      ...(i.expression ? { expression: i.expression } : {}),
    })),
  };
}

export const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "ETag, Last-Modified, Location, Content-Location",
} as const;

export interface FhirResponseInit {
  status?: number;
  headers?: Record<string, string>;
  pretty?: boolean;
}

export function fhirResponse(body: unknown, init: FhirResponseInit = {}): Response {
  return new Response(JSON.stringify(body, null, init.pretty ? 2 : undefined), {
    status: init.status ?? 200,
    headers: {
      "Content-Type": `${FHIR_JSON}; charset=utf-8`,
      "Cache-Control": "no-cache",
      // Study text from hospital feeds is in these bodies: a browser must never sniff them as HTML.
      "X-Content-Type-Options": "nosniff",
      ...CORS_HEADERS,
      ...init.headers,
    },
  });
}

export function outcomeResponse(
  status: number,
  issues: readonly Issue[],
  init: Omit<FhirResponseInit, "status"> = {},
): Response {
  return fhirResponse(operationOutcome(issues), { ...init, status });
}

export function errorResponse(
  status: number,
  code: IssueCode,
  diagnostics: string,
  init: Omit<FhirResponseInit, "status"> = {},
): Response {
  return outcomeResponse(status, [{ severity: "error", code, diagnostics }], init);
}

/** Answer to a CORS preflight (OPTIONS) or any method other than GET/HEAD (405). */
export function nonGetResponse(request: Request): Response {
  if (request.method === "OPTIONS") {
    return new Response(null, {
      status: 204,
      headers: {
        ...CORS_HEADERS,
        "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
        "Access-Control-Allow-Headers": "Accept, Prefer, If-None-Match, Authorization",
        "Access-Control-Max-Age": "86400",
        Allow: "GET, HEAD, OPTIONS",
      },
    });
  }
  return errorResponse(
    405,
    "not-supported",
    `${request.method} støttes ikke: FHIR-endepunktet er skrivebeskyttet (bruk GET)`,
    {
      headers: { Allow: "GET, HEAD, OPTIONS" },
    },
  );
}

const JSON_FORMATS = new Set(["json", "application/json", "application/fhir+json", "application/json+fhir"]);
const XML_FORMATS = new Set([
  "xml",
  "text/xml",
  "application/xml",
  "application/fhir+xml",
  "application/xml+fhir",
  "ttl",
  "text/turtle",
  "application/fhir+turtle",
]);

/**
 * Content negotiation: only JSON. `_format` (json, application/json, application/fhir+json) wins
 * over Accept; XML/Turtle → 406, anything else in _format → 400. An Accept header that allows no
 * JSON at all → 406. Returns null when JSON is fine.
 */
export function negotiate(request: Request, url: URL): Response | null {
  const format = url.searchParams.get("_format");
  if (format !== null && format !== "") {
    const f = format.trim().toLowerCase().split(";")[0]!.trim();
    if (JSON_FORMATS.has(f)) return null;
    if (XML_FORMATS.has(f))
      return errorResponse(
        406,
        "not-supported",
        `_format: «${format.slice(0, 100)}» støttes ikke; bare JSON (json, application/fhir+json)`,
      );
    return errorResponse(
      400,
      "invalid",
      `_format: ukjent format «${format.slice(0, 100)}» (bruk json eller application/fhir+json)`,
    );
  }
  const accept = request.headers.get("accept");
  if (!accept || accept.trim() === "") return null;
  const types = accept
    .split(",")
    .map((part) => {
      const [type, ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { type: type!.trim(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((t) => t.type !== "" && !(t.q === 0));
  if (types.length === 0) return null;
  const ok = types.some(
    (t) => t.type === "*/*" || t.type === "application/*" || JSON_FORMATS.has(t.type) || t.type.endsWith("+json"),
  );
  if (ok) return null;
  return errorResponse(
    406,
    "not-supported",
    `Accept: ${accept.slice(0, 200)} kan ikke oppfylles; serveren svarer bare med ${FHIR_JSON}`,
  );
}

export function wantsPretty(url: URL): boolean {
  return url.searchParams.get("_pretty") === "true";
}

/** `Prefer: handling=strict` (unknown search parameters → 400) or lenient (ignored, the default). */
export function strictHandling(request: Request): boolean {
  return /(^|[,;\s])handling\s*=\s*"?strict"?/i.test(request.headers.get("prefer") ?? "");
}

/**
 * Runs a FHIR GET handler; a CORS preflight (which Remix hands to the loader) is answered here;
 * anything the handler throws becomes a 500 OperationOutcome (no stack traces out).
 */
export async function handleFhir(request: Request, run: () => Promise<Response> | Response): Promise<Response> {
  if (request.method === "OPTIONS") return nonGetResponse(request);
  try {
    return await run();
  } catch (error) {
    if (error instanceof Response) return error;
    console.error("FHIR: unexpected error", error);
    return errorResponse(500, "exception", "Uventet feil på serveren; prøv igjen senere");
  }
}
