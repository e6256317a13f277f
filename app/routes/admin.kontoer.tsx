/**
 * /admin/kontoer — the national administrator's accounts (issue 18 item 4): invite (a one-time
 * set-password link shown once), disable and re-enable (a disabled account's sessions end), change
 * role and organisations. Only the admin role (checked in the model); at least one active
 * administrator always remains. nb, nn and en (?lang=).
 */
import type { ReactNode } from "react";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getDb } from "#app/db.server";
import { getConfig } from "#app/config.server";
import { isAdmin } from "#app/auth/policy";
import { asHttpError, guarded, signedInForm, signedInHeaders, signedInPage } from "#app/auth/route.server";
import { RESET_TOKEN_HOURS } from "#app/auth/reset.server";
import { accountAction, accountName, accountsPage, AUDIT_ENTRIES_SHOWN } from "#app/views/account-admin.server";
import { langFromRequest, langFromSearch, withLang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";
import type { MessageKey } from "#app/i18n/messages/nb";
import { CsrfField, SignedInBar } from "#app/components/SignedIn";
import { ErrorList, FormField, SelectInputField, textInputProps, translatedField } from "#app/components/forms";
import { withStaffTexts } from "#app/i18n/staff-texts";

// This page's texts are not in the public pages' bundle (app/i18n/staff-texts.ts).
withStaffTexts();

export const meta: MetaFunction = ({ location }) => [
  { title: `${translator(langFromSearch(location.search)).t("accounts.title")} – Kliniske studier` },
  { name: "robots", content: "noindex" },
];
export const headers = signedInHeaders;

const ROLES = ["researcher", "editor", "admin"] as const;
/** The invitation form's fields (the schema is app/forms/account-form.ts, on the server). */
interface InviteFields {
  intent: string;
  email: string;
  name: string;
  role: string;
  organisations: string[];
}

function forbidden(): never {
  throw new Response("Kontoene er for den nasjonale administratoren.", {
    status: 403,
    headers: { "Cache-Control": "private, no-store" },
  });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const page = signedInPage(request);
  if (!isAdmin(page.user)) forbidden();
  const db = getDb();
  const data = guarded(() => accountsPage(db, page.user));
  const params = new URL(request.url).searchParams;
  const doneAccount = Number(params.get("konto"));
  const done = params.get("ferdig");
  const doneName = done && doneAccount > 0 ? accountName(db, doneAccount) : null;
  return json(
    {
      user: page.user,
      csrf: page.csrf,
      ...data,
      hours: RESET_TOKEN_HOURS,
      auditShown: AUDIT_ENTRIES_SHOWN,
      done: doneName ? { key: done, name: doneName } : null,
    },
    { headers: page.headers },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, form } = await signedInForm(request);
  if (!isAdmin(user)) forbidden();
  const config = getConfig();
  let result;
  try {
    result = await accountAction(getDb(), user, form, {
      baseUrl: config.BASE_URL,
      lang: langFromRequest(request),
      mail: config.SMTP_URL ? { smtpUrl: config.SMTP_URL, from: config.MAIL_FROM } : undefined,
    });
  } catch (error) {
    return asHttpError(error);
  }
  const headers = { "Cache-Control": "private, no-store" };
  switch (result.kind) {
    case "done":
      return redirect(
        withLang(`/admin/kontoer?ferdig=${result.done}&konto=${result.accountId}`, langFromRequest(request)),
        { headers },
      );
    case "invited":
      return json(result, { headers });
    default:
      return json(result, { status: 400, headers });
  }
}

type ActionData =
  Awaited<ReturnType<typeof action>> extends infer R ? (R extends { json(): Promise<infer J> } ? J : never) : never;

export default function Accounts() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const { t, instant, list } = useTranslator();
  const tk = (key: string) => t(key as MessageKey);
  const [form, fields] = useForm<InviteFields>({
    id: "inviter",
    lastResult: result?.kind === "invite-invalid" ? result.reply : undefined,
    shouldRevalidate: "onInput",
  });
  const described = (f: Parameters<typeof translatedField>[0]) => translatedField(f, tk);
  const refused = result && result.kind === "refused" ? result : null;
  const roleLabel = (role: string | null) => (role ? tk(`accounts.role.${role}`) : "–");
  const roleOptions = ROLES.map((r) => ({ value: r, label: roleLabel(r) }));
  const organisationOptions = d.organisations.map((o) => ({ value: o.id, label: o.name }));
  const grantLabel = (g: { role: string | null; organisationNames: string[] }) =>
    g.organisationNames.length
      ? t("accounts.roleAt", { role: roleLabel(g.role), organisations: list(g.organisationNames) })
      : roleLabel(g.role);
  const organisationsLabel = (g: { organisationNames: string[] } | null) =>
    g?.organisationNames.length ? list(g.organisationNames) : t("accounts.audit.none");
  const auditText = (e: (typeof d.audit)[number]) =>
    t(`accounts.audit.${e.action}` as MessageKey, {
      role: e.to ? grantLabel(e.to) : "–",
      from: e.action === "organisations-changed" ? organisationsLabel(e.from) : e.from ? grantLabel(e.from) : "–",
      to: e.action === "organisations-changed" ? organisationsLabel(e.to) : e.to ? grantLabel(e.to) : "–",
    });
  return (
    <>
      <SignedInBar name={d.user.name} csrf={d.csrf} roles={d.user.roles} />
      <h1>{t("accounts.title")}</h1>
      <p className="lead">{t("accounts.lead")}</p>
      {d.done ? (
        <p className="notice" role="status">
          {t(`accounts.done.${d.done.key}` as MessageKey, { name: d.done.name })}
        </p>
      ) : null}
      {refused ? (
        <div className="problem-summary" role="alert">
          <h2>{t("accounts.problem.heading")}</h2>
          <p>
            {refused.accountId ? `${d.accounts.find((a) => a.id === refused.accountId)?.name ?? ""}: ` : null}
            {tk(refused.key)}
          </p>
        </div>
      ) : null}

      <section aria-labelledby="inviter-overskrift">
        <h2 id="inviter-overskrift">{t("accounts.invite.heading")}</h2>
        <p>{t("accounts.invite.lead", { hours: d.hours })}</p>
        {result && result.kind === "invited" ? (
          <div className="notice" role="status">
            <p>{t("accounts.invite.done", { name: result.name, until: instant(result.expiresAt) })}</p>
            {result.mailed === null ? null : (
              <p>{t(result.mailed ? "accounts.invite.mailed" : "accounts.invite.notMailed")}</p>
            )}
            <p>
              <code className="break" data-testid="invitasjonslenke">
                {result.link}
              </code>
            </p>
          </div>
        ) : null}
        <Form method="post" {...getFormProps(form)} noValidate>
          <CsrfField token={d.csrf} />
          <input type="hidden" name="intent" value="invite" />
          <ErrorList id={form.errorId} errors={form.errors?.map(tk)} />
          <FormField
            field={described(fields.email)}
            label={t("accounts.field.email")}
            required
            requiredText={t("accounts.required")}
          >
            <input
              {...getInputProps(fields.email, { type: "email", ariaDescribedBy: fields.email.descriptionId })}
              key={fields.email.key}
              autoComplete="off"
            />
          </FormField>
          <FormField
            field={described(fields.name)}
            label={t("accounts.field.name")}
            hint={t("accounts.field.name.hint")}
            required
            requiredText={t("accounts.required")}
          >
            <input {...textInputProps(fields.name)} autoComplete="off" />
          </FormField>
          <SelectInputField
            field={fields.role}
            label={t("accounts.field.role")}
            required
            requiredText={t("accounts.required")}
            errorText={tk}
            options={roleOptions}
          />
          <SelectInputField
            field={fields.organisations}
            label={t("accounts.field.organisations")}
            hint={t("accounts.field.organisations.hint")}
            errorText={tk}
            options={organisationOptions}
            multiple
            size={6}
          />
          <p>
            <button type="submit">{t("accounts.invite.submit")}</button>
          </p>
        </Form>
      </section>

      <section aria-labelledby="kontoer-overskrift">
        <h2 id="kontoer-overskrift">{t("accounts.list")}</h2>
        <TableRegion
          id="kontoer-tabell"
          caption={t("accounts.list")}
          columns={["name", "email", "roles", "status", "actions"].map((c) => tk(`accounts.col.${c}`))}
        >
          {d.accounts.map((a) => (
            <tr key={a.id}>
              <th scope="row">{a.name}</th>
              <td className="break">{a.email}</td>
              <td>
                {a.organisationNames.length
                  ? t("accounts.roleAt", { role: roleLabel(a.role), organisations: a.organisationNames.join(", ") })
                  : roleLabel(a.role)}
              </td>
              <td>{tk(`accounts.status.${a.state}`)}</td>
              <td>
                <AccountActions
                  account={a}
                  csrf={d.csrf}
                  organisations={d.organisations}
                  refused={refused?.accountId === a.id ? refused : null}
                  roleLabel={roleLabel}
                />
              </td>
            </tr>
          ))}
        </TableRegion>
      </section>

      <section aria-labelledby="logg-overskrift">
        <h2 id="logg-overskrift">{t("accounts.audit.heading")}</h2>
        <p>{t("accounts.audit.lead", { count: d.auditShown })}</p>
        {d.audit.length === 0 ? (
          <p>{t("accounts.audit.empty")}</p>
        ) : (
          <TableRegion
            id="logg-tabell"
            testId="kontologg"
            caption={t("accounts.audit.heading")}
            columns={["when", "who", "account", "what"].map((c) => tk(`accounts.audit.col.${c}`))}
          >
            {d.audit.map((e) => (
              <tr key={e.id}>
                <td>{instant(e.at)}</td>
                <td>{e.actorName ?? t("accounts.audit.cli")}</td>
                <th scope="row">{e.accountName}</th>
                <td>{auditText(e)}</td>
              </tr>
            ))}
          </TableRegion>
        )}
      </section>
    </>
  );
}

/** A scrollable, keyboard-reachable table with its caption and column headings. */
function TableRegion({
  id,
  caption,
  columns,
  testId,
  children,
}: {
  id: string;
  caption: string;
  columns: string[];
  testId?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={id}>
      <table data-testid={testId}>
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

type Refused = Extract<ActionData, { kind: "refused" }>;

/**
 * One account's two forms (Conform, each its own id): disable or re-enable, and role with
 * organisations. A refusal for this account shows on its field (or under the button), in the
 * page's language; the role form starts from the account's present role and organisations.
 */
function AccountActions({
  account,
  csrf,
  organisations,
  refused,
  roleLabel,
}: {
  account: { id: number; name: string; state: string; role: string | null; organisationIds: string[] };
  csrf: string;
  organisations: { id: string; name: string }[];
  refused: Refused | null;
  roleLabel: (role: string | null) => string;
}) {
  const { t } = useTranslator();
  const tk = (key: string) => t(key as MessageKey);
  const [stateForm] = useForm({
    id: `konto-${account.id}-status`,
    lastResult: refused?.form === "state" ? refused.reply : undefined,
  });
  const [rolesForm, fields] = useForm<InviteFields>({
    id: `konto-${account.id}-rolle`,
    lastResult: refused?.form === "roles" ? refused.reply : undefined,
    defaultValue: { role: account.role ?? "researcher", organisations: account.organisationIds },
  });
  const disabled = account.state === "disabled";
  return (
    <>
      <Form method="post" className="inline-form" {...getFormProps(stateForm)}>
        <CsrfField token={csrf} />
        <input type="hidden" name="account" value={account.id} />
        <input type="hidden" name="intent" value={disabled ? "enable" : "disable"} />
        <button
          type="submit"
          aria-label={t(disabled ? "accounts.enable.label" : "accounts.disable.label", { name: account.name })}
        >
          {t(disabled ? "accounts.enable" : "accounts.disable")}
        </button>
        <ErrorList id={stateForm.errorId} errors={stateForm.errors?.map(tk)} />
      </Form>
      <Form method="post" {...getFormProps(rolesForm)}>
        <CsrfField token={csrf} />
        <input type="hidden" name="account" value={account.id} />
        <input type="hidden" name="intent" value="roles" />
        <fieldset>
          <legend>{t("accounts.roles.legend", { name: account.name })}</legend>
          <ErrorList id={rolesForm.errorId} errors={rolesForm.errors?.map(tk)} />
          <SelectInputField
            field={fields.role}
            label={t("accounts.field.role")}
            errorText={tk}
            options={ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
          />
          <SelectInputField
            field={fields.organisations}
            label={t("accounts.field.organisations")}
            errorText={tk}
            options={organisations.map((o) => ({ value: o.id, label: o.name }))}
            multiple
            size={3}
          />
          <button type="submit">{t("accounts.roles.submit")}</button>
        </fieldset>
      </Form>
    </>
  );
}
