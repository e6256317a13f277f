/**
 * Checks real responses against the OpenAPI document the server publishes: the JSON Schema of
 * the documented response (status + media type) is compiled with Ajv (JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1) from the document itself, so a response that drifts from the document
 * fails. Records which operations and statuses were checked.
 */
import Ajv2020 from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";

type Json = Record<string, unknown>;

const DOC_ID = "https://kliniskestudier.test/openapi.json";

export class OpenApiConformance {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  readonly checked = new Set<string>();

  constructor(readonly doc: Json) {
    this.ajv = new Ajv2020({ allErrors: true, strict: false });
    this.ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
    this.ajv.addFormat("date-time", {
      validate: (s: string) => /^\d{4}-\d{2}-\d{2}T/.test(s) && Number.isFinite(Date.parse(s)),
    });
    this.ajv.addFormat("uri", { validate: (s: string) => URL.canParse(s) });
    this.ajv.addFormat("email", /@/);
    this.ajv.addSchema({ $id: DOC_ID, components: doc.components }, DOC_ID);
  }

  private response(path: string, method: string, status: number): Json {
    const op = ((this.doc.paths as Record<string, Json>)[path]?.[method] ?? null) as Json | null;
    if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the OpenAPI document`);
    const r = (op.responses as Record<string, Json>)[String(status)];
    if (!r) throw new Error(`${method.toUpperCase()} ${path} documents no ${status} response`);
    if (typeof r.$ref === "string") {
      const name = r.$ref.split("/").at(-1)!;
      return ((this.doc.components as Json).responses as Record<string, Json>)[name]!;
    }
    return r;
  }

  /** Throws with Ajv's errors unless `body` matches the documented schema. */
  check(path: string, method: string, status: number, mediaType: string | null, body: unknown): void {
    this.checked.add(`${method.toUpperCase()} ${path} ${status}`);
    const response = this.response(path, method, status);
    const content = response.content as Record<string, Json> | undefined;
    if (!mediaType) {
      if (content) throw new Error(`${method} ${path} ${status} documents a body but none was checked`);
      return;
    }
    const media = content?.[mediaType];
    if (!media)
      throw new Error(
        `${method} ${path} ${status} documents no ${mediaType} body (has ${Object.keys(content ?? {}).join(", ") || "none"})`,
      );
    const schema = media.schema as Json;
    const key = `${path} ${method} ${status} ${mediaType}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const ref = typeof schema.$ref === "string" ? { $ref: `${DOC_ID}${schema.$ref}` } : schema;
      validate = this.ajv.compile(ref);
      this.compiled.set(key, validate);
    }
    if (!validate(body)) {
      throw new Error(
        `${method.toUpperCase()} ${path} ${status} does not match the document:\n` +
          JSON.stringify(validate.errors?.slice(0, 8), null, 2) +
          `\nbody: ${JSON.stringify(body).slice(0, 400)}`,
      );
    }
  }

  /**
   * Checks the data of one Server-Sent Event against the schema the document gives that event name
   * (the media type's x-events map; OpenAPI 3.1 has no keyword for event streams).
   */
  checkEvent(path: string, eventName: string, data: unknown): void {
    const media = (this.response(path, "get", 200).content as Record<string, Json> | undefined)?.["text/event-stream"];
    const schema = (media?.["x-events"] as Record<string, Json> | undefined)?.[eventName];
    if (!schema) throw new Error(`GET ${path} documents no event «${eventName}»`);
    const key = `${path} event ${eventName}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOC_ID}${schema.$ref as string}` });
      this.compiled.set(key, validate);
    }
    this.checked.add(`GET ${path} event ${eventName}`);
    if (!validate(data)) {
      throw new Error(
        `event ${eventName} does not match the document:\n${JSON.stringify(validate.errors?.slice(0, 8), null, 2)}\ndata: ${JSON.stringify(data).slice(0, 400)}`,
      );
    }
  }

  /** Every operation in the document, as "GET /path". */
  operations(): string[] {
    return Object.entries(this.doc.paths as Record<string, Json>).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
    );
  }
}

/** The documented media type of a response's Content-Type header ("application/json; charset=utf-8" → "application/json"). */
export const mediaTypeOf = (res: Response): string | null =>
  res.headers.get("content-type")?.split(";")[0]!.trim() ?? null;
