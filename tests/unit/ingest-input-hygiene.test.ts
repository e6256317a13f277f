/**
 * The pure parts of "clear words for wrong input": bounded rejection lists, control characters,
 * field paths in the sender's terms and Norwegian validator messages.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { boundRejections, MAX_IDENTICAL_REJECTIONS, rejectionKind } from "#app/ingest/bounded-rejections";
import { cleanControlChars, showControlChars, stripControlChars } from "#app/ingest/control-chars";
import { nativeStudySchema } from "#app/ingest/mappers/native";
import { norwegianIssue, safeParseInNorwegian } from "#app/ingest/norwegian-issues";
import { inSenderTerms, senderFieldPath } from "#app/ingest/sender-fields";
import type { IngestFormat, Rejection } from "#app/ingest/types";

const rejection = (ref: string, field: string, message: string): Rejection => ({
  ref,
  externalId: null,
  field,
  message,
});

describe("bounded rejections", () => {
  it("lists 50 of 5,000 identical errors and says how many more there were", () => {
    const all = Array.from({ length: 5000 }, (_, i) =>
      rejection(`line ${i + 1}`, "input", `ugyldig JSON: Unexpected token '<', "<tag${i}>" is not valid JSON`),
    );
    const listed = boundRejections(all);
    expect(listed).toHaveLength(MAX_IDENTICAL_REJECTIONS + 1);
    expect(listed.slice(0, 50).map((r) => r.ref)).toEqual(all.slice(0, 50).map((r) => r.ref));
    expect(listed[50]).toMatchObject({ ref: "hele filen", field: "input" });
    expect(listed[50]!.message).toMatch(/^og 4950 flere avvisninger av samme slag \(som line 1: /);
  });

  it.each([
    [
      "the same field and message",
      ["studiesteder[0].foretak", 'ukjent foretak "x"'],
      ["studiesteder[7].foretak", 'ukjent foretak "y"'],
      true,
    ],
    [
      "line numbers differ",
      ["input", "raden har 3 felt, men overskriften har 30"],
      ["input", "raden har 4 felt, men overskriften har 30"],
      true,
    ],
    ["another field", ["tittel", "maks 500 tegn"], ["sammendrag", "maks 500 tegn"], false],
    ["another message", ["tittel", "maks 500 tegn"], ["tittel", "mangler"], false],
  ])("%s: identical = %s", (_name, [f1, m1], [f2, m2], same) => {
    expect(rejectionKind({ field: f1!, message: m1! }) === rejectionKind({ field: f2!, message: m2! })).toBe(same);
  });

  it("keeps different errors, each bounded, and bounds the whole list", () => {
    const mixed = Array.from({ length: 300 }, (_, i) =>
      rejection(`r${i}`, i % 3 === 0 ? "tittel" : i % 3 === 1 ? "fase" : "kjonn", "mangler"),
    );
    expect(boundRejections(mixed)).toHaveLength(3 * 50 + 3);
    const distinct = Array.from({ length: 3000 }, (_, i) =>
      rejection(
        `r${i}`,
        `felt${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}${String.fromCharCode(97 + Math.floor(i / 676))}`,
        "mangler",
      ),
    );
    const listed = boundRejections(distinct, 50, 1000);
    expect(listed).toHaveLength(1001);
    expect(listed[1000]!.message).toBe("og 2000 andre avvisninger er ikke listet (høyst 1000 listes per innlesing)");
  });
});

describe("control characters", () => {
  it.each([
    ["Studie\u0000tittel", "Studietittel"],
    ["a\u0001b\u0008c\u000bd\u000ce\u001ff", "abcdef"],
    ["tab\tlinje\nretur\r\n", "tab\tlinje\nretur\r\n"],
    ["æøå – 🙂 \u00a0\u200b", "æøå – 🙂 \u00a0\u200b"],
    ["", ""],
  ])("%j → %j", (input, output) => {
    expect(stripControlChars(input)).toBe(output);
  });

  it("shows them as escapes in messages", () => {
    expect(showControlChars('ukjent foretak "a\u0000b\u001b"')).toBe('ukjent foretak "a\\u0000b\\u001b"');
  });

  it("cleans every string at any depth and names each field", () => {
    const study = {
      title: { nb: "T\u0000", en: "ok" },
      sites: [{ organisationId: "ous", contact: { name: "Kari\u0007" } }],
      conditions: ["a", "b\u0000"],
      targetEnrolment: 3,
    };
    const { value, cleaned } = cleanControlChars(study);
    expect(value).toEqual({
      title: { nb: "T", en: "ok" },
      sites: [{ organisationId: "ous", contact: { name: "Kari" } }],
      conditions: ["a", "b"],
      targetEnrolment: 3,
    });
    expect(cleaned).toEqual([
      { path: "title.nb", removed: ["U+0000"] },
      { path: "sites.0.contact.name", removed: ["U+0007"] },
      { path: "conditions.1", removed: ["U+0000"] },
    ]);
    expect(study.title.nb).toBe("T\u0000");
  });

  it("returns the same object when nothing changes (no copy per record)", () => {
    const study = { title: { nb: "T" }, sites: [{ organisationId: "ous" }] };
    expect(cleanControlChars(study).value).toBe(study);
  });
});

describe("field paths in the sender's terms", () => {
  it.each<[IngestFormat, string, string]>([
    ["native", "sites.0.inclusionStart", "studiesteder[0].inklusjon_start"],
    ["native", "sites.12.inclusionEnd", "studiesteder[12].inklusjon_slutt"],
    ["native", "sites.1.contact.email", "studiesteder[1].kontakt.epost"],
    ["native", "sites.0", "studiesteder[0]"],
    ["native", "title.nb", "tittel"],
    ["native", "title.en", "tittel_en"],
    ["native", "summary.nb", "sammendrag"],
    ["native", "summary.nn", "sammendrag_nn"],
    ["native", "eligibility.minAgeYears", "alder_min"],
    ["native", "eligibility.inclusionCriteria.nb", "inklusjonskriterier"],
    ["native", "contacts.2.email", "kontakter[2].epost"],
    ["native", "links.0.url", "lenke"],
    ["native", "targetEnrolment", "antall_deltakere"],
    ["native", "identifiers.euCt", "identifikatorer.eu_ct"],
    ["native", "leadOrganisationId", "utfort_av"],
    ["native", "interventions.3.name", "relaterte_behandlinger[3]"],
    ["native", "(hele studien)", "(studien)"],
    // The native schema's own paths only get list brackets.
    ["native", "studiesteder.0.inklusjon_start", "studiesteder[0].inklusjon_start"],
    ["native", "kategorier.5", "kategorier[5]"],
    ["native", "id", "id"],
    ["ctgov-json", "sites.0.inclusionStart", "protocolSection.statusModule.startDateStruct.date"],
    ["ctgov-json", "sites.1.inclusionEnd", "protocolSection.statusModule.primaryCompletionDateStruct.date"],
    ["ctgov-json", "title.nb", "protocolSection.identificationModule.briefTitle"],
    ["ctgov-json", "contacts.0.email", "protocolSection.contactsLocationsModule.centralContacts.email"],
    ["ctgov-json", "statusModule.startDateStruct.date", "protocolSection.statusModule.startDateStruct.date"],
    ["ctgov-json", "protocolSection.identificationModule.nctId", "protocolSection.identificationModule.nctId"],
    ["ctgov-csv", "sites.0.inclusionStart", "Start Date"],
    ["ctgov-csv", "statusModule.primaryCompletionDateStruct.date", "Primary Completion Date"],
    ["ctgov-csv", "protocolSection.identificationModule.nctId", "NCT Number"],
    ["ctgov-csv", "title.nb", "Study Title"],
    ["ctgov-csv", "eligibilityModule.minimumAge", "Age"],
    ["ctgov-csv", "input", "input"],
    ["ctis-csv", "sites.0.inclusionEnd", "End date"],
    ["ctis-csv", "title.nb", "Title of the trial"],
    ["ctis-csv", "Start date", "Start date"],
    ["fhir", "title.nb", "ResearchStudy.title"],
    ["fhir", "sites.0.inclusionStart", "ResearchStudy.extension(recruitment-period).valuePeriod.start"],
    ["fhir", "summary.nb", "ResearchStudy.description"],
    ["fhir", "identifier", "identifier"],
  ])("%s: %s → %s", (format, internal, sender) => {
    expect(senderFieldPath(format, internal)).toBe(sender);
  });

  it("translates the field paths a message lists, and nothing else", () => {
    const r = rejection(
      "line 2",
      "sites.0.inclusionEnd",
      "sites.0.inclusionEnd: inklusjonsslutt (2026-01-01) er før inklusjonsstart (2027-01-01); title.nb: kan ikke være tom",
    );
    expect(inSenderTerms("native", r)).toEqual(
      rejection(
        "line 2",
        "studiesteder[0].inklusjon_slutt",
        "studiesteder[0].inklusjon_slutt: inklusjonsslutt (2026-01-01) er før inklusjonsstart (2027-01-01); tittel: kan ikke være tom",
      ),
    );
    expect(inSenderTerms("ctgov-csv", r).message).toBe(
      "Primary Completion Date: inklusjonsslutt (2026-01-01) er før inklusjonsstart (2027-01-01); Study Title: kan ikke være tom",
    );
    expect(inSenderTerms("native", rejection("x", "(json)", "ikke gyldig JSON: Unexpected token")).message).toBe(
      "ikke gyldig JSON: Unexpected token",
    );
  });
});

describe("Norwegian validator messages", () => {
  const issue = (schema: z.ZodType, value: unknown) => {
    const r = schema.safeParse(value, { error: norwegianIssue });
    expect(r.success).toBe(false);
    return r.error!.issues[0]!.message;
  };
  it.each<[string, z.ZodType, unknown, string]>([
    ["missing", z.object({ a: z.string() }), {}, "mangler"],
    ["wrong type", z.string(), 3, "må være tekst (fikk et tall (3))"],
    ["Infinity", z.number(), Infinity, "må være et tall (fikk Infinity)"],
    ["not an integer", z.number().int(), 1.5, "må være et heltall (fikk et tall (1.5))"],
    ["too long", z.string().max(3), "abcd", "maks 3 tegn"],
    ["too many", z.array(z.string()).max(1), ["a", "b"], "maks 1 elementer"],
    ["too big", z.number().max(120), 121, "kan ikke være større enn 120"],
    ["too small", z.number().min(0), -1, "kan ikke være mindre enn 0"],
    ["empty", z.string().min(1), "", "kan ikke være tom"],
    ["not an option", z.enum(["alle", "kvinner"]), "x", 'må være en av: "alle", "kvinner"'],
    ["a schema's own message wins", z.string().max(3, "for langt"), "abcd", "for langt"],
  ])("%s", (_name, schema, value, message) => {
    expect(issue(schema, value)).toBe(message);
  });

  it("safeParseInNorwegian: the value when valid, Norwegian messages when not", () => {
    expect(safeParseInNorwegian(z.number().max(120), 18)).toMatchObject({ success: true, data: 18 });
    expect(safeParseInNorwegian(z.number().max(120), 121).error!.issues[0]!.message).toBe(
      "kan ikke være større enn 120",
    );
  });

  it("the native schema answers in Norwegian, never zod's English", () => {
    const r = safeParseInNorwegian(nativeStudySchema, {
      id: 1.5,
      tittel: { $gt: "" },
      studietype: "x",
      alder_min: "18",
      studiesteder: [{ pause: "ja" }],
    });
    const messages = r.error!.issues.map((i) => i.message);
    expect(messages.length).toBeGreaterThan(4);
    for (const m of messages) expect(m).not.toMatch(/Invalid|expected|received|Too (big|small)/);
  });
});
