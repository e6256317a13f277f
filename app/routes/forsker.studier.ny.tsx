/** /forsker/studier/ny — register a study (a draft, or straight to approval) for one of the researcher's organisations. */
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "#app/db.server";
import { orgsWithRole, isAdmin } from "#app/auth/policy";
import { signedInHeaders, signedInForm, signedInPage } from "#app/auth/route.server";
import { handleStudyForm, studyFormOptions } from "#app/views/study-form.server";
import { SignedInBar } from "#app/components/SignedIn";
import { StudyForm } from "#app/components/StudyForm";
import { langFromRequest, langFromSearch } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";
import { withStaffTexts } from "#app/i18n/staff-texts";

// This page's texts are not in the public pages' bundle (app/i18n/staff-texts.ts).
withStaffTexts();

export const meta: MetaFunction = ({ location }) => [
  {
    title: `${translator(langFromSearch(location.search)).t("form.new.metaTitle")} – ${translator(langFromSearch(location.search)).t("site.titleSuffix")}`,
  },
  { name: "robots", content: "noindex" },
];
export const headers = signedInHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const page = signedInPage(request);
  const options = studyFormOptions(getDb(), page.user, null, langFromRequest(request));
  return json(
    {
      user: page.user,
      csrf: page.csrf,
      options,
      canRegister: isAdmin(page.user) || orgsWithRole(page.user, "researcher").length > 0,
    },
    { headers: page.headers },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, form } = await signedInForm(request);
  return handleStudyForm(form, getDb(), user, null, langFromRequest(request));
}

export default function NewStudy() {
  const { user, csrf, options, canRegister } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const lead = options.leadOrganisations[0]?.id ?? "";
  const { t, href } = useTranslator();
  return (
    <>
      <SignedInBar name={user.name} csrf={csrf} roles={user.roles} />
      <p>
        <Link to={href("/forsker/studier")}>{t("study.back")}</Link>
      </p>
      <h1>{t("form.new.title")}</h1>
      {canRegister ? (
        <>
          <p className="lead">{t("form.new.lead")}</p>
          <StudyForm
            csrf={csrf}
            options={options}
            lastResult={lastResult}
            canSubmit
            defaultValue={{
              leadOrganisationId: lead,
              eligibility: { sex: "all" } as never,
              sites: [
                {
                  organisationId: lead,
                  hospitalId: "",
                  inclusionStart: "",
                  inclusionEnd: "",
                  contact: { name: "", phone: "", email: "" },
                  referral: "",
                },
              ],
            }}
          />
        </>
      ) : (
        <p>{t("form.new.notResearcher")}</p>
      )}
    </>
  );
}
