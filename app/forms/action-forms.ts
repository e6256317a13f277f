/**
 * The signed-in pages' one-button forms (issue 21 item 5): the values they post are hidden
 * (which action, which site, which study, which version), so a problem with one is not the
 * reader's to mend on a field: it is a post the page never sends (a stale page, a hand-made or
 * hostile request). Each route's forms are one zod union keyed by `intent`, parsed with Conform's
 * parseWithZod; a bad post is a 400 whose text names each field and its problem in the page's
 * language (ADR 0032). The fields a person fills in (dates, local information, a pause reason,
 * the editor's comment) keep their own Conform forms, with the problem on the field
 * (./site-forms.ts, `reviewSchema` below).
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import type { Translator } from "#app/i18n/translate";
import { formatErrorsIn, formErrorMap } from "./problem-text";

/** A site's key as the page sends it (`organisation/hospital`, or a site known by name). */
const site = z.string().trim().min(1).max(500);
/** A study's number (the ids `parseId` accepts). */
const study = z.number().int().min(1).max(999_999_999_999);
/** A version or revision number. */
const versionNumber = z.number().int().min(1).max(999_999_999);
/** An organisation's id, e.g. `st-olavs`. */
const organisation = z.string().trim().min(1).max(100);

/** /forsker/studier/:id — a site's dates (its fields are ./site-forms.ts), confirm, submit, answer for a site. */
export const researcherStudyForms = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("dates"), site }),
  z.object({ intent: z.literal("confirm-site"), site }),
  z.object({ intent: z.literal("submit") }),
  z.object({ intent: z.enum(["accept-site", "decline-site", "withdraw-site"]), site }),
]);

/** /redaksjon — confirm a site, a new reminder-feed secret, pause or resume a site (its reason is ./site-forms.ts). */
export const editorQueueForms = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("confirm-site"), study, site }),
  z.object({ intent: z.literal("reminder-feed"), organisation }),
  z.object({ intent: z.enum(["pause", "resume"]), study, site }),
]);

/**
 * /redaksjon/studier/:id — approve or send back exactly the version (and revision) shown (the
 * comment is `reviewSchema`), publish a held study, a site's local information (./site-forms.ts).
 */
export const reviewPageForms = z.discriminatedUnion("intent", [
  z.object({
    intent: z.enum(["approve", "send-back"]),
    version: versionNumber.optional(),
    revision: versionNumber.optional(),
  }),
  z.object({ intent: z.literal("publish-held") }),
  z.object({ intent: z.literal("local"), site }),
]);

/** /forsker/studier/:id/historikk — restore one version as a new version. */
export const restoreVersionForm = z.object({ version: versionNumber });

/** The longest comment an editor can send with a decision. */
export const MAX_REVIEW_COMMENT = 2000;

/** The editor's comment with a decision: needed to send back, at most 2,000 characters; on its field. */
export function reviewSchema(tr: Translator) {
  return z
    .object({
      intent: z.enum(["approve", "send-back"]),
      comment: z.string().trim().max(MAX_REVIEW_COMMENT).optional(),
    })
    .superRefine((v, ctx) => {
      if (v.intent === "send-back" && !v.comment) {
        ctx.addIssue({ code: "custom", path: ["comment"], message: tr.t("review.comment.missing") });
      }
    });
}

/** The review form's parse, the same in the browser and on the server. */
export function parseReview(payload: FormData | URLSearchParams, tr: Translator) {
  return parseWithZod(payload, { schema: reviewSchema(tr), error: formErrorMap(tr), formatError: formatErrorsIn(tr) });
}

/**
 * The hidden values of a post, or a 400 that says which field is wrong and why, in the page's
 * language (never a 500): a missing or unknown `intent` is named as such.
 */
export function hiddenValues<Schema extends z.ZodType>(
  payload: FormData | URLSearchParams,
  schema: Schema,
  tr: Translator,
): z.output<Schema> {
  const fallback = formErrorMap(tr);
  const submission = parseWithZod(payload, {
    schema,
    error: (issue) => {
      if (issue.code === "invalid_union" && issue.path?.join(".") === "intent") {
        const intent = payload.get("intent");
        return typeof intent === "string" && intent.trim()
          ? tr.t("error.unknownAction", { intent: intent.trim().slice(0, 100) })
          : tr.t("form.post.noIntent");
      }
      return fallback(issue);
    },
    formatError: formatErrorsIn(tr),
  });
  if (submission.status === "success") return submission.value as z.output<Schema>;
  const problems = Object.entries(submission.error ?? {})
    .flatMap(([field, messages]) => (messages ?? []).map((m) => (field === "intent" ? m : `${field || "form"}: ${m}`)))
    .join(" ");
  throw new Response(`${tr.t("form.post.bad", { problems })}\n`, {
    status: 400,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "private, no-store",
      "Content-Language": tr.lang,
    },
  });
}
