/**
 * The OpenAPI document → what the readable API page (/api) shows (pure): endpoints with their
 * parameters and answers, and the data types with their fields. Everything comes from the same
 * document that /api/openapi.json serves, so the page cannot drift from the API.
 */
type Json = Record<string, unknown>;

export interface ViewParam {
  name: string;
  location: string;
  required: boolean;
  type: string;
  description: string;
  example: string | null;
}

export interface ViewEndpoint {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  params: ViewParam[];
  responses: { status: string; description: string; type: string | null }[];
}

export interface ViewField {
  name: string;
  type: string;
  required: boolean;
}

export interface ViewSchema {
  name: string;
  description: string;
  fields: ViewField[];
}

export interface ApiPageView {
  title: string;
  summary: string;
  version: string;
  description: string;
  baseUrl: string;
  endpoints: ViewEndpoint[];
  schemas: ViewSchema[];
}

const refName = (ref: string) => ref.split("/").at(-1) ?? ref;

/** A short type, e.g. "string | null", "Site[]", "open | planned", "integer 1–100". */
export function typeText(schema: unknown): string {
  if (!schema || typeof schema !== "object") return "any";
  const s = schema as Json;
  if (typeof s.$ref === "string") return refName(s.$ref);
  if (Array.isArray(s.enum)) return s.enum.map(String).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  for (const key of ["anyOf", "oneOf"] as const) {
    if (Array.isArray(s[key])) return [...new Set((s[key] as unknown[]).map(typeText))].join(" | ");
  }
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === "string" ? [s.type] : [];
  if (types.length === 0) return "any";
  return types
    .map((t) => {
      if (t === "array") return `${typeText(s.items).includes(" ") ? `(${typeText(s.items)})` : typeText(s.items)}[]`;
      if (t === "integer" || t === "number") {
        const min = s.minimum as number | undefined;
        const max = s.maximum as number | undefined;
        const big = (n: number | undefined) => n == null || Math.abs(n) > 1e12;
        return !big(min) || !big(max) ? `${t} ${big(min) ? "" : min}–${big(max) ? "" : max}` : t;
      }
      if (t === "string" && typeof s.format === "string") return `string (${s.format})`;
      if (t === "object" && s.additionalProperties && typeof s.additionalProperties === "object")
        return `{ [key]: ${typeText(s.additionalProperties)} }`;
      return t;
    })
    .join(" | ");
}

function fields(schema: Json): ViewField[] {
  const props = (schema.properties ?? {}) as Record<string, unknown>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const out: ViewField[] = [];
  const walk = (prefix: string, p: Record<string, unknown>, req: Set<string>) => {
    for (const [name, value] of Object.entries(p)) {
      const v = value as Json;
      const full = prefix ? `${prefix}.${name}` : name;
      const nested =
        v && v.type === "object" && v.properties
          ? v
          : Array.isArray(v?.anyOf)
            ? ((v.anyOf as Json[]).find((x) => x.type === "object" && x.properties) ?? null)
            : null;
      if (nested) {
        out.push({ name: full, type: Array.isArray(v.anyOf) ? "object | null" : "object", required: req.has(name) });
        walk(
          full,
          nested.properties as Record<string, unknown>,
          new Set((nested.required as string[] | undefined) ?? []),
        );
      } else if (
        v &&
        v.type === "array" &&
        (v.items as Json | undefined)?.type === "object" &&
        (v.items as Json).properties
      ) {
        out.push({ name: full, type: "object[]", required: req.has(name) });
        const items = v.items as Json;
        walk(
          `${full}[]`,
          items.properties as Record<string, unknown>,
          new Set((items.required as string[] | undefined) ?? []),
        );
      } else {
        out.push({ name: full, type: typeText(v), required: req.has(name) });
      }
    }
  };
  walk("", props, required);
  return out;
}

export function apiPageView(doc: Json): ApiPageView {
  const info = doc.info as Json;
  const components = doc.components as Json;
  const responses = (components.responses ?? {}) as Record<string, Json>;
  const endpoints: ViewEndpoint[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item) as [string, Json][]) {
      const params = ((op.parameters as Json[] | undefined) ?? []).map((p) => ({
        name: String(p.name),
        location: String(p.in),
        required: p.required === true,
        type: typeText(p.schema),
        description: String(p.description ?? ""),
        example: p.example == null ? null : Array.isArray(p.example) ? p.example.join(",") : String(p.example),
      }));
      const answers = Object.entries(op.responses as Record<string, Json>).map(([status, r]) => {
        const resolved = typeof r.$ref === "string" ? (responses[refName(r.$ref)] ?? r) : r;
        const content = (resolved.content ?? {}) as Record<string, Json>;
        const first = Object.entries(content)[0];
        return {
          status,
          description: String(resolved.description ?? ""),
          type: first ? `${first[0]}: ${typeText(first[1].schema)}` : null,
        };
      });
      endpoints.push({
        id: String(op.operationId),
        method: method.toUpperCase(),
        path,
        summary: String(op.summary ?? ""),
        description: String(op.description ?? ""),
        params,
        responses: answers,
      });
    }
  }
  const schemas = Object.entries((components.schemas ?? {}) as Record<string, Json>).map(([name, s]) => ({
    name,
    description: String(s.description ?? ""),
    fields: fields(s),
  }));
  return {
    title: String(info.title),
    summary: String(info.summary ?? ""),
    version: String(info.version),
    description: String(info.description ?? ""),
    baseUrl: String(((doc.servers as Json[] | undefined)?.[0]?.url as string | undefined) ?? ""),
    endpoints,
    schemas,
  };
}
