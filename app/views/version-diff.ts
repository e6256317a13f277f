/** A version's diff in words: "Inklusjonsslutt, st-olavs: 2026-03-01 → 2026-06-30". Pure. */
import type { ChangeEntry } from "../domain/study-snapshot";

const FIELD_LABEL: Record<string, string> = {
  title: "Tittel",
  shortTitle: "Kort tittel",
  summary: "Sammendrag",
  scientificSummary: "Vitenskapelig sammendrag",
  participation: "Hva deltakelse innebærer",
  studyType: "Studietype",
  phase: "Fase",
  categories: "Kategorier",
  conditions: "Tilstander",
  icd10: "ICD-10",
  snomed: "SNOMED CT",
  interventions: "Intervensjoner",
  eligibility: "Hvem kan delta",
  sponsor: "Sponsor",
  leadOrganisationId: "Utført av",
  principalInvestigator: "Studieansvarlig",
  contacts: "Kontakter",
  links: "Lenker",
  targetEnrolment: "Planlagt antall deltakere",
  publicationState: "Publisering",
  identifiers: "Identifikatorer",
  localIds: "Lokale id-er",
  isDemo: "Demodata",
};

const SITE_FIELD: Record<string, string> = {
  inclusionStart: "Inklusjonsstart",
  inclusionEnd: "Inklusjonsslutt",
  paused: "Pause",
  pauseReason: "Begrunnelse for pause",
  contact: "Lokal kontakt",
  referral: "Henvisning",
  withdrawn: "Trukket",
};

const LANG: Record<string, string> = { nb: "bokmål", nn: "nynorsk", en: "engelsk" };
const STATE: Record<string, string> = {
  draft: "utkast",
  submitted: "sendt til godkjenning",
  published: "publisert",
  withdrawn: "trukket",
};

export interface ReadableChange {
  label: string;
  from: string;
  to: string;
}

export function formatValue(value: unknown, path = ""): string {
  if (value === undefined || value === null || value === "") return "–";
  if (path === "publicationState" && typeof value === "string") return STATE[value] ?? value;
  if (typeof value === "boolean") return value ? "ja" : "nei";
  if (typeof value === "string") return value.length > 300 ? `${value.slice(0, 300)}…` : value;
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return value.map((v) => formatValue(v)).join(", ") || "–";
  if (typeof value === "object") {
    return (
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== null && v !== undefined && v !== "")
        .map(([k, v]) => `${SITE_FIELD[k] ?? FIELD_LABEL[k] ?? k}: ${formatValue(v)}`)
        .join("; ") || "–"
    );
  }
  return String(value);
}

export function describeChange(change: ChangeEntry): ReadableChange {
  const site = /^sites\[([^\]]*)\](?:\.(.+))?$/.exec(change.path);
  let label: string;
  if (site) {
    const where = site[1]!.replace(/\/$/, "");
    const field = site[2]?.split(".")[0];
    label = field ? `${SITE_FIELD[field] ?? field}, ${where}` : `Studiested ${where}`;
    if (site[2]?.includes(".")) label += ` (${site[2].split(".").slice(1).join(".")})`;
  } else {
    const [head, ...rest] = change.path.split(".");
    const base = head!.replace(/\[\d+\]$/, "");
    label = FIELD_LABEL[base] ?? base;
    if (rest.length) label += ` (${rest.map((r) => LANG[r] ?? r).join(", ")})`;
  }
  const top = change.path.split(".")[0]!;
  return {
    label,
    from: change.kind === "added" ? "–" : formatValue(change.from, top),
    to: change.kind === "removed" ? "–" : formatValue(change.to, top),
  };
}
