/**
 * The referral summary as plain text: what a doctor pastes into a referral or prints on one A4
 * page. Built from the clinician page's view, so the text and the page always agree. Pure.
 */
import type { Translator } from "#app/i18n/translate";

export interface ReferralSummaryInput {
  title: string;
  identifiers: string[];
  statusText: string;
  typeAndPhase: string;
  icd10: string[];
  lead: string;
  pi: string | null;
  age: string;
  sex: string;
  inclusion: string[];
  exclusion: string[];
  openSites: { name: string; statusText: string; contact: string | null; referral: string | null }[];
  otherSites: { name: string; statusText: string }[];
  url: string;
  isDemo: boolean;
  withdrawn: boolean;
  generatedAt: Date;
}

export function referralSummaryText(input: ReferralSummaryInput, tr: Translator): string {
  const { t } = tr;
  const lines: string[] = [t("referral.text.heading")];
  if (input.isDemo) lines.push(t("referral.text.demo"));
  if (input.withdrawn) lines.push(t("referral.text.withdrawn"));
  lines.push("");
  lines.push(`${t("referral.text.study")}: ${input.title}`);
  if (input.identifiers.length) lines.push(`${t("referral.text.ids")}: ${input.identifiers.join(", ")}`);
  lines.push(`${t("referral.text.status")}: ${input.statusText}`);
  lines.push(`${t("referral.text.typePhase")}: ${input.typeAndPhase}`);
  if (input.icd10.length) lines.push(`${t("referral.text.icd10")}: ${input.icd10.join("; ")}`);
  lines.push(`${t("referral.text.lead")}: ${input.lead}`);
  if (input.pi) lines.push(`${t("referral.text.pi")}: ${input.pi}`);
  lines.push(`${t("referral.text.age")}: ${input.age}. ${t("referral.text.sex")}: ${input.sex}.`);
  const list = (heading: string, items: string[]) => {
    if (!items.length) return;
    lines.push("", `${heading}:`, ...items.map((i) => `- ${i}`));
  };
  list(t("referral.text.inclusion"), input.inclusion);
  list(t("referral.text.exclusion"), input.exclusion);
  lines.push("", `${t("referral.text.openSites")}:`);
  if (input.openSites.length === 0) lines.push(t("referral.text.noOpenSites"));
  for (const site of input.openSites) {
    lines.push(`- ${site.name}: ${site.statusText}`);
    if (site.contact) lines.push(`  ${t("referral.text.contact")}: ${site.contact}`);
    if (site.referral) lines.push(`  ${t("referral.text.refer")}: ${site.referral}`);
  }
  if (input.otherSites.length) {
    lines.push(
      "",
      `${t("referral.text.otherSites")}: ${input.otherSites.map((s) => `${s.name} (${s.statusText})`).join("; ")}`,
    );
  }
  lines.push("", `${t("referral.text.more")}: ${input.url}`);
  lines.push(t("referral.text.generated", { date: tr.instant(input.generatedAt) }));
  return lines.join("\n");
}
