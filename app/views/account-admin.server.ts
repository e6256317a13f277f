/**
 * What /admin/kontoer shows and does (issue 18 item 4): the accounts with their roles and state,
 * the organisations to choose from, and the administrator's four actions (invite, disable,
 * enable, change role), each refused with the field and a message key when a rule says no.
 */
import type { Db } from "#app/db.server";
import type { Principal } from "#app/auth/policy";
import { invite } from "#app/auth/invite.server";
import { parseAccountForm, parseInviteForm, parseRolesForm } from "#app/forms/account-form";
import { AccountProblemError, changeAccount, listAccounts } from "#app/models/account-admin.server";
import { listAccountAudit, type AuditGrant } from "#app/models/account-audit.server";
import { listOrganisations } from "#app/models/reference.server";
import { getUser } from "#app/models/user.server";
import { sendInvitationMail } from "#app/mail/invitation.server";
import { translator } from "#app/i18n/translate";
import type { Lang } from "#app/i18n/languages";

/** How many audit entries the page shows. */
export const AUDIT_ENTRIES_SHOWN = 20;

export function accountsPage(db: Db, actor: Principal) {
  const accounts = listAccounts(db, actor);
  const organisations = listOrganisations(db).map((o) => ({ id: o.id, name: o.name }));
  const names = new Map(organisations.map((o) => [o.id, o.name]));
  const grant = (g: AuditGrant) => ({
    role: g.role,
    organisationNames: g.organisations.map((id) => names.get(id) ?? id),
  });
  return {
    organisations,
    // The latest account actions, names not ids (the words and dates are the page's).
    audit: listAccountAudit(db, actor, AUDIT_ENTRIES_SHOWN).map((e) => ({
      id: e.id,
      at: e.at,
      action: e.action,
      accountName: e.accountName,
      actorName: e.actorName,
      from: e.detail && "from" in e.detail ? grant(e.detail.from) : null,
      to: e.detail ? grant("to" in e.detail ? e.detail.to : e.detail) : null,
    })),
    accounts: accounts.map((a) => {
      const role = a.roles[0]?.role ?? null;
      return {
        id: a.id,
        name: a.name,
        email: a.email,
        state: a.disabled ? ("disabled" as const) : a.hasPassword ? ("active" as const) : ("invited" as const),
        role,
        organisationIds: a.roles.filter((r) => r.organisationId).map((r) => r.organisationId!),
        organisationNames: a.roles
          .filter((r) => r.organisationId)
          .map((r) => names.get(r.organisationId!) ?? r.organisationId!),
      };
    }),
  };
}

export type AccountActionResult =
  | { kind: "invite-invalid"; reply: ReturnType<ReturnType<typeof parseInviteForm>["reply"]> }
  | { kind: "invited"; name: string; link: string; expiresAt: string; mailed: boolean | null }
  | { kind: "done"; done: "disabled" | "enabled" | "roles"; accountId: number }
  | {
      kind: "refused";
      accountId: number | null;
      /** Which of the row's two forms: the state (disable/enable) or the role and organisations. */
      form: "state" | "roles";
      field: string;
      key: string;
      /** Conform's reply for that row's form: the problem on its field (the state form's on the form). */
      reply: ReturnType<ReturnType<typeof parseRolesForm>["reply"]>;
    };

export interface AccountActionOptions {
  /** The portal's public address, for the link. */
  baseUrl: string;
  /** The page's language (the invitation e-mail is written in it). */
  lang: Lang;
  /** Mail the invitation too (SMTP_URL set). */
  mail?: { smtpUrl: string; from: string };
}

export async function accountAction(
  db: Db,
  actor: Principal,
  form: FormData,
  options: AccountActionOptions,
  now = new Date(),
): Promise<AccountActionResult> {
  const intent = form.get("intent");
  if (intent === "invite") {
    const submission = parseInviteForm(form);
    if (submission.status !== "success") return { kind: "invite-invalid", reply: submission.reply() };
    const v = submission.value;
    try {
      const invited = invite(
        db,
        actor,
        { email: v.email, name: v.name, role: v.role, organisationIds: v.organisations },
        now,
      );
      const link = `${options.baseUrl.replace(/\/+$/, "")}${invited.path}`;
      let mailed: boolean | null = null;
      if (options.mail) {
        const t = translator(options.lang);
        mailed = await sendInvitationMail({
          ...options.mail,
          to: v.email,
          subject: t.t("accounts.mail.subject"),
          text: t.t("accounts.mail.text", { name: v.name, link, until: t.instant(invited.expiresAt) }),
        });
      }
      return { kind: "invited", name: v.name, link, expiresAt: invited.expiresAt.toISOString(), mailed };
    } catch (error) {
      if (!(error instanceof AccountProblemError)) throw error;
      const field = error.field === "account" ? "role" : error.field;
      return { kind: "invite-invalid", reply: submission.reply({ fieldErrors: { [field]: [error.key] } }) };
    }
  }
  const rowForm = intent === "roles" ? ("roles" as const) : ("state" as const);
  const submission = rowForm === "roles" ? parseRolesForm(form) : parseAccountForm(form);
  /** The refusal, on its field in the row's form (a state change has only its button: on the form). */
  const refused = (accountId: number | null, field: string, key: string): AccountActionResult => ({
    kind: "refused",
    accountId,
    form: rowForm,
    field,
    key,
    reply:
      rowForm === "roles" && (field === "role" || field === "organisations")
        ? submission.reply({ fieldErrors: { [field]: [key] } })
        : submission.reply({ formErrors: [key] }),
  });
  if (submission.status !== "success") {
    const account = Number(form.get("account"));
    const errors = submission.error ?? {};
    const field = Object.keys(errors)[0] ?? "intent";
    const key = errors[field]?.[0] ?? "accounts.problem.unknownAccount";
    return refused(
      Number.isInteger(account) && account > 0 ? account : null,
      field,
      key.startsWith("accounts.") ? key : "accounts.problem.unknownAccount",
    );
  }
  const v = submission.value;
  try {
    if (v.intent === "roles") {
      changeAccount(
        db,
        actor,
        { kind: "roles", accountId: v.account, role: v.role, organisationIds: v.organisations },
        now,
      );
      return { kind: "done", done: "roles", accountId: v.account };
    }
    changeAccount(db, actor, { kind: v.intent, accountId: v.account }, now);
    return { kind: "done", done: v.intent === "disable" ? "disabled" : "enabled", accountId: v.account };
  } catch (error) {
    if (!(error instanceof AccountProblemError)) throw error;
    return refused(v.account, error.field, error.key);
  }
}

/** The name of an account, for the confirmation after a change. */
export function accountName(db: Db, id: number): string | null {
  return getUser(db, id)?.name ?? null;
}
