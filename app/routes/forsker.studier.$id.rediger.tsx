/** /forsker/studier/:id/rediger — edit a study's shared content (the study's researchers only). */
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "#app/db.server";
import { guarded, parseId, signedInHeaders, signedInForm, signedInPage } from "#app/auth/route.server";
import { studyToForm } from "#app/domain/study-form";
import { STATE_LABEL } from "#app/views/researcher.server";
import { getStudyForEdit } from "#app/models/study-work.server";
import { handleStudyForm, studyFormOptions } from "#app/views/study-form.server";
import { SignedInBar } from "#app/components/SignedIn";
import { StudyForm } from "#app/components/StudyForm";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Rediger ${data?.title ?? "studie"} – Mine studier – Kliniske studier` },
  { name: "robots", content: "noindex" },
];
export const headers = signedInHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = signedInPage(request);
  const id = parseId(params.id);
  const db = getDb();
  const study = guarded(() => getStudyForEdit(db, page.user, id));
  return json(
    {
      user: page.user,
      csrf: page.csrf,
      id,
      title: study.title.nb,
      state: study.publicationState,
      // Worded here: STATE_LABEL lives in a .server module, which is empty in the browser bundle.
      stateLabel: STATE_LABEL[study.publicationState],
      options: studyFormOptions(db, page.user, study),
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
  return handleStudyForm(form, db, user, { id, study });
}

export default function EditStudy() {
  const { user, csrf, id, title, state, stateLabel, options, defaultValue } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <SignedInBar name={user.name} csrf={csrf} roles={user.roles} />
      <p>
        <Link to={`/forsker/studier/${id}`}>← {title}</Link>
      </p>
      <h1>Rediger studie</h1>
      <p className="lead">
        {stateLabel}. Hver lagring blir en ny versjon i historikken.
        {state === "published"
          ? " Endringer i innholdet vises offentlig først når redaksjonen har godkjent dem; datoer for dine egne studiesteder gjelder med en gang. Et nytt studiested ved en annen organisasjon vises når den organisasjonen har godtatt det."
          : ""}
      </p>
      <StudyForm
        csrf={csrf}
        options={options}
        lastResult={lastResult}
        canSubmit={state === "draft" || state === "published"}
        saveLabel={
          state === "draft"
            ? "Lagre utkast"
            : state === "published"
              ? "Lagre endringer uten å sende"
              : "Lagre endringer"
        }
        defaultValue={defaultValue}
      />
    </>
  );
}
