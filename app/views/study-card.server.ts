/**
 * A search hit as a patient's result card: plain title, status in words, the nearest (or first
 * open) site and the category. Built from the study as stored, never from the search index, so a
 * card always says what the study page says.
 */
import { siteStatus, type StudyStatus } from "#app/domain/inclusion-status";
import { siteDisplayName } from "#app/domain/site-name";
import { roundKm } from "#app/domain/geo-distance";
import { studyStatusText } from "./status-text";
import type { Lang } from "#app/i18n/languages";
import { translator, type Translator } from "#app/i18n/translate";
import type { SiteRecord, StudyRecord } from "#app/models/study.server";
import type { SearchHit } from "#app/search/types";
import { localText, type LocalText } from "./localized-text";

export interface StudyCard {
  id: number;
  title: LocalText;
  status: StudyStatus;
  statusText: string;
  site: { name: string; place: string | null; distanceKm: number | null; placeNote: string | null } | null;
  /** Other active sites besides the one shown. */
  otherSites: number;
  categories: string[];
  isDemo: boolean;
}

export function activeSites(study: Pick<StudyRecord, "sites">): SiteRecord[] {
  return study.sites.filter((s) => !s.withdrawn);
}

/**
 * Said next to a site whose place is not its own: the organisation's main hospital stands in for a
 * site that names no hospital; a site with no known place says so ("sted ikke oppgitt").
 */
export function sitePlaceNote(
  site: Pick<SiteRecord, "lat" | "lon" | "placedAtMainHospital">,
  t: Translator["t"],
): string | null {
  if (site.placedAtMainHospital) return t("site.place.mainHospital", { hospital: site.placedAtMainHospital });
  if (site.lat == null || site.lon == null) return t("site.place.unknown");
  return null;
}

export function siteName(site: SiteRecord): string {
  return siteDisplayName(site);
}

export function studyCard(
  study: StudyRecord,
  hit: Pick<SearchHit, "siteId" | "distanceKm"> | null,
  options: { lang: Lang; now: Date; categoryNames: Map<string, string> },
): StudyCard {
  const { lang, now } = options;
  const sites = activeSites(study);
  const { status, text } = studyStatusText(sites, now, lang);
  // The engine names the site that matched (the nearest when sorting by distance); otherwise
  // show a site that includes now, so "where" is somewhere the patient could actually go.
  const shown =
    sites.find((s) => hit?.siteId != null && s.id === hit.siteId) ??
    sites.find((s) => siteStatus(s, now) === "open") ??
    sites[0] ??
    null;
  return {
    id: study.id,
    title: localText(study.shortTitle, lang) ?? localText(study.title, lang)!,
    status,
    statusText: text,
    site: shown
      ? {
          name: siteName(shown),
          place: shown.municipality,
          distanceKm: hit?.distanceKm != null && shown.id === hit.siteId ? roundKm(hit.distanceKm) : null,
          placeNote: sitePlaceNote(shown, translator(lang).t),
        }
      : null,
    otherSites: shown ? sites.length - 1 : 0,
    categories: study.categories.map((c) => options.categoryNames.get(c) ?? study.categoryNames[c] ?? c),
    isDemo: study.isDemo,
  };
}
