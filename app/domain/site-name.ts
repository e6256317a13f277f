/**
 * What to call a site: its hospital, else its registered organisation, else the location as the
 * source names it, else "N sites in Norway, not named in the source". Pure; the bokmål wording of
 * the last case is the default, and views pass their own words for other languages.
 */
export interface NamedSite {
  hospitalName?: string | null;
  organisationName?: string | null;
  name?: string | null;
  city?: string | null;
  unnamedCount?: number | null;
}

export function unnamedSitesNb(count: number | null | undefined): string {
  if (count == null) return "Studiesteder i Norge (ikke navngitt i kilden)";
  return count === 1
    ? "1 studiested i Norge (ikke navngitt i kilden)"
    : `${count} studiesteder i Norge (ikke navngitt i kilden)`;
}

export function siteDisplayName(
  site: NamedSite,
  unnamed: (count: number | null | undefined) => string = unnamedSitesNb,
): string {
  if (site.hospitalName) return site.hospitalName;
  if (site.organisationName) return site.organisationName;
  if (site.name) return site.city && !site.name.includes(site.city) ? `${site.name}, ${site.city}` : site.name;
  return unnamed(site.unnamedCount);
}
