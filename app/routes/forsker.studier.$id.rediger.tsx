/** /forsker/studier/:id/rediger — edit a study's shared content (the study's researchers only). */
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "#app/db.server";
import { guarded, parseId, signedInHeaders, signedInForm, signedInPage } from "#app/auth/route.server";
import { studyToForm } from "#app/domain/study-form";
import { stateLabel } from "#app/views/researcher.server";
import { langFromRequest, langFromSearch } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";
import { getStudyForEdit } from "#app/models/study-work.server";
import { handleStudyForm, studyFormOptions } from "#app/views/study-form.server";
import { SignedInBar } from "#app/components/SignedIn";
import { StudyForm } from "#app/components/StudyForm";
import { withStaffTexts } from "#app/i18n/staff-texts";

// This page's texts are not in the public pages' bundle (app/i18n/staff-texts.ts).
withStaffTexts();

export const meta: MetaFunction<typeof loader> = ({ data, location }) => [
  {
    title: `${translator(langFromSearch(location.search)).t("form.edit.metaTitle", { title: data?.title ?? "" })} – ${translator(langFromSearch(location.search)).t("site.titleSuffix")}`,
  },
  { name: "robots", content: "noindex" },
];
export const headers = signedInHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = signedInPage(request);
  const id = parseId(params.id);
  const db = getDb();
  const study = guarded(() => getStudyForEdit(db, page.user, id));
  const lang = langFromRequest(request);
  return json(
    {
      user: page.user,
      csrf: page.csrf,
      id,
      title: study.title.nb,
      state: study.publicationState,
      stateLabel: stateLabel(study.publicationState, lang),
      options: studyFormOptions(db, page.user, study, lang),
      defaultValue: studyToForm(study),
    },
    { headers: page.headers },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, form } = await signedInForm(request);
  const id = parseId(params.id);
  const db = getDb();
  const study = guarded(() => getStudyForEdit(db, user, id));
  return handleStudyForm(form, db, user, { id, study }, langFromRequest(request));
}

export default function EditStudy() {
  const { user, csrf, id, title, state, stateLabel, options, defaultValue } = useLoaderData<typeof loader>();
  const { t, href } = useTranslator();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <SignedInBar name={user.name} csrf={csrf} roles={user.roles} />
      <p>
        <Link to={href(`/forsker/studier/${id}`)}>← {title}</Link>
      </p>
      <h1>{t("form.edit.title")}</h1>
      <p className="lead">
        {t("form.edit.lead", { state: stateLabel })}
        {state === "published" ? ` ${t("form.edit.published")}` : ""}
      </p>
      <StudyForm
        csrf={csrf}
        options={options}
        lastResult={lastResult}
        canSubmit={state === "draft" || state === "published"}
        saveLabel={
          state === "draft"
            ? t("form.saveDraft")
            : state === "published"
              ? t("form.saveWithoutSending")
              : t("form.saveChanges")
        }
        defaultValue={defaultValue}
      />
    </>
  );
}
