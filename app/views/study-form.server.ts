/**
 * The server half of the register/edit form: the choices it offers and what a POST does.
 * Parsing is the same function the browser runs (parseStudyForm); saving and who may save go
 * through the work model (createStudy / saveStudyContent), which answers 403 for a forbidden
 * change. On any problem the form comes back with every value as it was typed.
 */
import { json, redirect } from "@remix-run/node";
import type { Db } from "#app/db.server";
import type { Principal } from "#app/auth/policy";
import { isAdmin, memberOrgs, orgsWithRole } from "#app/auth/policy";
import { guarded } from "#app/auth/route.server";
import { formFieldName, formToStudy } from "#app/domain/study-form";
import { parseStudyForm } from "#app/forms/study-form";
import { problemText } from "#app/forms/problem-text";
import { withLang, type Lang } from "#app/i18n/languages";
import { translator, type Translator } from "#app/i18n/translate";
import { siteKey } from "#app/domain/study-snapshot";
import type { FieldProblem, Study } from "#app/domain/study";
import { listHospitals, listHrcsCategories, listOrganisations } from "#app/models/reference.server";
import { createStudy, saveStudyContent } from "#app/models/study-work.server";
import type { StudyFormOptions } from "#app/components/StudyForm";

export function studyFormOptions(db: Db, user: Principal, study: Study | null, lang: Lang = "nb"): StudyFormOptions {
  const organisations = listOrganisations(db).map((o) => ({ id: o.id, name: o.name }));
  const leads = isAdmin(user)
    ? organisations
    : organisations.filter((o) => orgsWithRole(user, "researcher").includes(o.id));
  // Keep the study's current lead in the list, so an edit never silently changes it.
  if (study && !leads.some((o) => o.id === study.leadOrganisationId)) {
    const lead = organisations.find((o) => o.id === study.leadOrganisationId);
    if (lead) leads.unshift(lead);
  }
  const name = new Map(organisations.map((o) => [o.id, o.name]));
  const mine = (orgId: string | null) => isAdmin(user) || (orgId != null && memberOrgs(user).includes(orgId));
  return {
    leadOrganisations: leads,
    organisations,
    hospitals: hospitalChoices(db),
    categories: listHrcsCategories(db).map((c) => ({ id: c.id, name: lang === "en" ? c.nameEn : c.nameNb })),
    lockedSites: (study?.sites ?? [])
      .filter((s) => !s.withdrawn && !mine(s.organisationId))
      .map((s) => ({
        key: siteKey(s),
        name: (s.organisationId ? name.get(s.organisationId) : null) ?? s.organisationId ?? s.name ?? siteKey(s),
      })),
  };
}

/** Each organisation's hospitals for the site's hospital choice, the main hospital first. */
function hospitalChoices(db: Db): StudyFormOptions["hospitals"] {
  const byOrg = new Map<string, { id: string; name: string; main: boolean }[]>();
  for (const h of listHospitals(db)) {
    const list = byOrg.get(h.organisationId) ?? [];
    list.push({ id: h.id, name: h.name, main: h.main });
    byOrg.set(h.organisationId, list);
  }
  return listOrganisations(db)
    .filter((o) => byOrg.has(o.id))
    .map((o) => ({
      organisationId: o.id,
      hospitals: byOrg
        .get(o.id)!
        .sort((a, b) => Number(b.main) - Number(a.main) || a.name.localeCompare(b.name, "nb"))
        .map(({ id, name }) => ({ id, name })),
    }));
}

/** Model problems ("sites.1.inclusionEnd") as Conform field errors ("sites[1].inclusionEnd"). */
function fieldErrors(problems: FieldProblem[], tr: Translator): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const p of problems) {
    const name = p.field === "(hele studien)" ? "" : formFieldName(p.field);
    (errors[name] ??= []).push(problemText(p.message, tr));
  }
  return errors;
}

/** What a POST of the form does; its problems and where it goes next are in the page's language. */
export function handleStudyForm(
  form: FormData,
  db: Db,
  user: Principal,
  base: { id: number; study: Study } | null,
  lang: Lang = "nb",
) {
  const tr = translator(lang);
  const submission = parseStudyForm(form, tr);
  if (submission.status !== "success") {
    // A list intent (add/remove a row without JavaScript) is not an error: the form comes back changed.
    return json(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  }
  const submit = submission.value.intent === "submit";
  const input = formToStudy(submission.value, base?.study ?? null);
  if (base) {
    const result = guarded(() => saveStudyContent(db, user, base.id, input, { submit }));
    if (!result.ok) return json(submission.reply({ fieldErrors: fieldErrors(result.problems, tr) }), { status: 400 });
    if (result.revision) return redirect(withLang(`/forsker/studier/${base.id}?endring=${result.revision}`, lang));
    return redirect(withLang(`/forsker/studier/${base.id}?lagret=${result.changed ? result.version : "ingen"}`, lang));
  }
  const result = guarded(() => createStudy(db, user, input, { submit }));
  if (!result.ok) return json(submission.reply({ fieldErrors: fieldErrors(result.problems, tr) }), { status: 400 });
  return redirect(withLang(`/forsker/studier/${result.studyId}?lagret=${result.version}`, lang));
}
