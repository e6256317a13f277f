/**
 * The small signed-in forms about one study site, read with Conform + zod like the study form
 * (issue 21 item 5): a site's inclusion dates (/forsker/studier/:id) and an editor's local
 * information for their own site (/redaksjon/studier/:id). The same parse runs in the browser as
 * you leave a field and again on the server; every problem is on its field, in the page's language.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { isCalendarDate } from "#app/domain/calendar-date";
import type { Translator } from "#app/i18n/translate";
import { formatErrorsIn, formErrorMap } from "./problem-text";

/** An optional calendar date; a wrong one is named with its label and what was typed. */
function optionalDate(label: string, tr: Translator) {
  return z
    .string()
    .trim()
    .optional()
    .superRefine((value, ctx) => {
      if (value && !isCalendarDate(value)) {
        ctx.addIssue({ code: "custom", message: tr.t("study.sites.badDate", { field: label, value }) });
      }
    });
}

export function siteDatesSchema(tr: Translator) {
  return z.object({
    site: z.string().trim(),
    inclusionStart: optionalDate(tr.t("study.sites.start"), tr),
    inclusionEnd: optionalDate(tr.t("study.sites.end"), tr),
  });
}

/** The parse for a schema in the page's language: the same in the browser and on the server. */
function parserFor<Schema extends z.ZodType>(schemaIn: (tr: Translator) => Schema) {
  return (payload: FormData | URLSearchParams, tr: Translator) =>
    parseWithZod(payload, { schema: schemaIn(tr), error: formErrorMap(tr), formatError: formatErrorsIn(tr) });
}

export const parseSiteDates = parserFor(siteDatesSchema);

const optionalText = z.string().trim().optional();

export function siteLocalSchema(tr: Translator) {
  return z
    .object({
      site: z.string().trim(),
      contactName: optionalText,
      contactEmail: optionalText,
      contactPhone: optionalText,
      referral: optionalText,
      paused: z.literal("on").optional(),
      pauseReason: optionalText,
    })
    .superRefine((v, ctx) => {
      if ((v.contactEmail || v.contactPhone) && !v.contactName) {
        ctx.addIssue({ code: "custom", path: ["contactName"], message: tr.t("review.local.nameMissing") });
      }
      if (v.contactName && !v.contactEmail && !v.contactPhone) {
        ctx.addIssue({ code: "custom", path: ["contactEmail"], message: tr.t("review.local.emailOrPhone") });
      }
      if (v.paused && !v.pauseReason) {
        ctx.addIssue({ code: "custom", path: ["pauseReason"], message: tr.t("review.local.reasonMissing") });
      }
    });
}

export const parseSiteLocal = parserFor(siteLocalSchema);

/** A model's site problems ("inclusionEnd", "contact.email") as errors on the form's own fields. */
export function siteFieldErrors(
  problems: { field: string; message: string }[],
  names: Record<string, string>,
  problemText: (message: string) => string,
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const p of problems) (errors[names[p.field] ?? ""] ??= []).push(problemText(p.message));
  return errors;
}

/** An editor pauses inclusion at their site (with the reason patients will read) or resumes it. */
export function sitePauseSchema(tr: Translator) {
  return z
    .object({
      study: z.string().trim(),
      site: z.string().trim(),
      intent: z.enum(["pause", "resume"]),
      pauseReason: optionalText,
    })
    .superRefine((v, ctx) => {
      if (v.intent === "pause" && !v.pauseReason) {
        ctx.addIssue({ code: "custom", path: ["pauseReason"], message: tr.t("editorial.sites.pauseReasonMissing") });
      }
    });
}

export const parseSitePause = parserFor(sitePauseSchema);
