import { gzipSync } from "node:zlib";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { detectInput, formatMismatch, type DetectedKind } from "#app/ingest/detect-format.server";
import type { IngestFormat } from "#app/ingest/types";

/** A one-file ustar archive (header + content), enough for the sniffer. */
function tar(name: string, content: string): Buffer {
  const header = Buffer.alloc(512, 0);
  header.write(name, 0, "latin1");
  header.write(Buffer.byteLength(content).toString(8).padStart(11, "0"), 124, "latin1");
  header.write("0", 156, "latin1");
  header.write("ustar", 257, "latin1");
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(content) / 512) * 512, 0);
  body.write(content, 0, "utf8");
  return Buffer.concat([header, body]);
}

const LEGACY =
  '<?xml version="1.0" encoding="UTF-8"?>\n<clinical_study>\n  <!-- This xml conforms to an XML Schema -->\n  <id_info><nct_id>NCT00000102</nct_id></id_info>\n</clinical_study>\n';
const CTGOV_CSV = "NCT Number,Study Title,Study URL,Acronym,Study Status\nNCT01,Title,https://x,,RECRUITING\n";
const CTIS_CSV =
  "\uFEFFTrial number,Protocol code,Title of the trial,Overall trial status\n2023-500001-01-00,P,T,Ongoing\n";
const bytes = (s: string) => Buffer.from(s, "utf8");

describe("detectInput: what was actually sent", () => {
  it.each<[string, Buffer, DetectedKind, IngestFormat[]]>([
    ["nothing", Buffer.alloc(0), "empty", []],
    ["only whitespace and a BOM", bytes("\uFEFF  \r\n "), "empty", []],
    ["legacy CT.gov XML with a declaration", bytes(LEGACY), "ctgov-legacy-xml", []],
    ["legacy CT.gov XML without one", bytes("<clinical_study>\n<id_info/>"), "ctgov-legacy-xml", []],
    ["FHIR XML", bytes('<ResearchStudy xmlns="http://hl7.org/fhir"><id value="x"/></ResearchStudy>'), "fhir-xml", []],
    ["other XML", bytes("<?xml version='1.0'?><!-- c --><trials><trial/></trials>"), "xml", []],
    ["an HTML page", bytes("<!DOCTYPE html><html><head><title>Logg inn</title></head></html>"), "html", []],
    ["an HTML page without doctype", bytes("<html lang=nb><body>"), "html", []],
    ["a CT.gov v2 study", bytes('{"protocolSection":{"identificationModule":{}}}'), "ctgov-v2-json", ["ctgov-json"]],
    ["a CT.gov v2 array", bytes('[ {"protocolSection":{}} ]'), "ctgov-v2-json", ["ctgov-json"]],
    [
      "a CT.gov v2 API page",
      bytes('{"studies":[{"protocolSection":{}}],"nextPageToken":"x"}'),
      "ctgov-v2-json",
      ["ctgov-json"],
    ],
    [
      "CT.gov v2 JSON Lines",
      bytes('{"protocolSection":{}}\n{"protocolSection":{}}\n'),
      "ctgov-v2-json",
      ["ctgov-json"],
    ],
    ["the retired CT.gov v1 API", bytes('{\n  "FullStudiesResponse":{ "APIVrs":"1.01.02" }}'), "ctgov-v1-json", []],
    ["a FHIR Bundle", bytes('{"resourceType" : "Bundle","type":"searchset"}'), "fhir-json", ["fhir"]],
    ["a FHIR ResearchStudy", bytes('{"resourceType":"ResearchStudy","id":"x"}'), "fhir-json", ["fhir"]],
    ["a FHIR Patient", bytes('{"resourceType":"Patient","id":"x"}'), "fhir-json", []],
    ["a list of FHIR resources", bytes('[{"resourceType":"ResearchStudy"}]'), "fhir-json", []],
    ["the native listing", bytes('[{"id":88309,"tittel":"Ung og ADHD"}]'), "native-json", ["native"]],
    ["the native wrapper", bytes('{"studier":[]}'), "native-json", ["native"]],
    [
      "native with a key name inside a string",
      bytes('[{"id":1,"tittel":"se \\"protocolSection\\": her"}]'),
      "native-json",
      ["native"],
    ],
    ["JSON of no known shape", bytes("[]"), "json", ["native", "ctgov-json", "fhir"]],
    ["CT.gov website CSV", bytes(CTGOV_CSV), "ctgov-csv", ["ctgov-csv"]],
    ["CTIS CSV with BOM", bytes(CTIS_CSV), "ctis-csv", ["ctis-csv"]],
    ["some other CSV", bytes("NCTId,BriefTitle,OverallStatus\nNCT1,x,y\n"), "csv", ["ctgov-csv", "ctis-csv"]],
    ["semicolon CSV", bytes("a;b;c\n1;2;3\n"), "csv", ["ctgov-csv", "ctis-csv"]],
    ["gzip of legacy XML", gzipSync(LEGACY), "ctgov-legacy-xml", []],
    ["gzip of CT.gov CSV", gzipSync(CTGOV_CSV), "ctgov-csv", ["ctgov-csv"]],
    [
      "gzip of the native listing (native reads plain JSON only)",
      gzipSync('[{"id":1,"tittel":"x"}]'),
      "native-json",
      [],
    ],
    ["gzip of CT.gov JSON Lines", gzipSync('{"protocolSection":{}}\n'), "ctgov-v2-json", ["ctgov-json"]],
    [
      "a CT.gov Download JSON zip",
      Buffer.from(zipSync({ "NCT01234567.json": bytes('{"protocolSection":{}}') })),
      "zip",
      ["ctgov-json"],
    ],
    ["a zip of legacy XML", Buffer.from(zipSync({ "NCT01234567.xml": bytes(LEGACY) })), "zip", []],
    ["a zip of CSV", Buffer.from(zipSync({ "ctg-studies.csv": bytes(CTGOV_CSV) })), "zip", []],
    ["a tar of legacy XML", tar("NCT0000xxxx/NCT00000102.xml", LEGACY), "tar", []],
    ["a tar.gz of legacy XML", gzipSync(tar("NCT0000xxxx/NCT00000102.xml", LEGACY)), "tar", []],
    ["UTF-16 text", Buffer.from("\uFEFF[{}]", "utf16le"), "utf16", []],
    ["a PDF", bytes("%PDF-1.7\n%âãÏÓ"), "pdf", []],
    [
      "a NUL byte (left to the format's own reader)",
      bytes("\u0000"),
      "unknown",
      ["native", "ctgov-json", "ctgov-csv", "fhir", "ctis-csv"],
    ],
    ["one word", bytes("hei"), "unknown", ["native", "ctgov-json", "ctgov-csv", "fhir", "ctis-csv"]],
  ])("%s", (_name, input, kind, fits) => {
    const found = detectInput(input);
    expect(found.kind).toBe(kind);
    expect(found.fits).toEqual(fits);
    expect(found.description.length).toBeGreaterThan(2);
  });

  it("names the first file of an archive and what it holds", () => {
    expect(detectInput(gzipSync(tar("NCT0000xxxx/NCT00000102.xml", LEGACY))).description).toBe(
      "et tar-arkiv med ClinicalTrials.gov legacy XML (<clinical_study>) (første fil: NCT0000xxxx/NCT00000102.xml), gzip-komprimert",
    );
    expect(detectInput(bytes("<!DOCTYPE html><title>Logg\u0000 inn</title>")).description).toBe(
      "en HTML-side («Logg inn»)",
    );
  });

  it("reads only the head of a gzip bomb", () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x5b));
    expect(detectInput(bomb).kind).toBe("json");
  });
});

describe("formatMismatch: one message when the declared format cannot be right", () => {
  it.each<[string, IngestFormat, Buffer, RegExp | null]>([
    [
      "legacy XML as ctgov-json",
      "ctgov-json",
      bytes(LEGACY),
      /^Dette ser ut som ClinicalTrials\.gov legacy XML \(<clinical_study>\), ikke ctgov-json; støttede formater er: native, ctgov-json, ctgov-csv, fhir, ctis-csv\. ClinicalTrials\.gov har avviklet XML-formatet/,
    ],
    [
      "CT.gov JSON as native",
      "native",
      bytes('[{"protocolSection":{}}]'),
      /ClinicalTrials\.gov API v2 JSON.*ikke native.*send den som ctgov-json/,
    ],
    ["native as ctgov-json", "ctgov-json", bytes('[{"id":1,"tittel":"x"}]'), /native JSON.*send den som native/],
    ["CTIS CSV as ctgov-csv", "ctgov-csv", bytes(CTIS_CSV), /EU CTIS CSV.*send den som ctis-csv/],
    ["CT.gov CSV as ctis-csv", "ctis-csv", bytes(CTGOV_CSV), /ClinicalTrials\.gov CSV.*send den som ctgov-csv/],
    ["CSV as native", "native", bytes(CTGOV_CSV), /ClinicalTrials\.gov CSV.*ikke native/],
    ["v1 JSON as ctgov-json", "ctgov-json", bytes('{"FullStudiesResponse":{}}'), /API v1.*avviklet/],
    [
      "a FHIR Patient as fhir",
      "fhir",
      bytes('{"resourceType":"Patient"}'),
      /resourceType Patient.*ResearchStudy eller en Bundle/,
    ],
    [
      "HTML as fhir",
      "fhir",
      bytes("<!doctype html><title>Feil 404</title>"),
      /HTML-side \(«Feil 404»\).*sjekk adressen/,
    ],
    ["gzip of native as native", "native", gzipSync('[{"id":1,"tittel":"x"}]'), /gzip-komprimert, ikke native/],
    ["an empty file", "native", Buffer.alloc(0), /^filen er tom/],
    ["CT.gov JSON as ctgov-json", "ctgov-json", bytes('{"protocolSection":{}}'), null],
    ["unknown JSON as fhir", "fhir", bytes("{}"), null],
    ["other CSV as ctgov-csv (its reader names the missing columns)", "ctgov-csv", bytes("a,b\n1,2\n"), null],
    [
      "a Download JSON zip as ctgov-json",
      "ctgov-json",
      Buffer.from(zipSync({ "NCT01234567.json": bytes("{}") })),
      null,
    ],
  ])("%s", (_name, declared, input, expected) => {
    const message = formatMismatch(declared, detectInput(input));
    if (expected === null) expect(message).toBeNull();
    else expect(message).toMatch(expected);
  });
});

describe("text that is not UTF-8", () => {
  it("is left to the declared format's reader, which names the bad byte", () => {
    const latin1 = Buffer.concat([
      Buffer.from('[{"id":"U1","tittel":"Studie p'),
      Buffer.from([0xe5]),
      Buffer.from(' sykehus"}]'),
    ]);
    expect(detectInput(latin1)).toMatchObject({
      kind: "unknown",
      fits: ["native", "ctgov-json", "ctgov-csv", "fhir", "ctis-csv"],
    });
  });
  it("a character cut off at the end of the sniffed head is not an error", () => {
    const head = Buffer.concat([Buffer.from('[{"id":1,"tittel":"'), Buffer.alloc(64 * 1024, "æ")]);
    expect(detectInput(head).kind).toBe("native-json");
  });
});
