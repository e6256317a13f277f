/**
 * Query strings → validated values, with the zod schemas of app/api/schemas.ts (pure). Every
 * problem names the parameter and says why; all problems are reported at once.
 *
 * - A parameter not in the list is refused (a typo like `region=` must not silently widen a search).
 * - A single-valued parameter given twice is refused.
 * - Repeatable parameters take repeats and comma-separated values (`status=open,planned`).
 * - An empty value counts as not given (HTML forms send every field).
 */
import type { ParamDef } from "./schemas";
import { MAX_PARAM_LENGTH, MAX_PARAM_VALUES } from "./schemas";

export interface ParamProblem {
  name: string;
  message: string;
  value?: string;
}

export type ParsedParams = { ok: true; values: Record<string, unknown> } | { ok: false; problems: ParamProblem[] };

const shown = (value: string) => (value.length > 60 ? `${value.slice(0, 57)}…` : value);

export function parseParams(search: URLSearchParams, defs: readonly ParamDef[]): ParsedParams {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const raw = new Map<string, string[]>();
  const problems: ParamProblem[] = [];
  for (const [name, value] of search) {
    if (!byName.has(name)) {
      const base = name.replace(/\[.*$/, "");
      const hint = byName.get(base)?.multi
        ? ` Gjenta parameteren (${base}=a&${base}=b) eller skill verdiene med komma (${base}=a,b).`
        : defs.length
          ? ` Kjente parametere: ${defs.map((d) => d.name).join(", ")}.`
          : " Denne adressen tar ingen parametere.";
      problems.push({ name, message: `ukjent parameter.${hint}`, value: shown(value) });
      continue;
    }
    const list = raw.get(name) ?? [];
    list.push(value);
    raw.set(name, list);
  }
  const values: Record<string, unknown> = {};
  for (const def of defs) {
    const given = (raw.get(def.name) ?? []).filter((v) => v.trim() !== "");
    if (given.length === 0) continue;
    const tooLong = given.find((v) => v.length > MAX_PARAM_LENGTH);
    if (tooLong) {
      problems.push({
        name: def.name,
        message: `verdien er for lang (høyst ${MAX_PARAM_LENGTH} tegn)`,
        value: shown(tooLong),
      });
      continue;
    }
    let input: string | string[];
    if (def.multi) {
      input = given
        .flatMap((v) => v.split(","))
        .map((v) => v.trim())
        .filter((v) => v !== "");
      if (input.length === 0) continue;
      if (input.length > MAX_PARAM_VALUES) {
        problems.push({ name: def.name, message: `høyst ${MAX_PARAM_VALUES} verdier (fikk ${input.length})` });
        continue;
      }
      input = [...new Set(input)];
    } else {
      if (given.length > 1) {
        problems.push({
          name: def.name,
          message: `er oppgitt ${given.length} ganger; oppgi den én gang`,
          value: shown(given.join(", ")),
        });
        continue;
      }
      input = given[0]!;
    }
    const result = def.schema.safeParse(input);
    if (result.success) {
      values[def.name] = result.data;
    } else {
      const issue = result.error.issues[0]!;
      const index = typeof issue.path[0] === "number" ? issue.path[0] : null;
      const value = Array.isArray(input) ? (index != null ? input[index] : input.join(",")) : input;
      problems.push({ name: def.name, message: issue.message, value: value == null ? undefined : shown(value) });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, values };
}

/** "«page»: må være høyst 10000" for one problem, or a count for many. */
export function describeParamProblems(problems: readonly ParamProblem[]): string {
  const first = problems[0]!;
  const one = `Ugyldig parameter «${first.name}»${first.value != null ? ` (${JSON.stringify(first.value)})` : ""}: ${first.message}`;
  return problems.length === 1 ? one : `${one} (og ${problems.length - 1} til; se details.parameters)`;
}
