/**
 * zod parsers for single query-string values. Each field is parsed on its own, so one bad value
 * (postcode "12ab") gives one clear message and the rest of the search still runs. Empty strings
 * count as "not given": a GET form sends every field, filled in or not.
 */
import { z } from "zod";
import type { MessageKey } from "#app/i18n/messages/nb";
import type { Vars } from "#app/i18n/translate";
import { MAX_QUERY_LENGTH } from "./choices";

export interface ParamProblem {
  /** The query parameter, which is also the form field's name. */
  field: string;
  key: MessageKey;
  vars?: Vars;
}

export {
  MAX_QUERY_LENGTH,
  SEX_FOR_ENGINE,
  SEX_PARAMS,
  STATUS_PARAMS,
  toQueryString,
  type SexParam,
  type StatusParam,
} from "./choices";

export const querySchema = z.string().trim().max(MAX_QUERY_LENGTH);
export const postcodeSchema = z
  .string()
  .trim()
  .regex(/^\d{4}$/);
/** Whole years 0–120 written as digits: "-5", "54.5", "54 år" and "1e2" are refused. */
export const ageSchema = z
  .string()
  .trim()
  .regex(/^\d{1,3}$/)
  .transform(Number)
  .pipe(z.number().int().min(0).max(120));
export const pageSchema = z
  .string()
  .trim()
  .regex(/^\d{1,4}$/)
  .transform(Number)
  .pipe(z.number().int().min(1));

export function given(params: URLSearchParams, name: string): string | null {
  const value = params.get(name);
  return value == null || value.trim() === "" ? null : value;
}

/**
 * Parses one parameter: the value, null when not given, or null plus a problem when bad.
 */
export function parseField<T>(
  params: URLSearchParams,
  name: string,
  schema: z.ZodType<T, string>,
  problems: ParamProblem[],
  problem: Omit<ParamProblem, "field"> = { key: `search.problem.${name}` as MessageKey },
): T | null {
  const raw = given(params, name);
  if (raw == null) return null;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  problems.push({ field: name, ...problem, vars: { value: raw, ...problem.vars } });
  return null;
}

export function oneOf<T extends string>(values: readonly T[]): z.ZodType<T, string> {
  return z
    .string()
    .trim()
    .pipe(z.enum(values as unknown as [T, ...T[]])) as unknown as z.ZodType<T, string>;
}
