/**
 * Who may do what: pure rules, used by the models (app/models/study-work.server.ts) before any
 * write, so a route that forgets a check still cannot do a forbidden thing.
 *
 * - researcher of organisation O: registers studies led by O (with sites anywhere); sees studies
 *   led by O or with an active (or proposed, not yet answered) site of O; edits the shared fields
 *   (form, restore, submit) of studies led by O, a published study's as a pending revision;
 *   edits inclusion dates of O's sites and withdraws them; proposes a new site of another
 *   organisation, which stays pending until that organisation accepts it (and then owns it);
 *   accepts or declines a site proposed for O.
 * - editor of O: sees the same; approves (the version or revision it reviewed) / sends back
 *   submitted studies led by O; edits O's sites: inclusion dates, local contact, referral note,
 *   pause with reason; accepts, declines or withdraws O's sites.
 * - admin: everything.
 */
export type Role = "researcher" | "editor" | "admin";

export interface Principal {
  id: number;
  name: string;
  email: string;
  roles: { role: Role; organisationId: string | null }[];
}

export interface StudyScope {
  leadOrganisationId: string;
  /** organisationId null: a location that is no registered organisation (only an admin edits it). */
  sites: { organisationId: string | null; withdrawn?: boolean; pendingConsent?: boolean }[];
}

export type Action =
  | "view-study"
  | "create-study"
  | "edit-study"
  | "restore-version"
  | "submit-study"
  | "approve-study"
  | "send-back-study"
  | "edit-site-dates"
  | "remove-site"
  | "accept-site"
  | "decline-site"
  | "edit-site-local"
  | "view-feed-health"
  | "manage-accounts";

/** A forbidden action: the models throw it, routes answer 403. */
export class ForbiddenError extends Error {
  readonly status = 403;
  constructor(
    public readonly action: Action,
    message: string,
  ) {
    super(message);
    this.name = "ForbiddenError";
  }
}

export const isAdmin = (p: Principal) => p.roles.some((r) => r.role === "admin");
export const orgsWithRole = (p: Principal, role: Role) =>
  [...new Set(p.roles.filter((r) => r.role === role && r.organisationId).map((r) => r.organisationId!))].sort();
export const memberOrgs = (p: Principal) =>
  [...new Set([...orgsWithRole(p, "researcher"), ...orgsWithRole(p, "editor")])].sort();
export const hasRole = (p: Principal, role: Role) => p.roles.some((r) => r.role === role);

/**
 * Where a person lands after signing in without asking for a page: an editor who is no
 * researcher on their approval queue, everyone else (researchers, the administrator) on their
 * studies.
 */
export function homePath(p: Principal): "/redaksjon" | "/forsker/studier" {
  return hasRole(p, "editor") && !hasRole(p, "researcher") && !isAdmin(p) ? "/redaksjon" : "/forsker/studier";
}

export function canViewStudy(p: Principal, s: StudyScope): boolean {
  if (isAdmin(p)) return true;
  const orgs = new Set(memberOrgs(p));
  // A withdrawn site no longer opens the study for its organisation; a proposed one (pending its
  // organisation's answer) does, so that organisation can read what it is asked to join.
  return (
    orgs.has(s.leadOrganisationId) ||
    s.sites.some(
      (site) =>
        site.organisationId != null &&
        orgs.has(site.organisationId) &&
        (!site.withdrawn || site.pendingConsent === true),
    )
  );
}

/** A site's own organisation (any of its researchers or editors) answers for it: accept, decline, withdraw. */
export function canAnswerForSite(p: Principal, site: { organisationId: string | null }): boolean {
  return isAdmin(p) || (site.organisationId != null && memberOrgs(p).includes(site.organisationId));
}

/** A researcher registers studies led by their own organisations only. */
export function canCreateStudy(p: Principal, leadOrganisationId: string): boolean {
  return isAdmin(p) || orgsWithRole(p, "researcher").includes(leadOrganisationId);
}

export function canEditStudy(p: Principal, s: StudyScope): boolean {
  return isAdmin(p) || orgsWithRole(p, "researcher").includes(s.leadOrganisationId);
}

export function canReviewStudy(p: Principal, s: StudyScope): boolean {
  return isAdmin(p) || orgsWithRole(p, "editor").includes(s.leadOrganisationId);
}

export function canEditSiteDates(p: Principal, site: { organisationId: string | null }): boolean {
  return isAdmin(p) || (site.organisationId != null && memberOrgs(p).includes(site.organisationId));
}

export function canViewFeedHealth(p: Principal, organisationId: string): boolean {
  return isAdmin(p) || orgsWithRole(p, "editor").includes(organisationId);
}

export function canEditSiteLocal(p: Principal, site: { organisationId: string | null }): boolean {
  return isAdmin(p) || (site.organisationId != null && orgsWithRole(p, "editor").includes(site.organisationId));
}

const MESSAGES: Record<Action, string> = {
  "view-study": "Du har ikke tilgang til denne studien.",
  "create-study": "Du kan bare registrere studier som ledes av en organisasjon du er forsker ved.",
  "edit-study": "Bare forskere ved organisasjonen som leder studien kan endre den.",
  "restore-version": "Bare forskere ved organisasjonen som leder studien kan gjenopprette en versjon.",
  "submit-study": "Bare forskere ved organisasjonen som leder studien kan sende den til godkjenning.",
  "approve-study": "Bare redaktører ved organisasjonen som leder studien kan godkjenne den.",
  "send-back-study": "Bare redaktører ved organisasjonen som leder studien kan sende den tilbake.",
  "edit-site-dates": "Du kan bare endre inklusjonsdatoer for studiesteder ved din egen organisasjon.",
  "remove-site": "Du kan bare fjerne studiesteder ved din egen organisasjon.",
  "accept-site": "Bare organisasjonen som eier studiestedet kan godta det.",
  "decline-site": "Bare organisasjonen som eier studiestedet kan avslå det.",
  "edit-site-local": "Bare redaktører ved organisasjonen som eier studiestedet kan endre lokal informasjon.",
  "view-feed-health": "Bare redaktører ved organisasjonen kan se innlesingen av dens studier.",
  "manage-accounts": "Bare den nasjonale administratoren kan invitere, sperre og endre kontoer.",
};

/** Throws ForbiddenError unless allowed. */
export function authorize(allowed: boolean, action: Action): void {
  if (!allowed) throw new ForbiddenError(action, MESSAGES[action]);
}
