/**
 * A version's diff in the reader's words: "Inklusjonsslutt ved St. Olavs hospital: 1. mars 2026 →
 * 30. juni 2026". Field names from the messages (nb/nn/en), sites by their organisation's or
 * hospital's name (not the internal key "st-olavs/"), calendar dates in words (Europe/Oslo
 * calendar dates as they are). Pure.
 */
import type { ChangeEntry } from "#app/domain/study-snapshot";
import type { MessageKey } from "#app/i18n/messages/nb";
import { translator, type Translator } from "#app/i18n/translate";

export interface ReadableChange {
  label: string;
  from: string;
  to: string;
}

export interface DiffWords {
  tr: Translator;
  /** Site key ("st-olavs/", "ous/ous-rikshospitalet") → its name, for labels. */
  siteNames?: ReadonlyMap<string, string>;
  /** Organisation id → its name, for values such as "Utført av". */
  orgNames?: ReadonlyMap<string, string>;
}

const NB: DiffWords = { tr: translator("nb") };
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

function known(tr: Translator, key: string): string | null {
  const text = tr.t(key as MessageKey);
  return text === key ? null : text;
}

const fieldLabel = (w: DiffWords, field: string) => known(w.tr, `diff.field.${field}`) ?? field;
const siteFieldLabel = (w: DiffWords, field: string) =>
  known(w.tr, `diff.site.${field}`) ?? known(w.tr, `diff.field.${field}`) ?? field;

function siteName(w: DiffWords, key: string): string {
  const name = w.siteNames?.get(key) ?? w.siteNames?.get(`${key}/`);
  if (name) return name;
  const [org, hospital] = key.split("/");
  return w.orgNames?.get(org ?? "") ?? (hospital ? `${org}/${hospital}` : (org ?? key));
}

export function formatValue(value: unknown, path = "", w: DiffWords = NB): string {
  if (value === undefined || value === null || value === "") return "–";
  if (path === "publicationState" && typeof value === "string") return known(w.tr, `diff.state.${value}`) ?? value;
  if (path === "leadOrganisationId" && typeof value === "string") return w.orgNames?.get(value) ?? value;
  if (typeof value === "boolean") return w.tr.t(value ? "diff.yes" : "diff.no");
  if (typeof value === "string") {
    if (CALENDAR_DATE.test(value)) return w.tr.date(value);
    return value.length > 300 ? `${value.slice(0, 300)}…` : value;
  }
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return value.map((v) => formatValue(v, "", w)).join(", ") || "–";
  if (typeof value === "object") {
    return (
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== null && v !== undefined && v !== "")
        .map(([k, v]) => `${known(w.tr, `diff.lang.${k}`) ?? siteFieldLabel(w, k)}: ${formatValue(v, k, w)}`)
        .join("; ") || "–"
    );
  }
  return String(value);
}

export function describeChange(change: ChangeEntry, w: DiffWords = NB): ReadableChange {
  const site = /^sites\[([^\]]*)\](?:\.(.+))?$/.exec(change.path);
  let label: string;
  if (site) {
    const where = siteName(w, site[1]!);
    const field = site[2]?.split(".")[0];
    label = field
      ? w.tr.t("diff.site.at", { field: siteFieldLabel(w, field), site: where })
      : w.tr.t("diff.site.one", { site: where });
    if (site[2]?.includes(".")) {
      const rest = site[2].split(".").slice(1);
      label += ` (${rest.map((r) => known(w.tr, `diff.lang.${r}`) ?? siteFieldLabel(w, r)).join(", ")})`;
    }
  } else {
    const [head, ...rest] = change.path.split(".");
    const base = head!.replace(/\[\d+\]$/, "");
    label = fieldLabel(w, base);
    if (rest.length) label += ` (${rest.map((r) => known(w.tr, `diff.lang.${r}`) ?? siteFieldLabel(w, r)).join(", ")})`;
  }
  const top = change.path.split(".")[0]!;
  return {
    label,
    from: change.kind === "added" ? "–" : formatValue(change.from, top, w),
    to: change.kind === "removed" ? "–" : formatValue(change.to, top, w),
  };
}

/**
 * A version's one-line summary in words ("Endret: tittel, inklusjonsslutt ved St. Olavs hospital"),
 * from its changes; the stored summary ("Endret sites") is the fallback for a version without a
 * diff (the first one, "Opprettet").
 */
export function summariseInWords(changes: ChangeEntry[], stored: string, w: DiffWords = NB): string {
  if (changes.length === 0) return stored;
  const parts = [
    ...new Set(
      changes.map((c) => {
        const site = /^sites\[([^\]]*)\](?:\.([^.]+))?/.exec(c.path);
        if (site) {
          const where = siteName(w, site[1]!);
          return site[2]
            ? w.tr.t("diff.site.at", { field: siteFieldLabel(w, site[2]), site: where })
            : w.tr.t("diff.site.one", { site: where });
        }
        return fieldLabel(w, c.path.replace(/\[.*$/, "").split(".")[0]!);
      }),
    ),
  ];
  // "Tittel" → "tittel" after "Endret:", but "ICD-10" and names stay as they are.
  const lower = parts.map((p) => (/^\p{Lu}\p{Ll}/u.test(p) ? p[0]!.toLocaleLowerCase(w.tr.lang) + p.slice(1) : p));
  return w.tr.t("diff.summary.changed", { fields: w.tr.list(lower) });
}
